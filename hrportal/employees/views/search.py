"""The employee list and its search.

A CPR number must never end up in a URL (server logs, browser history, the Referer header): the search
form posts, and a CPR search comes back as `?search=<opaque id>` (hrportal/employees/searches.py) while a
name search comes back as `?q=`.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from hrportal.employees import searches
from hrportal.employees.cpr import contains_cpr, looks_like_cpr
from hrportal.employees.forms import ListFilterForm
from hrportal.employees.listing import list_employees
from hrportal.employees.views import employee_view


@employee_view
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def employee_list(request):
    """A CPR typed into the URL by hand is not searched, only dropped."""
    if request.method == "POST":
        return _search_redirect(request)
    if contains_cpr(request.GET.get("q", "")):
        messages.error(request, _("Search for a CPR number with the search form, not in the address."))
        return redirect("portal:employees:list")
    filters = ListFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    cpr_search = None
    if request.GET.get("search"):
        cpr_search = searches.recall(request.session, request.company.pk, request.GET["search"])
        if cpr_search is None:
            messages.info(request, _("The search has expired. Search again."))
            return redirect(
                _list_url(
                    status=params.get("status"), department=params.get("department"), sort=params.get("sort")
                )
            )
    result = list_employees(
        query="" if cpr_search else params.get("q", ""),
        cpr_digest=cpr_search["index"] if cpr_search else "",
        status=params.get("status") or "active",
        sort=params.get("sort") or "name",
        department=params.get("department") or "",
        page_number=request.GET.get("page", 1),
    )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    page = result.page
    context = {
        "filters": filters,
        "result": result,
        "page": page,
        "query_string": query_string.urlencode(),
        "cpr_search": cpr_search,
        "sort_columns": _sort_columns(request, result.sort),
        "position": {
            "first": number_format(page.start_index() if result.total else 0, force_grouping=True),
            "last": number_format(page.end_index() if result.total else 0, force_grouping=True),
            "total": number_format(result.total, force_grouping=True),
        },
        "per_page": page.paginator.per_page,
    }
    return render(request, "hrportal/employees/list.html", context)


SORT_COLUMNS = ("name", "start", "department")


def _sort_columns(request, current: str) -> dict:
    """Per sortable column: the link that sorts by it (toggling the direction if it is the current one),
    keeping the filters (q, status, department, an opaque CPR search id) and going back to page 1, and
    its `aria-sort` value."""
    keep = {
        name: request.GET[name] for name in ("q", "search", "status", "department") if request.GET.get(name)
    }
    columns = {}
    for column in SORT_COLUMNS:
        ascending = current == column
        descending = current == f"-{column}"
        target = f"-{column}" if ascending else column
        columns[column] = {
            "url": _list_url(**keep, sort=target),
            "aria_sort": "ascending" if ascending else "descending" if descending else "",
        }
    return columns


def _list_url(**params) -> str:
    query = urlencode({name: value for name, value in params.items() if value})
    return reverse("portal:employees:list") + (f"?{query}" if query else "")


def _search_redirect(request):
    filters = ListFilterForm(request.POST)
    if not filters.is_valid():
        return redirect("portal:employees:list")
    data = filters.cleaned_data
    query = (data.get("q") or "").strip()
    keep = {"status": data.get("status"), "department": data.get("department"), "sort": data.get("sort")}
    if looks_like_cpr(query):
        search_id = searches.remember(request.session, request.company.pk, query)
        return redirect(_list_url(search=search_id, **keep))
    return redirect(_list_url(q=query, **keep))

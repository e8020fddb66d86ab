"""The employee list and its search.

A CPR number must never end up in a URL (server logs, browser history, the Referer header): the search
form posts, and a CPR search comes back as `?search=<opaque id>` (hrportal/employees/searches.py) while a
name search comes back as `?q=`.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
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
            return redirect(_list_url(status=params.get("status"), sort=params.get("sort")))
    result = list_employees(
        query="" if cpr_search else params.get("q", ""),
        cpr_digest=cpr_search["index"] if cpr_search else "",
        status=params.get("status") or "active",
        sort=params.get("sort") or "name",
        page_number=request.GET.get("page", 1),
    )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "filters": filters,
        "result": result,
        "page": result.page,
        "query_string": query_string.urlencode(),
        "cpr_search": cpr_search,
    }
    return render(request, "hrportal/employees/list.html", context)


def _list_url(**params) -> str:
    query = urlencode({name: value for name, value in params.items() if value})
    return reverse("portal:employees:list") + (f"?{query}" if query else "")


def _search_redirect(request):
    filters = ListFilterForm(request.POST)
    if not filters.is_valid():
        return redirect("portal:employees:list")
    data = filters.cleaned_data
    query = (data.get("q") or "").strip()
    if looks_like_cpr(query):
        search_id = searches.remember(request.session, request.company.pk, query)
        return redirect(_list_url(search=search_id, status=data.get("status"), sort=data.get("sort")))
    return redirect(_list_url(q=query, status=data.get("status"), sort=data.get("sort")))

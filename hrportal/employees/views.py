"""Employee pages. Thin: look up through the scoped manager, call domain functions, render, audit.

Every view needs an active company (`company_required`); objects are fetched through
`Employee.objects`, scoped to that company, so another company's id is a 404. Full CPR numbers are
rendered only by `reveal_cpr`, after a fresh second-factor code and a reason, and that is audited.
The photo views look the employee up with `own_object`, which also audits another company's id.
"""

import logging
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from hrportal.audit.log import record, record_read
from hrportal.audit.models import Action, Outcome
from hrportal.documents.validation import RejectedUpload
from hrportal.employees import exporting, importing, photos, searches
from hrportal.employees.cpr import contains_cpr, looks_like_cpr, mask_cpr
from hrportal.employees.forms import (
    EmployeeForm,
    EndEmploymentForm,
    ImportUploadForm,
    ListFilterForm,
    PhotoForm,
    RevealCprForm,
)
from hrportal.employees.listing import list_employees
from hrportal.employees.models import Employee
from hrportal.encryption.keyring import DecryptionError, KeyringError
from hrportal.privacy.restriction import active_restriction
from hrportal.responses import own_object, refuse_if_restricted, secure_file_response
from hrportal.tenancy import company_required

logger = logging.getLogger(__name__)


def employee_view(view):
    """company_required + no caching + a clear page (never data, never ciphertext) if keys fail."""

    @company_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (DecryptionError, KeyringError) as exc:
            # The message names key ids and the company id, never a value.
            logger.error("Employee data of company %s could not be decrypted: %s", request.company.pk, exc)
            return render(request, "hrportal/employees/key_error.html", status=503)

    return wrapper


@employee_view
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def employee_list(request):
    """The search form posts; a CPR search comes back as `?search=<opaque id>` (employees/searches.py), a
    name search as `?q=`. A CPR typed into the URL by hand is not searched, only dropped."""
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


@employee_view
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def employee_add(request):
    form = EmployeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            employee = form.save()
            record(
                Action.EMPLOYEE_CREATED,
                request=request,
                target=employee,
                details={"fields": form.changed_fields},
            )
        messages.success(request, _("The employee was added."))
        return redirect("portal:employees:detail", pk=employee.pk)
    return render(request, "hrportal/employees/form.html", {"form": form, "adding": True})


@employee_view
def employee_detail(request, pk):
    employee, refused = own_object(request, Employee, pk)  # another company's id: 404, audited there
    if refused:
        return refused
    record_read(Action.EMPLOYEE_VIEWED, request=request, employee=employee)
    context = {"employee": employee, "restriction": active_restriction(employee)}
    return render(request, "hrportal/employees/detail.html", context)


@employee_view
@sensitive_post_parameters("cpr")
@require_http_methods(["GET", "POST"])
def employee_edit(request, pk):
    employee, refused = own_object(request, Employee, pk)  # another company's id: 404, audited there
    if refused:
        return refused
    if request.method == "POST":
        # Lock the row: of two saves based on one version, the second waits and then sees the conflict.
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
    form = EmployeeForm(request.POST or None, instance=employee)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("version") != employee.version:
            return _edit_conflict(request, employee, form)
        changed = form.changed_fields
        if changed:
            with transaction.atomic():
                form.save()
                record(
                    Action.EMPLOYEE_CHANGED,
                    request=request,
                    target=employee,
                    details={"fields": changed},
                )
            messages.success(request, _("The changes were saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("portal:employees:detail", pk=employee.pk)
    return render(request, "hrportal/employees/form.html", {"form": form, "employee": employee})


def _shown(form, name, value) -> str:
    if value in (None, ""):
        return "–"
    if name == "cpr":
        return mask_cpr(value)  # never a full CPR on the page
    return str(formats.localize(value, use_l10n=True))


def _edit_conflict(request, employee, form):
    """Someone saved the employee after this form was opened: show what differs, save nothing.

    The form comes back with this user's values and the current version, so saving it again is a
    deliberate choice made after seeing the other change; cancelling keeps the saved values.
    """
    employee = Employee.objects.get(pk=employee.pk)  # the saved values (validation put the form's on it)
    differences = []
    for name in form.changed_fields:
        field = form.fields[name]
        yours = form.cleaned_data.get(name)
        if name == "cpr" and not yours:
            continue
        differences.append(
            {
                "label": field.label,
                "saved": _shown(form, name, getattr(employee, name)),
                "yours": _shown(form, name, yours),
            }
        )
    data = request.POST.copy()
    data["version"] = employee.version
    retry = EmployeeForm(data, instance=employee)
    retry.is_valid()
    if form.cleaned_data.get("cpr"):
        retry.add_error("cpr", _("Type the new CPR number again to save it."))
    return render(
        request,
        "hrportal/employees/form.html",
        {"form": retry, "employee": employee, "conflict": differences},
        status=409,
    )


@employee_view
@require_http_methods(["GET", "POST"])
def employee_end(request, pk):
    employee, refused = own_object(request, Employee, pk)  # another company's id: 404, audited there
    if refused:
        return refused
    form = EndEmploymentForm(
        request.POST or None,
        employee=employee,
        initial={"end_date": employee.end_date or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            employee.end_date = form.cleaned_data["end_date"]
            employee.save(update_fields=["end_date", "updated_at"])
            record(
                Action.EMPLOYMENT_ENDED,
                request=request,
                target=employee,
                details={"fields": ["end_date"]},
            )
        messages.success(request, _("The employment was ended."))
        return redirect("portal:employees:detail", pk=employee.pk)
    return render(request, "hrportal/employees/end.html", {"form": form, "employee": employee})


def _photo_employee(request, pk, *, change=False):
    """(employee, None), or (None, response): another company's id is a 404 (audited for it); for a change,
    a restricted employee (GDPR art. 18) goes back to their page, before anything is uploaded or read."""
    employee, refused = own_object(request, Employee, pk)
    if employee is not None and change:
        refused = refuse_if_restricted(request, employee)
    return (None, refused) if refused else (employee, None)


def _record_photo_change(request, employee, *, outcome=Outcome.SUCCESS, **details):
    """Audited like every employee change: the field changed and what happened, never the image."""
    record(
        Action.EMPLOYEE_CHANGED,
        request=request,
        target=employee,
        outcome=outcome,
        details={"fields": ["photo"], **details},
    )


@employee_view
def employee_photo(request, pk):
    """The photo, decrypted, for the <img> on the employee's page (the middleware adds no-store)."""
    employee, refused = _photo_employee(request, pk)
    if refused:
        return refused
    if not employee.photo_storage_name:
        return render(request, "404.html", status=404)
    fileobj, content_type = photos.open_photo(employee)
    return secure_file_response(fileobj, photos.filename(content_type), content_type, inline=True)


@employee_view
@require_http_methods(["GET", "POST"])
def employee_photo_edit(request, pk):
    """Add or replace the photo. A refused file is audited (the reason, no content) and nothing is stored."""
    employee, refused = _photo_employee(request, pk, change=True)
    if refused:
        return refused
    posted = request.method == "POST"
    form = PhotoForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        uploaded = form.cleaned_data["photo"]
        try:
            with transaction.atomic():
                _record_photo_change(request, employee, photo=photos.set_photo(employee, uploaded))
        except RejectedUpload as exc:
            _record_photo_change(
                request, employee, outcome=Outcome.FAILURE, reason=exc.reason, size=uploaded.size
            )
            form.add_error("photo", exc.message)
        else:
            messages.success(request, _("The photo was saved."))
            return redirect("portal:employees:detail", pk=employee.pk)
    context = {"form": form, "employee": employee}
    return render(request, "hrportal/employees/photo.html", context, status=400 if posted else 200)


@employee_view
@require_http_methods(["GET", "POST"])
def employee_photo_remove(request, pk):
    """Remove the photo after a confirmation page; audited."""
    employee, refused = _photo_employee(request, pk, change=True)
    if refused:
        return refused
    if not employee.photo_storage_name:
        messages.info(request, _("The employee has no photo."))
        return redirect("portal:employees:detail", pk=employee.pk)
    if request.method == "POST":
        with transaction.atomic():
            photos.remove_photo(employee)
            _record_photo_change(request, employee, photo="removed")
        messages.success(request, _("The photo was removed."))
        return redirect("portal:employees:detail", pk=employee.pk)
    return render(request, "hrportal/employees/photo_remove.html", {"employee": employee})


@employee_view
@sensitive_post_parameters("code", "reason")
@require_http_methods(["GET", "POST"])
def reveal_cpr(request, pk):
    employee, refused = own_object(request, Employee, pk)  # another company's id: 404, audited there
    if refused:
        return refused
    form = RevealCprForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            record(
                Action.CPR_REVEALED,
                request=request,
                target=employee,
                details={"reason": form.cleaned_data["reason"]},
            )
            response = render(
                request, "hrportal/employees/reveal.html", {"employee": employee, "revealed": True}
            )
            return response
        record(
            Action.CPR_REVEALED,
            request=request,
            target=employee,
            outcome=Outcome.FAILURE,
            details={"errors": sorted(form.errors)},
        )
    return render(request, "hrportal/employees/reveal.html", {"employee": employee, "form": form})


@employee_view
@sensitive_post_parameters("payload")
@require_http_methods(["GET", "POST"])
def employee_import(request):
    context = {"upload": ImportUploadForm()}
    if request.method == "POST":
        if "payload" in request.POST:  # confirmation of a successful dry run
            try:
                text = importing.open_payload(request.POST["payload"], request.company, request.user)
            except importing.ImportExpired:
                messages.error(request, _("The dry run has expired. Upload the file again."))
                return redirect("portal:employees:import")
            report = importing.check(text)
            if report.ok:
                try:
                    created = importing.save(report, request=request)
                except importing.ImportConflict:
                    report = importing.check(text)
                else:
                    messages.success(
                        request, _("%(count)d employees were imported.") % {"count": len(created)}
                    )
                    return redirect("portal:employees:list")
            context.update({"report": report})
        else:
            upload = ImportUploadForm(request.POST, request.FILES)
            context["upload"] = upload
            if upload.is_valid():
                try:
                    text = importing.read_upload(upload.cleaned_data["file"])
                except importing.ImportFileError as exc:
                    upload.add_error("file", str(exc))
                else:
                    report = importing.check(text)
                    context["report"] = report
                    if report.ok:
                        context["payload"] = importing.make_payload(text, request.company, request.user)
    return render(request, "hrportal/employees/import.html", context)


@employee_view
def export_csv(request):
    employees = exporting.employees_for_export()
    response = HttpResponse(exporting.to_csv(employees), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename("csv")}"'
    record(
        Action.EMPLOYEES_EXPORTED,
        request=request,
        details={"format": "csv", "count": len(employees)},
    )
    return response


@employee_view
def export_xlsx(request):
    employees = exporting.employees_for_export()
    response = HttpResponse(
        exporting.to_xlsx(employees),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename("xlsx")}"'
    record(
        Action.EMPLOYEES_EXPORTED,
        request=request,
        details={"format": "xlsx", "count": len(employees)},
    )
    return response

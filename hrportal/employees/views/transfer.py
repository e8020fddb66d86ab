"""Employees in bulk: importing a CSV file (a dry run first, then the confirmed save) and exporting the
list as CSV or Excel. Every export is audited with its count, since it takes the company's personal data
out of the portal."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.employees import exporting, importing
from hrportal.employees.forms import ImportUploadForm
from hrportal.employees.views import employee_view


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


# At most one page of the list can be ticked; a bound keeps a forged request from naming a million ids.
MAX_SELECTED = 500


@employee_view
@require_POST
def export_selected(request):
    """The employees ticked in the list, as CSV or Excel: a POST (CSRF-checked, never a link that a
    crawler or a prefetch could follow), audited like the whole-company export, with `selection` set."""
    ids = sorted({int(v) for v in request.POST.getlist("selected") if v.isdigit()})[:MAX_SELECTED]
    file_format = "xlsx" if request.POST.get("format") == "xlsx" else "csv"
    employees = exporting.employees_for_export(ids) if ids else []
    if not employees:
        messages.error(request, _("Tick at least one employee to export."))
        return redirect("portal:employees:list")
    if file_format == "xlsx":
        content = exporting.to_xlsx(employees)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, content_type = exporting.to_csv(employees), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename(file_format)}"'
    record(
        Action.EMPLOYEES_EXPORTED,
        request=request,
        details={"format": file_format, "count": len(employees), "selection": True},
    )
    return response

"""One employee's record: adding, viewing, editing and ending the employment.

Every change is audited by field name, never by value. Two people editing the same record do not
overwrite each other: the form carries the version it was based on, and a save based on an older one
gets the conflict page (`_edit_conflict`) instead.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from hrportal.audit.log import record, record_read
from hrportal.audit.models import Action
from hrportal.employees import record_page
from hrportal.employees.cpr import mask_cpr
from hrportal.employees.forms import EmployeeForm, EndEmploymentForm
from hrportal.employees.models import Employee
from hrportal.employees.views import employee_view
from hrportal.privacy.restriction import active_restriction
from hrportal.responses import own_object


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
    # Requests and the audit log are company administration: members see them, provider staff under a
    # mandate do not (as on the dashboard and the member-only pages they link to).
    if not getattr(request, "via_mandate", False):
        context["show_admin_groups"] = True
        context["requests"] = record_page.linked_requests(employee)
        context["history"] = record_page.history(employee, company_id=request.company.pk)
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

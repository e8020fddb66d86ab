"""One employee's rights as a data subject: access (export), rectification, restriction and erasure.

Export and erasure ask for a fresh authenticator code in the form (`erasure.fresh_code_refusal`,
`erasure.erasure_refusal`): both hand over or destroy everything held about a person.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.employees.models import Employee
from hrportal.privacy.erasure import erase_employee, kept_by_law
from hrportal.privacy.export import build_export
from hrportal.privacy.forms import ConfirmForm, FreshCodeForm, RectifyForm, RestrictionForm
from hrportal.privacy.models import DataSubjectRequest
from hrportal.privacy.restriction import active_restriction, lift_restriction, place_restriction
from hrportal.privacy.views import page_language
from hrportal.responses import own_object
from hrportal.tenancy import member_required


@member_required
def employee_privacy(request, employee_id):
    """The data-subject panel of one employee: export, rectify, restrict, erase, and their requests."""
    employee, denied = own_object(request, Employee, employee_id)
    if denied:
        return denied
    return render(
        request,
        "hrportal/privacy/employee.html",
        {
            "employee": employee,
            "restriction": active_restriction(employee),
            "requests": DataSubjectRequest.objects.filter(employee=employee).order_by("-received_on"),
            "kept": kept_by_law(employee),
            "restriction_form": RestrictionForm(),
        },
    )


@member_required
def employee_export(request, employee_id):
    """POST: the zip of everything held about the employee (allowed during a restriction: it goes to them)."""
    employee, denied = own_object(request, Employee, employee_id)
    if denied:
        return denied
    if request.method != "POST":
        return redirect("portal:employee_privacy", employee_id=employee.pk)
    form = FreshCodeForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("portal:employee_privacy", employee_id=employee.pk)
    data, summary = build_export(employee, language=page_language())
    record(
        Action.PERSONAL_DATA_EXPORTED,
        request=request,
        target=employee,
        details=summary,
    )
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="indsigt-medarbejder-{employee.pk}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@member_required
def employee_rectify(request, employee_id):
    employee, denied = own_object(request, Employee, employee_id)
    if denied:
        return denied
    form = RectifyForm(request.POST or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        for name in changed:
            setattr(employee, name, form.cleaned_data[name])
        if changed:
            employee.save()
            record(
                Action.EMPLOYEE_RECTIFIED,
                request=request,
                target=employee,
                details={"fields": sorted(changed)},
            )
        messages.success(request, _("The employee's data was corrected."))
        return redirect("portal:employee_privacy", employee_id=employee.pk)
    return render(request, "hrportal/privacy/employee_rectify.html", {"employee": employee, "form": form})


@member_required
def employee_restriction(request, employee_id):
    employee, denied = own_object(request, Employee, employee_id)
    if denied:
        return denied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("action") == "lift":
        lift_restriction(employee, actor=request.user, request=request)
        messages.success(request, _("The restriction is lifted."))
    else:
        form = RestrictionForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        place_restriction(employee, reason=reason, actor=request.user, request=request)
        messages.success(request, _("Processing of the employee's data is restricted."))
    return redirect("portal:employee_privacy", employee_id=employee.pk)


@member_required
def employee_erase(request, employee_id):
    employee, denied = own_object(request, Employee, employee_id)
    if denied:
        return denied
    form = ConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        result = erase_employee(employee, actor=request.user, request=request)
        return render(request, "hrportal/privacy/employee_erased.html", {"result": result})
    return render(
        request,
        "hrportal/privacy/employee_erase.html",
        {"employee": employee, "form": form, "kept": kept_by_law(employee)},
    )

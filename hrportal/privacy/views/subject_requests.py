"""Data-subject requests (GDPR art. 15-21): recorded with their deadline, listed by it, closed with what
was done. The record is the company's proof that it answered in time."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.employees.models import Employee
from hrportal.privacy import employee_requests
from hrportal.privacy.forms import CloseRequestForm, MatchEmployeeForm, RequestForm
from hrportal.privacy.models import DataSubjectRequest
from hrportal.responses import own_object
from hrportal.tenancy import member_required


def _employees_sorted():
    return sorted(Employee.objects.all(), key=lambda e: (e.name or "").lower())


@member_required
def requests_list(request):
    show = request.GET.get("show", "open")
    qs = DataSubjectRequest.objects.all()
    if show != "all":
        qs = qs.filter(status=DataSubjectRequest.Status.OPEN)
    page = Paginator(qs.order_by("status", "due_on", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "hrportal/privacy/requests.html", {"page": page, "show": show})


@member_required
def request_new(request):
    employees = _employees_sorted()
    initial = {}
    if request.GET.get("employee", "").isdigit():
        initial["employee_id"] = int(request.GET["employee"])
    form = RequestForm(request.POST or None, employees=employees, initial=initial)
    if request.method == "POST" and form.is_valid():
        dsr = form.save(commit=False)
        dsr.employee = Employee.objects.filter(pk=form.cleaned_data["employee_id"]).first()
        dsr.created_by = request.user
        dsr.save()
        record(
            Action.DSR_RECORDED,
            request=request,
            target=dsr,
            details={"kind": dsr.kind, "employee": dsr.employee_id},
        )
        messages.success(request, _("The request was recorded. Deadline: %(date)s.") % {"date": dsr.due_on})
        return redirect("portal:request_detail", request_id=dsr.pk)
    return render(request, "hrportal/privacy/request_new.html", {"form": form})


@member_required
def request_detail(request, request_id):
    dsr, denied = own_object(request, DataSubjectRequest, request_id)
    if denied:
        return denied
    if request.method == "POST" and request.POST.get("action") == "match":
        return _match(request, dsr)
    form = CloseRequestForm(request.POST or None)
    if request.method == "POST" and dsr.is_open and form.is_valid():
        dsr.outcome = form.cleaned_data["outcome"]
        dsr.status = DataSubjectRequest.Status.CLOSED
        dsr.closed_on = timezone.localdate()
        dsr.closed_by = request.user
        dsr.save()
        record(
            Action.DSR_CLOSED,
            request=request,
            target=dsr,
            details={"kind": dsr.kind},
        )
        employee_requests.send_closed(dsr, request.company)
        messages.success(request, _("The request is closed."))
        return redirect("portal:requests")
    return _detail_page(request, dsr, form)


def _match_form(dsr, data=None):
    """Only a request the person sent through the link, not yet matched, is matched here, by hand."""
    if dsr.source != DataSubjectRequest.Source.EMPLOYEE_LINK or dsr.employee_id is not None:
        return None
    return MatchEmployeeForm(data, employees=_employees_sorted())


def _detail_page(request, dsr, form, match_form=None, status=200):
    return render(
        request,
        "hrportal/privacy/request_detail.html",
        {"dsr": dsr, "form": form, "match_form": match_form or _match_form(dsr)},
        status=status,
    )


def _match(request, dsr):
    match_form = _match_form(dsr, request.POST)
    if match_form is None:
        return redirect("portal:request_detail", request_id=dsr.pk)
    if not match_form.is_valid():
        return _detail_page(request, dsr, CloseRequestForm(), match_form, status=400)
    employee = Employee.objects.filter(pk=match_form.cleaned_data["employee_id"]).first()
    if employee is None:
        match_form.add_error("employee_id", _("Choose an employee of the company."))
        return _detail_page(request, dsr, CloseRequestForm(), match_form, status=400)
    dsr.employee = employee
    dsr.save(update_fields=["employee"])
    record(
        Action.DSR_RECORDED,
        request=request,
        target=dsr,
        details={"kind": dsr.kind, "employee": employee.pk, "matched": True},
    )
    messages.success(request, _("The request is linked to the employee."))
    return redirect("portal:request_detail", request_id=dsr.pk)

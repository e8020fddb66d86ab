"""Portal views: Settings (retention, DPA, company deletion) and data-subject requests.

Thin: rules live in `retention.py`, `erasure.py`, `export.py`, `restriction.py`, `deletion.py`, `dpa.py`.
Every view is for the company's own members (`member_required`), never for provider staff via a mandate.
"""

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms_pages.dpa import content as dpa_content
from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome
from hrportal.employees.models import Employee
from hrportal.jobs.models import Job
from hrportal.pdf import render_pdf
from hrportal.privacy import dpa, registry, retention
from hrportal.privacy.deletion import begin_deletion
from hrportal.privacy.erasure import erase_employee, kept_by_law
from hrportal.privacy.export import build_export
from hrportal.privacy.forms import (
    CloseRequestForm,
    ConfirmForm,
    DeleteCompanyForm,
    FreshCodeForm,
    RectifyForm,
    RequestForm,
    RestrictionForm,
    RetentionForm,
)
from hrportal.privacy.models import DataSubjectRequest, DPAAcceptance, RetainedRecord, RetentionPolicy
from hrportal.privacy.restriction import active_restriction, lift_restriction, place_restriction
from hrportal.responses import own_object
from hrportal.tenancy import member_required


def _language():
    return (get_language() or "da")[:2]


# --- Settings ----------------------------------------------------------------------------------------------


@member_required
def settings_index(request):
    return render(
        request,
        "hrportal/privacy/settings.html",
        {"dpa_status": dpa.status(request.company, _language())},
    )


@member_required
def retention_settings(request):
    company = request.company
    policy = RetentionPolicy.objects.filter().first() or RetentionPolicy(company=company)
    form = RetentionForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(
            Action.RETENTION_CHANGED,
            request=request,
            company=company,
            details={"years": form.cleaned_data["years_after_employment"]},
        )
        messages.success(request, _("The retention period was saved."))
        return redirect("portal:retention")
    due = retention.due_for_deletion(company)
    employees = {
        e.pk: e for e in Employee.objects.filter(pk__in=[d.object_id for d in due if d.kind == "employee"])
    }
    return render(
        request,
        "hrportal/privacy/retention.html",
        {
            "form": form,
            "reason": retention.DEFAULT_REASON,
            "due": [(item, employees.get(item.object_id)) for item in due],
            "retained": RetainedRecord.objects.all(),
            "registry": registry.REGISTRY,
            "sweep": Job.objects.filter(kind=Job.Kind.RETENTION_SWEEP).order_by("-created_at", "-pk").first(),
        },
    )


# --- Data processing agreement ------------------------------------------------------------------------------


@member_required
def dpa_view(request):
    language = request.GET.get("lang") or _language()
    language = language if language in ("da", "en") else "da"
    state = dpa.status(request.company, language)
    shown = state.current
    version_id = request.GET.get("version")
    if version_id and version_id.isdigit():
        shown = (
            dpa_content.published(language).filter(pk=int(version_id)).first()
            or dpa_content.published("da").filter(pk=int(version_id)).first()
            or shown
        )
    if request.method == "POST":
        if state.current is None:
            return redirect("portal:dpa")
        agreement = dpa_content.agreement_in(state.current, language)
        dpa.accept(request.company, request.user, agreement, request=request)
        messages.success(request, _("Thank you. The data processing agreement is accepted."))
        return redirect("portal:dpa")
    return render(
        request,
        "hrportal/dpa/agreement.html",
        {
            "state": state,
            "shown": shown,
            "shown_html": dpa_content.render_agreement(shown, language) if shown else "",
            "language": language,
            "earlier": dpa_content.earlier_versions(language),
            "acceptances": DPAAcceptance.objects.all().select_related("accepted_by")[:50],
        },
    )


def _dpa_pdf(request, agreement, acceptance, language):
    pdf = render_pdf(
        "hrportal/dpa/agreement_pdf.html",
        {
            "title": f"{agreement.title} {agreement.version}",
            "header": request.company.name,
            "agreement": agreement,
            "agreement_html": dpa_content.render_agreement(agreement, language),
            "acceptance": acceptance,
            "company": request.company,
        },
        language,
        created_at=acceptance.accepted_at if acceptance else agreement.valid_from,
    )
    record(
        Action.DPA_DOWNLOADED,
        request=request,
        details={"version": agreement.version, "accepted": acceptance is not None},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="databehandleraftale-{agreement.version}.pdf"'
    return response


@member_required
def dpa_pdf(request):
    """The agreement in force, with the company's acceptance of it when there is one."""
    language = request.GET.get("lang") or _language()
    state = dpa.status(request.company, language)
    if state.current is None:
        return render(request, "404.html", status=404)
    return _dpa_pdf(request, state.current, state.acceptance, language)


@member_required
def dpa_acceptance_pdf(request, acceptance_id):
    acceptance, denied = own_object(request, DPAAcceptance, acceptance_id)
    if denied:
        return denied
    from cms_pages.dpa.models import DataProcessingAgreement

    agreement = DataProcessingAgreement.objects.filter(pk=acceptance.agreement_id).first()
    if agreement is None:
        return render(request, "404.html", status=404)
    return _dpa_pdf(request, agreement, acceptance, acceptance.language)


# --- Company deletion ---------------------------------------------------------------------------------------


@member_required
def company_delete(request):
    company = request.company
    form = DeleteCompanyForm(request.POST or None, company=company, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            from hrportal.jobs import tasks
            from hrportal.jobs.models import Job
            from hrportal.jobs.status_links import deletion_status_token

            # Closed at once (nobody can open the company from the next request on), deleted by the job.
            begin_deletion(company, actor=request.user, request=request)
            job = tasks.start(company, Job.Kind.COMPANY_DELETION, user=request.user)
            auth_logout(request)
            return redirect("portal:deletion_status", token=deletion_status_token(job))
        record(Action.COMPANY_DELETION_REFUSED, request=request, company=company, outcome=Outcome.FAILURE)
    from hrportal.employees.models import Employee as E

    return render(
        request,
        "hrportal/privacy/company_delete.html",
        {"form": form, "employee_count": E.objects.count(), "company": company},
    )


# --- Data-subject requests ----------------------------------------------------------------------------------


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
        messages.success(request, _("The request is closed."))
        return redirect("portal:requests")
    return render(request, "hrportal/privacy/request_detail.html", {"dsr": dsr, "form": form})


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
    data, summary = build_export(employee, language=_language())
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

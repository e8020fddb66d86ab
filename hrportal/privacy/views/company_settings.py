"""Settings: the overview, the retention period, and deleting the company profile."""

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome
from hrportal.employees.models import Employee
from hrportal.jobs.models import Job
from hrportal.privacy import dpa, registry, retention
from hrportal.privacy.deletion import begin_deletion
from hrportal.privacy.forms import DeleteCompanyForm, RetentionForm
from hrportal.privacy.models import RetainedRecord, RetentionPolicy
from hrportal.privacy.views import page_language
from hrportal.tenancy import member_required


@member_required
def settings_index(request):
    return render(
        request,
        "hrportal/privacy/settings.html",
        {"dpa_status": dpa.status(request.company, page_language())},
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


@member_required
def company_delete(request):
    """The preconditions are `deletion.company_deletion_refusal` (through the form); a refused attempt is
    audited, since someone tried to end the company."""
    company = request.company
    form = DeleteCompanyForm(request.POST or None, company=company, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            from hrportal.jobs import tasks
            from hrportal.jobs.status_links import deletion_status_token

            # Closed at once (nobody can open the company from the next request on), deleted by the job.
            begin_deletion(company, actor=request.user, request=request)
            job = tasks.start(company, Job.Kind.COMPANY_DELETION, user=request.user)
            auth_logout(request)
            return redirect("portal:deletion_status", token=deletion_status_token(job))
        record(Action.COMPANY_DELETION_REFUSED, request=request, company=company, outcome=Outcome.FAILURE)
    return render(
        request,
        "hrportal/privacy/company_delete.html",
        {"form": form, "employee_count": Employee.objects.count(), "company": company},
    )

"""The portal's front page: what needs attention in the company, and the other companies one may act for."""

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from hrportal.companies import charts, todo
from hrportal.companies.access import companies_for
from hrportal.companies.models import Membership


def _overview(company) -> dict:
    """Counts for the overview, each one query through the scoped managers (the request's company)."""
    from hrportal.documents.models import Document
    from hrportal.employees.models import Employee
    from hrportal.privacy.models import DataSubjectRequest

    today = timezone.localdate()
    open_requests = DataSubjectRequest.objects.filter(status=DataSubjectRequest.Status.OPEN)
    current = Employee.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    return {
        "active_employees": current.count(),
        "awaiting_signatures": Document.objects.filter(status=Document.Status.AWAITING_SIGNATURES).count(),
        "open_requests": open_requests.count(),
        "next_request_due": open_requests.order_by("due_on").values_list("due_on", flat=True).first(),
    }


def dashboard(request):
    company = getattr(request, "company", None)
    context = {"company": company, "via_mandate": getattr(request, "via_mandate", False)}
    if company is not None:
        context["mandate"] = company.active_mandate()
        context["member_count"] = Membership.objects.filter(company=company).count()
        context["overview"] = _overview(company)
        context["tasks"] = todo.tasks_for(company, via_mandate=context["via_mandate"])
        context["charts"] = [charts.headcount_chart(company), charts.retention_chart(company)]
    # Members of several companies (e.g. after accepting an invitation with their account) switch here.
    context["other_companies"] = (
        companies_for(request.user)
        .filter(memberships__user=request.user)
        .exclude(pk=getattr(company, "pk", None))
        .order_by("name")[:20]
    )
    if request.user.is_staff:
        context["mandated_companies"] = companies_for(request.user).exclude(memberships__user=request.user)[
            :20
        ]
    return render(request, "hrportal/dashboard.html", context)

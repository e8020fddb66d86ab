"""Which company a portal request acts for, and the middleware that scopes the request to it.

Apart from `hrportal.tenancy` (which only holds and enforces the scope) because resolving needs the
companies' models and a provider's access under a mandate is written to the audit log: tenancy itself
imports neither, so the scope sits below everything that uses it, without an import cycle.
"""

from django.db import transaction

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.companies.models import Company, Mandate, Membership
from hrportal.tenancy import company_scope

SESSION_COMPANY_KEY = "portal_company_id"


def companies_for(user):
    """Companies the user may act for: their memberships, plus (staff) those with an active mandate."""
    if not user.is_authenticated:
        return Company.objects.none()
    member_of = Company.objects.filter(memberships__user=user, status=Company.Status.ACTIVE)
    if user.is_staff:
        mandated = Company.objects.filter(
            pk__in=Mandate.objects.active().values("company_id"), status=Company.Status.ACTIVE
        )
        return (member_of | mandated).distinct()
    return member_of


def resolve_company(request):
    """The company this request may act for, or None. Provider access needs an active mandate *now*."""
    user = request.user
    if not user.is_authenticated or not user.is_verified():
        return None, False
    wanted = request.session.get(SESSION_COMPANY_KEY)
    membership = Membership.objects.filter(user=user, company__status=Company.Status.ACTIVE).select_related(
        "company"
    )
    if wanted is not None:
        found = membership.filter(company_id=wanted).first()
        if found:
            return found.company, False
        if user.is_staff and Mandate.objects.active().filter(company_id=wanted).exists():
            company = Company.objects.filter(pk=wanted, status=Company.Status.ACTIVE).first()
            if company is not None:
                return company, True
        request.session.pop(SESSION_COMPANY_KEY, None)
        return None, False
    first = membership.first()
    return (first.company, False) if first else (None, False)


class TenantScopeMiddleware:
    """Runs each portal request inside the scope of the company the user may act for.

    Provider staff acting under a mandate have each request written to the company's audit log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/portal/"):
            return self.get_response(request)
        company, via_mandate = resolve_company(request)
        request.company = company
        request.via_mandate = via_mandate
        if company is None:
            return self.get_response(request)
        if via_mandate:
            record(
                Action.PROVIDER_ACCESS,
                request=request,
                company=company,
                details={"method": request.method, "path": request.path_info[:200]},
            )
        with transaction.atomic(savepoint=False), company_scope(company):
            return self.get_response(request)

"""Tenancy: the one module that sets and reads the active company.

Every tenant-owned model uses `TenantManager` as its default manager, which refuses to query outside
`company_scope(...)`; views get their scope from `TenantScopeMiddleware` (via `CompanyAccessMixin`),
jobs and commands must open one explicitly. A lookup of another company's object therefore finds
nothing and the view answers 404, without each view having to remember a filter.

`all_companies_scope()` exists for the few system paths that legitimately span tenants (key rotation,
retention sweeps); it is explicit and greppable.
"""

import contextlib
from contextvars import ContextVar

from django.db import models

_active_company: ContextVar = ContextVar("active_company", default=None)
_ALL = object()


class ScopeError(Exception):
    """A tenant-owned model was queried without an active company scope."""


@contextlib.contextmanager
def company_scope(company):
    if company is None:
        raise ScopeError("company_scope() needs a company")
    token = _active_company.set(company)
    try:
        yield company
    finally:
        _active_company.reset(token)


@contextlib.contextmanager
def all_companies_scope():
    token = _active_company.set(_ALL)
    try:
        yield
    finally:
        _active_company.reset(token)


def active_company():
    """The company of the current scope, or None (also None inside all_companies_scope)."""
    value = _active_company.get()
    return None if value is _ALL else value


def require_active_company():
    company = active_company()
    if company is None:
        raise ScopeError("No active company")
    return company


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Default manager of tenant-owned models: scoped to the active company, or it raises."""

    def get_queryset(self):
        value = _active_company.get()
        if value is None:
            raise ScopeError(
                f"{self.model.__name__} queried without a company scope; wrap the code in company_scope()"
            )
        qs = super().get_queryset()
        if value is _ALL:
            return qs
        return qs.filter(company_id=value.pk)


class TenantModel(models.Model):
    """Base for every row a company owns. `company` is set from the scope when not given."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = TenantManager()
    unscoped = models.Manager()  # noqa: DJ012 - migrations, deleting a whole company, tests

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

    def save(self, *args, **kwargs):
        if self.company_id is None:
            self.company = require_active_company()
        else:
            current = active_company()
            if current is not None and current.pk != self.company_id:
                raise ScopeError("Refusing to save another company's row inside this company's scope")
        super().save(*args, **kwargs)


# --- Resolving the company of a portal request ---------------------------------------------------------

SESSION_COMPANY_KEY = "portal_company_id"


def companies_for(user):
    """Companies the user may act for: their memberships, plus (staff) those with an active mandate."""
    from hrportal.companies.models import Company, Mandate

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
    from hrportal.companies.models import Company, Mandate, Membership

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
            from hrportal.audit.log import record
            from hrportal.audit.models import Action

            record(
                Action.PROVIDER_ACCESS,
                request=request,
                company=company,
                details={"method": request.method, "path": request.path_info[:200]},
            )
        with company_scope(company):
            return self.get_response(request)


def company_required(view):
    """The view needs an active company (member, or provider staff under a mandate); else 404."""
    from functools import wraps

    from django.http import Http404

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if active_company() is None:
            raise Http404("No company")
        return view(request, *args, **kwargs)

    return wrapper


def member_required(view):
    """Company administration (users, mandate, audit log, settings): members only, never via a mandate."""
    from functools import wraps

    from django.http import Http404

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if active_company() is None or getattr(request, "via_mandate", False):
            raise Http404("No company")
        return view(request, *args, **kwargs)

    return wrapper

"""Tenancy: the one module that sets and reads the active company.

Every tenant-owned model uses `TenantManager` as its default manager, which refuses to query outside
`company_scope(...)`; portal views get their scope from `hrportal.companies.access.TenantScopeMiddleware`,
jobs and commands open one explicitly. A lookup of another company's object therefore finds nothing and the
view answers 404, without each view having to remember a filter.

The scope is also the database's: on PostgreSQL each change is passed to the session
(`hrportal.rowsecurity.session`), whose row-level security policies show and accept only the scoped
company's rows. That is the second wall: raw SQL or an `unscoped` query outside a scope sees nothing.

`cross_company(reason=...)` is the one door for the few paths that legitimately span companies (listed in
`CROSS_COMPANY_CALLERS` and docs/security.md): it is refused anywhere else, and every use is logged with its
reason and caller.
"""

import contextlib
import logging
import sys
from contextvars import ContextVar

from django.db import models

from hrportal.rowsecurity import session as db_session

logger = logging.getLogger("hrportal.cross_company")
_active_company: ContextVar = ContextVar("active_company", default=None)

# Module -> why it must span companies. cross_company() refuses every other caller (tested).
CROSS_COMPANY_CALLERS = {
    "hrportal.documents.signing.lookup": (
        "a /sign/ link or /verify/ code names a signer or document, not a company"
    ),
    "hrportal.privacy.request_lookup": (
        "an employee's request link names the link, and their follow link the request, not the company"
    ),
    "hrportal.jobs.lookup": "the job runner, operators and status pages find a job before its company",
    "hrportal.billing.invoicing": "monthly invoicing and invoice numbers run over all companies",
    "hrportal.companies.invitations": "an invitation link names an invitation, not the company it is for",
    "hrportal.responses": "an id of another company: its owner is looked up to audit the attempt there",
    "hrportal.audit.log": "an event goes to the chain of the company it concerns; verifying reads them all",
}


class ScopeError(Exception):
    """A tenant-owned model was queried without an active company scope."""


class _CrossCompany:
    def __init__(self, reason, caller):
        self.reason, self.caller = reason, caller


class _Harness:
    """The test suite's own fixtures and assertions: the database shows every company, the ORM does not."""


def _db_state(value):
    """(role kind, company id) the database session must have for a scope value."""
    if value is None:
        return db_session.NO_COMPANY
    if isinstance(value, _CrossCompany | _Harness):
        return ("cross", "")
    return ("app", str(value.pk))


@contextlib.contextmanager
def _scoped(value):
    previous = _active_company.get()
    db_session.apply(_db_state(previous), _db_state(value))
    token = _active_company.set(value)
    try:
        yield
    finally:
        _active_company.reset(token)
        db_session.apply(_db_state(value), _db_state(previous))


@contextlib.contextmanager
def company_scope(company):
    if company is None or company.pk is None:
        raise ScopeError("company_scope() needs a saved company")
    with _scoped(company):
        yield company


@contextlib.contextmanager
def no_company():
    """Run without any company, as a fresh request or job does (the tests' handler uses it)."""
    with _scoped(None):
        yield


class cross_company:  # lower case: used like the context managers beside it
    """The one explicit door across companies; only the modules in CROSS_COMPANY_CALLERS may open it."""

    def __init__(self, *, reason: str, _caller_depth: int = 1):
        caller = sys._getframe(_caller_depth).f_globals.get("__name__", "?")
        if caller not in CROSS_COMPANY_CALLERS:
            raise ScopeError(f"cross_company() is not allowed in {caller}; see CROSS_COMPANY_CALLERS")
        if not reason:
            raise ScopeError("cross_company() needs a reason")
        self.reason, self.caller = reason, caller

    def __enter__(self):
        logger.info("cross-company access by %s: %s", self.caller, self.reason)
        self._cm = _scoped(_CrossCompany(self.reason, self.caller))
        return self._cm.__enter__()

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


@contextlib.contextmanager
def suite_harness():
    """For tests/conftest.py only: its fixtures and assertions read and write every company's rows."""
    caller = sys._getframe(2).f_globals.get("__name__", "?")
    if caller != "tests.conftest":
        raise ScopeError(f"suite_harness() is not allowed in {caller}")
    with _scoped(_Harness()):
        yield


def active_company():
    """The company of the current scope, or None (also None inside cross_company)."""
    value = _active_company.get()
    return None if value is None or isinstance(value, _CrossCompany | _Harness) else value


def require_active_company():
    company = active_company()
    if company is None:
        raise ScopeError("No active company")
    return company


def scoped_manager(model):
    """The manager for generic code walking related models (erasure, data export) inside a company scope."""
    return model.objects if issubclass(model, TenantModel) else model._base_manager


def require_scope_of(company_id):
    """For helpers given a company id by a caller that must already be in that company's scope."""
    company = require_active_company()
    if company.pk != company_id:
        raise ScopeError(f"In the scope of company {company.pk}, not of company {company_id}")
    return company


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Default manager of tenant-owned models: scoped to the active company, or it raises."""

    def get_queryset(self):
        value = _active_company.get()
        if value is None or isinstance(value, _Harness):
            raise ScopeError(
                f"{self.model.__name__} queried without a company scope; wrap the code in company_scope()"
            )
        qs = super().get_queryset()
        if isinstance(value, _CrossCompany):
            return qs
        return qs.filter(company_id=value.pk)


class TenantModel(models.Model):
    """Base for every row a company owns. `company` is set from the scope when not given."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = TenantManager()
    unscoped = models.Manager()  # noqa: DJ012 - only in the modules tests/hrportal/test_tenancy_doors.py lists

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

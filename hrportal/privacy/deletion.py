"""Deleting a company profile: all its personal data goes, its data key is destroyed, its users are removed.

What remains: the company row, anonymised and marked deleted (so invoices keep their owner), its invoices
with the customer details as invoiced (bookkeeping material, deleted by the retention sweep 5 years from
the end of their financial year, after which the sweep removes the company row too), and the audit log,
which holds no personal data and whose hash chain still verifies.

Files go too: the erasure hooks delete each employee's files (documents, signed PDFs), and the company
hooks whatever is left in the company's storage folder. Caches: the only ones that can matter are the
per-process caches of the company's data key (forgotten, also after the commit); the shared cache holds
no personal data (rate-limit counters keyed by hashed IP addresses, hashed one-time codes).

Destroying the data key (crypto-shredding) makes every encrypted value of the company unreadable, also in
backups taken before the deletion; the rows are deleted as well so the live database holds nothing.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.encryption.datakeys import destroy_company_key, forget_company
from hrportal.privacy.erasure import _delete_files
from hrportal.tenancy import TenantModel

# Tenant-owned models that survive the deletion (bookkeeping) - everything else of the company is deleted.
KEPT_MODELS = {"billing.Invoice"}


@dataclass
class DeletionResult:
    company_id: int
    rows: dict = field(default_factory=dict)
    users_deleted: int = 0
    users_detached: int = 0
    keys_destroyed: int = 0
    files: int = 0


def _tenant_models():
    return [
        m
        for m in apps.get_models()
        if issubclass(m, TenantModel) and m._meta.label not in KEPT_MODELS and not m._meta.proxy
    ]


def _delete_rows(queryset, result, label):
    files = 0
    has_files = any(isinstance(f, models.FileField) for f in queryset.model._meta.concrete_fields)
    if has_files:
        for row in queryset.iterator():
            files += _delete_files(row)
    _, per_model = queryset.delete()
    for name, count in per_model.items():
        if count:
            result.rows[name] = result.rows.get(name, 0) + count
    result.files += files


def _remove_user(user, result):
    """Delete a user who belongs to no other company; provider staff and editors are only detached."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if user.is_staff or user.is_superuser or user.memberships.exists():
        result.users_detached += 1
        return
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=user.email).delete()
    user_id = str(user.pk)
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
    user.delete()
    result.users_deleted += 1


@transaction.atomic
def delete_company(company, *, actor=None, request=None) -> DeletionResult:
    from hrportal.companies.models import Company, Mandate, Membership, SignupConfirmation
    from hrportal.privacy import hooks

    result = DeletionResult(company.pk)
    company_id = company.pk

    # Employees first through the erasure hooks (files kept outside model fields), then every tenant row.
    from hrportal.employees.models import Employee

    for employee in Employee.unscoped.filter(company_id=company_id):
        result.files += hooks.run_erasure_handlers(employee)
    for model in _tenant_models():
        _delete_rows(model.unscoped.filter(company_id=company_id), result, model._meta.label)
    # Then whatever files of the company no row pointed at (e.g. an interrupted upload).
    result.files += hooks.run_company_erasure_handlers(company_id)

    _delete_rows(SignupConfirmation.objects.filter(company_id=company_id), result, "signup")
    _delete_rows(Mandate.objects.filter(company_id=company_id), result, "mandates")
    members = [m.user for m in Membership.objects.filter(company_id=company_id).select_related("user")]
    _delete_rows(Membership.objects.filter(company_id=company_id), result, "memberships")
    for user in members:
        _remove_user(user, result)

    result.keys_destroyed = destroy_company_key(company_id)
    # destroy_company_key forgets this process's cached copy of the key at once; until the commit, another
    # thread may read the still committed key row and cache it again, so forget it once more afterwards.
    transaction.on_commit(lambda: forget_company(company_id))

    Company.objects.filter(pk=company_id).update(
        name=f"Deleted company {company_id}",
        cvr=f"X{company_id:07d}"[-8:],
        address="",
        postal_code="",
        city="",
        status=Company.Status.DELETED,
    )
    record(
        Action.COMPANY_DELETED,
        request=request,
        actor=actor,
        company_id=company_id,
        target_type="companies.company",
        target_id=str(company_id),
        details={
            "rows": result.rows,
            "users_deleted": result.users_deleted,
            "keys_destroyed": result.keys_destroyed,
            "files": result.files,
        },
    )
    return result

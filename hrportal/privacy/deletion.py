"""Deleting a company profile: all its personal data goes, its data key is destroyed, its users are removed.

What remains: the company row, anonymised and marked deleted (so invoices keep their owner), its invoices
with the customer details as invoiced (bookkeeping material, deleted by the retention sweep 5 years from
the end of their financial year, after which the sweep removes the company row too), and the audit log,
which holds no personal data and whose hash chain still verifies.

Files go too: the erasure hooks delete each employee's files (documents, signed PDFs), and the company
hooks whatever is left in the company's storage folder. Caches: the only ones that can matter are the
per-process caches of the company's data key (forgotten, also after the commit); the shared cache holds
no personal data (rate-limit counters keyed by hashed IP addresses, hashed one-time codes).

The request only closes the company (status "deleting", audited) and queues the deletion as a background
job (hrportal/jobs); the job deletes the employees in batches, showing its progress on a status page that
needs no login (the admin's account is among what is deleted), then the rest in one transaction.

Destroying the data key (crypto-shredding) makes every encrypted value of the company unreadable, also in
backups taken before the deletion; the rows are deleted as well so the live database holds nothing.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils.translation import gettext_lazy

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.encryption.datakeys import destroy_company_key, forget_company
from hrportal.jobs.progress import NullProgress, batches
from hrportal.privacy.erasure import Refusal, _delete_files, fresh_code_refusal
from hrportal.tenancy import TenantModel, company_scope

# Tenant-owned models that survive the deletion (bookkeeping) - everything else of the company is deleted
# (the deletion's own job row excepted, see delete_company).
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


BATCH = 50


NAME_MISMATCH = gettext_lazy("The name does not match the company's name.")


def company_name_matches(company, typed: str) -> bool:
    """The admin types the company's name: a deliberate act that a click on the wrong button is not."""
    return (typed or "").strip() == company.name


def company_deletion_refusal(company, user, *, typed_name, code) -> Refusal | None:
    """None when `user` may delete `company` now, else the first precondition not met.

    The name is compared first: a fresh code is spent when it is checked (`fresh_code_refusal`).
    """
    if not company_name_matches(company, typed_name):
        return Refusal("company_name", NAME_MISMATCH)
    return fresh_code_refusal(user, code)


def begin_deletion(company, *, actor=None, request=None):
    """Close the company at once (status "deleting": nobody can open it any more) and audit who asked.

    Runs in the request; the rest is the deletion job, queued in the same transaction.
    """
    from hrportal.companies.models import Company

    Company.objects.filter(pk=company.pk).update(status=Company.Status.DELETING)
    company.status = Company.Status.DELETING
    record(
        Action.COMPANY_DELETION_STARTED,
        request=request,
        actor=actor,
        company_id=company.pk,
        target_type="companies.company",
        target_id=str(company.pk),
    )


def run_deletion_job(job, progress) -> dict:
    from hrportal.billing.models import Invoice

    result = delete_company(job.company, progress=progress, keep_job=job.pk)
    return {
        "rows": sum(result.rows.values()),
        "files": result.files,
        "users_deleted": result.users_deleted,
        "invoices_kept": _count_in(job.company, Invoice),
    }


def _count_in(company, model) -> int:
    with company_scope(company):
        return model.objects.count()


def delete_company(company, **options) -> DeletionResult:
    with company_scope(company):
        return _delete_company(company, **options)


def _delete_company(company, *, actor=None, request=None, progress=None, keep_job=None) -> DeletionResult:
    """Delete everything of the company but its invoices and the audit log; idempotent, so a deletion that
    stopped half-way (a worker killed) finishes when run again.

    Employees go in batches, each batch in its own transaction with its progress after it; then the rest of
    the company's rows, its users and its data key in one final transaction. `keep_job` is the deletion
    job itself, which stays (holding counts only) so its status page can say "done".
    """
    from hrportal.companies.models import Company, Mandate, Membership, SignupConfirmation
    from hrportal.employees.models import Employee
    from hrportal.jobs.models import Job
    from hrportal.privacy import hooks

    progress = progress or NullProgress()
    company_id = company.pk
    result = DeletionResult(company_id)
    if company.status not in (Company.Status.DELETING, Company.Status.DELETED):
        begin_deletion(company, actor=actor, request=request)

    # Employees first through the erasure hooks (files kept outside model fields), a batch at a time.
    employee_ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    progress.begin("employees", len(employee_ids) + 1)
    for batch in batches(employee_ids, BATCH):
        with transaction.atomic():
            for employee in Employee.objects.filter(pk__in=batch):
                result.files += hooks.run_erasure_handlers(employee)
            _delete_rows(Employee.objects.filter(pk__in=batch), result, "employees")
        progress.advance(len(batch))

    with transaction.atomic():
        for model in _tenant_models():
            rows = model.objects.all()
            if model is Job:
                rows = rows.exclude(pk=keep_job)
            _delete_rows(rows, result, model._meta.label)
        # Then whatever files of the company no row pointed at (e.g. an interrupted upload, an export).
        result.files += hooks.run_company_erasure_handlers(company_id)

        _delete_rows(SignupConfirmation.objects.filter(company_id=company_id), result, "signup")
        _delete_rows(Mandate.objects.filter(company_id=company_id), result, "mandates")
        members = [m.user for m in Membership.objects.filter(company_id=company_id).select_related("user")]
        _delete_rows(Membership.objects.filter(company_id=company_id), result, "memberships")
        for user in members:
            _remove_user(user, result)

        result.keys_destroyed = destroy_company_key(company_id)
        # destroy_company_key forgets this process's cached copy of the key at once; until the commit,
        # another thread may read the still committed key row and cache it again, so forget it once more.
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
    progress.advance(1)
    return result

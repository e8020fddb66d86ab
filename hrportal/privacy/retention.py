"""Retention: when personnel files, records kept by law and invoices are due, and the daily sweep.

`sweep()` is idempotent (running it twice on a day deletes nothing the second time) and records what it
deleted as counts per company in the audit log, never contents. `manage.py retention_sweep` runs it daily.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.jobs.progress import NullProgress, batches
from hrportal.privacy import hooks
from hrportal.privacy.dates import add_years
from hrportal.privacy.models import DEFAULT_RETENTION_YEARS, RetainedRecord, RetentionPolicy
from hrportal.tenancy import company_scope

DEFAULT_REASON = _(
    "5 years after employment ends: claims from the employment expire after 5 years (forældelsesloven), and "
    "pay records are bookkeeping material kept 5 years (bogføringsloven). Keep files no longer than needed."
)


def retention_years(company) -> int:
    with company_scope(company):
        policy = RetentionPolicy.objects.first()
    return policy.years_after_employment if policy else DEFAULT_RETENTION_YEARS


def employee_delete_on(employee, years: int) -> datetime.date | None:
    """The day the sweep deletes an employee's file: `years` after employment ended (None while employed)."""
    if employee.end_date is None:
        return None
    return add_years(employee.end_date, years)


def _employees(company):
    from hrportal.employees.models import Employee

    return Employee.objects.filter(end_date__isnull=False)  # in the company's scope: see the callers


@dataclass
class DueItem:
    kind: str
    object_id: int
    delete_on: datetime.date
    label: str = ""


def due_for_deletion(company, *, today=None, within_days: int = 30) -> list[DueItem]:
    """Everything of the company the sweep will delete up to `within_days` from today (overdue included)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    years = retention_years(company)
    latest_end = add_years(horizon, -years)
    items = []
    with company_scope(company):
        for employee in _employees(company).filter(end_date__lte=latest_end):
            items.append(DueItem("employee", employee.pk, employee_delete_on(employee, years)))
        for kept in RetainedRecord.objects.filter(delete_on__lte=horizon):
            items.append(DueItem("retained", kept.pk, kept.delete_on))
    return sorted(items, key=lambda item: (item.delete_on, item.kind, item.object_id))


@dataclass
class SweepResult:
    employees: int = 0
    retained_records: int = 0
    invoices: int = 0
    orphan_files: int = 0
    companies_removed: int = 0
    exports: int = 0
    public: dict = field(default_factory=dict)
    per_company: dict = field(default_factory=dict)


BATCH = 50


def sweep_company(company, *, today=None, progress=None) -> tuple[dict, bool]:
    with company_scope(company):
        return _sweep_company(company, today=today, progress=progress)


def _sweep_company(company, *, today=None, progress=None) -> tuple[dict, bool]:
    """Delete what of one company is past its date; returns the counts (also written to its audit log)
    and whether the company's last row went with it.

    Employees go in batches, each in its own transaction with its progress after it, so a sweep of a
    large company shows how far it is and a failure keeps what was done (running it again finishes).
    """
    from hrportal.billing.models import Invoice
    from hrportal.companies.models import Company
    from hrportal.employees.models import Employee
    from hrportal.privacy.erasure import erase_employee

    today = today or timezone.localdate()
    progress = progress or NullProgress()
    counts = {"employees": 0, "retained_records": 0, "invoices": 0, "orphan_files": 0}
    years = retention_years(company)
    due = list(
        _employees(company).filter(end_date__lte=add_years(today, -years)).values_list("pk", flat=True)
    )
    progress.begin("employees", len(due) + 1)
    for batch in batches(due, BATCH):
        with transaction.atomic():
            for employee in Employee.objects.filter(pk__in=batch):
                erase_employee(employee, reason="retention", today=today)
                counts["employees"] += 1
        progress.advance(len(batch))
    if company.status != Company.Status.DELETED:  # a deleted company's folder went with it
        # Encrypted files no row points at (a request or job that died between storing and committing).
        counts["orphan_files"] = hooks.run_orphan_file_sweeps(company.pk)
    with transaction.atomic():
        expired = RetainedRecord.objects.filter(delete_on__lte=today)
        counts["retained_records"] = expired.delete()[1].get(RetainedRecord._meta.label, 0)
        invoices = [i.pk for i in Invoice.objects.all() if i.keep_until < today]
        if invoices:
            counts["invoices"] = Invoice.objects.filter(pk__in=invoices).delete()[0]
        if any(counts.values()):
            record(Action.RETENTION_SWEEP, company_id=company.pk, details=dict(counts))
        removed = company.status == Company.Status.DELETED and not Invoice.objects.exists()
        if removed:
            company.delete()  # only the audit log (plain ids) remembers it existed
    progress.advance(1)
    return counts, removed


def companies_to_sweep():
    """Companies the sweep covers: not signups in progress, not a company whose deletion job is running."""
    from hrportal.companies.models import Company

    return Company.objects.filter(status__in=[Company.Status.ACTIVE, Company.Status.DELETED]).order_by("pk")


def run_sweep_job(job, progress) -> dict:
    counts, _removed = sweep_company(job.company, progress=progress)
    return counts


def sweep(*, today=None) -> SweepResult:
    """Sweep every company now, in this process (the daily command queues one job per company instead),
    then the expired exports and the public site's data past its period."""
    from cms_pages.retention import purge_public_data
    from hrportal.jobs.exports import delete_expired_exports

    result = SweepResult()
    for company in companies_to_sweep():
        counts, removed = sweep_company(company, today=today)
        if any(counts.values()):
            result.per_company[company.pk] = counts
        result.employees += counts["employees"]
        result.retained_records += counts["retained_records"]
        result.invoices += counts["invoices"]
        result.orphan_files += counts["orphan_files"]
        result.companies_removed += removed
    result.exports = delete_expired_exports()
    result.public = purge_public_data()
    return result

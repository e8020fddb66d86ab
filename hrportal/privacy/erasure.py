"""Erasure of an employee (GDPR art. 17), also used by the retention sweep.

What the law requires to keep (fields marked `keep_on_erasure` in the registry, e.g. pay records under
Bogføringsloven) is moved into one `RetainedRecord`, sealed with the company's key, with its legal basis
and the date the sweep deletes it; everything else goes: the employee row and every row pointing at it
(files in storage included), and free text of the employee's data-subject requests. The audit log keeps
the event with counts and ids only.

Files kept outside model fields (HR documents and their signed PDFs) are deleted by the owning module's
erasure hook (`hooks.register_employee_erasure`), with the rows that describe them. No cache holds an
employee's data: decrypted values live for one request only, so there is no cache to clear here (company
deletion forgets the company's cached data key).

Its preconditions (`erasure_refusal`, and the fresh code that erasure, the full export and company
deletion share) are functions here rather than form code, so whatever asks for an erasure meets the same
refusals as the portal's page.
"""

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.privacy import hooks, registry
from hrportal.privacy.dates import bookkeeping_keep_until
from hrportal.tenancy import scoped_manager


@dataclass(frozen=True)
class Refusal:
    """Why an irreversible act may not go ahead: the form field it concerns and what to tell the user."""

    field: str
    message: str


def fresh_code_refusal(user, code) -> Refusal | None:
    """None when `code` is a fresh code from the user's authenticator app, else why not.

    Asked in the form itself, so a stolen session alone cannot erase an employee, take out all their data
    (CPR included) or delete the company; never a backup code, as for signing a document or revealing a
    CPR number. Checking spends the code (each time step is accepted once), so ask last, once every other
    precondition holds.
    """
    from hrportal.accounts.twofactor import verify_code

    if verify_code(user, code or "", allow_backup=False) is None:
        return Refusal("code", _("The code is wrong or was already used. Wait for the next code."))
    return None


def erasure_refusal(user, *, confirmed: bool, code) -> Refusal | None:
    """None when `user` may erase an employee now, else the first precondition not met.

    Erasure cannot be undone, so the user says they understand that, and proves with a fresh code that
    they are at the keyboard; the code is checked last so a refused confirmation does not spend it.
    """
    if not confirmed:
        return Refusal("confirm", _("Confirm that you understand that this cannot be undone."))
    return fresh_code_refusal(user, code)


@dataclass
class ErasureResult:
    employee_id: int
    retained: object | None
    related_rows: int
    files: int


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def retention_end_for_kept_data(employee, today=None) -> datetime.date:
    """Last day the pay records must be kept: 5 years from the end of the financial year of the last pay."""
    today = today or timezone.localdate()
    last_pay = min(employee.end_date, today) if employee.end_date else today
    return bookkeeping_keep_until(last_pay, *settings.BOOKKEEPING_FINANCIAL_YEAR_END)


def kept_by_law(employee, today=None):
    """(fields, basis, delete_on) that an erasure today would keep, or None when nothing must be kept."""
    today = today or timezone.localdate()
    kept = registry.kept_on_erasure(employee._meta.label)
    if not kept:
        return None
    delete_on = retention_end_for_kept_data(employee, today) + datetime.timedelta(days=1)
    if delete_on <= today:
        return None
    return [p.field for p in kept], kept[0].keep_on_erasure, delete_on


def _delete_files(instance) -> int:
    count = 0
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            file = getattr(instance, field.attname)
            if file and file.name:
                file.storage.delete(file.name)
                count += 1
    return count


def _rows_pointing_at(employee):
    """(relation, queryset) for every model with a foreign key to this employee."""
    for rel in employee._meta.related_objects:
        if not rel.many_to_one and not rel.one_to_one:
            continue
        model = rel.related_model
        yield rel, scoped_manager(model).filter(**{rel.field.name: employee.pk})


@transaction.atomic
def erase_employee(employee, *, actor=None, request=None, reason="request", today=None) -> ErasureResult:
    from hrportal.privacy.models import DataSubjectRequest, RetainedRecord

    today = today or timezone.localdate()
    employee_id, company_id = employee.pk, employee.company_id
    retained = None
    keep = kept_by_law(employee, today)
    if keep is not None:
        fields, basis, delete_on = keep
        retained = RetainedRecord(
            company_id=company_id,
            employee_ref=employee_id,
            data=json.dumps({name: _json_value(getattr(employee, name)) for name in fields}, sort_keys=True),
            fields=fields,
            legal_basis=basis.key,
            delete_on=delete_on,
        )
        retained.save()

    files = hooks.run_erasure_handlers(employee)
    related = 0
    # Requests stay as proof that they were handled, without the free text that may describe the person.
    for dsr in DataSubjectRequest.objects.filter(employee_id=employee_id):
        dsr.description = ""
        dsr.requester_name = dsr.requester_email = ""  # sent through the link: who the person said they were
        if dsr.status == DataSubjectRequest.Status.OPEN and dsr.kind == DataSubjectRequest.Kind.ERASURE:
            dsr.status = DataSubjectRequest.Status.CLOSED
            dsr.closed_on = today
            dsr.closed_by = actor
            dsr.outcome = "Erased" + (" (kept by law until the date shown)" if retained else "")
        dsr.employee = None
        dsr.save()
        related += 1
    for rel, rows in _rows_pointing_at(employee):
        if rel.related_model is DataSubjectRequest:
            continue
        for row in rows:
            files += _delete_files(row)
            related += 1
    employee.delete()
    record(
        Action.EMPLOYEE_ERASED,
        request=request,
        actor=actor,
        company_id=company_id,
        target_type="employees.employee",
        target_id=str(employee_id),
        details={
            "reason": reason,
            "related_rows": related,
            "files": files,
            "retained_fields": retained.fields if retained else [],
        },
    )
    return ErasureResult(employee_id, retained, related, files)

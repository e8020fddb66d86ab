"""What the company's admin has to do, most urgent first, for the portal's front page (issue 17).

Each kind of task is at most a couple of queries whatever the size of the company: lists are cut to
`SHOWN` items in the database and the rest is a count with a link to the full list, so the front page of a
company with 10,000 employees costs what one with ten does. Everything is read through the scoped
managers, inside the request's company.

Tasks for provider staff acting under a mandate leave out what only the company itself may do (its
data-subject requests and its data processing agreement), as the rest of the portal does.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SHOWN = 5
MANDATE_WARNING_DAYS = 14
FAILED_JOBS_DAYS = 30


@dataclass(frozen=True)
class Task:
    kind: str  # a stable name for the kind of task (tests, styling)
    text: str
    url: str
    due: datetime.date | None = None
    today: datetime.date | None = None

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def due_text(self) -> str:
        if self.due is None:
            return ""
        days = self.days_left
        if days < 0:
            return ngettext(
                "Overdue by %(days)d day (%(date)s)", "Overdue by %(days)d days (%(date)s)", -days
            ) % {"days": -days, "date": _date(self.due)}
        if days == 0:
            return _("Due today")
        return ngettext("Due %(date)s: %(days)d day left", "Due %(date)s: %(days)d days left", days) % {
            "days": days,
            "date": _date(self.due),
        }

    @property
    def sort_key(self):
        return (self.due is None, self.due or datetime.date.max, self.kind)


def _requests(today):
    from hrportal.privacy.models import DataSubjectRequest

    tasks = []
    open_requests = DataSubjectRequest.objects.filter(status=DataSubjectRequest.Status.OPEN).order_by(
        "due_on", "pk"
    )
    for dsr in open_requests[:SHOWN]:
        text = _("Answer the request for %(kind)s received %(date)s") % {
            "kind": dsr.get_kind_display().lower(),
            "date": _date(dsr.received_on),
        }
        url = reverse("portal:request_detail", args=[dsr.pk])
        tasks.append(Task("request", text, url, dsr.due_on, today))
    return tasks


def _contracts(today):
    """Current employees with no employment contract (ansættelsesbevis) in the portal, oldest start first:
    the act's deadlines run from the start date (7 days for the core items, 1 month for the rest)."""
    from hrportal.documents import notice
    from hrportal.documents.models import Document, DocumentKind
    from hrportal.employees.models import Employee

    contract = Document.objects.filter(employee=OuterRef("pk"), kind=DocumentKind.CONTRACT).exclude(
        status=Document.Status.VOID
    )
    missing = (
        Employee.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__isnull=False)
        .exclude(Exists(contract))
        .order_by("start_date", "pk")
    )
    tasks = []
    found = list(missing[: SHOWN + 1])  # one more than shown says whether there are others
    for employee in found[:SHOWN]:
        deadline = notice.contract_deadline(employee.start_date, today)
        due = deadline.core_due if not deadline.core_overdue else deadline.rest_due
        text = _("Give %(name)s an employment contract (ansættelsesbevis)") % {"name": employee.name}
        url = reverse("portal:employee_documents", args=[employee.pk])
        tasks.append(Task("contract", text, url, due, today))
    if len(found) > SHOWN:
        text = _("More employees lack an employment contract: see them all")
        tasks.append(Task("contract_list", text, reverse("portal:document_contracts"), None, today))
    return tasks


def _signatures(today):
    from hrportal.documents.models import SignatureRequest, Signer

    pending = (
        SignatureRequest.objects.filter(status=SignatureRequest.Status.PENDING)
        .select_related("document")
        .prefetch_related("signers__signature")
        .order_by("created_at", "pk")
    )
    tasks = []
    for signature_request in pending[:SHOWN]:
        waiting = [s for s in signature_request.signers.all() if s.signature_or_none is None]
        if not waiting:
            continue
        whom = ", ".join(
            _("you (the company)") if s.role == Signer.Role.COMPANY else _("the employee") for s in waiting
        )
        text = _("%(title)s awaits the signature of %(whom)s") % {
            "title": signature_request.document.get_kind_display(),
            "whom": whom,
        }
        expires = [s.token_expires_at for s in waiting if s.token_expires_at]
        due = timezone.localdate(min(expires)) if expires else None
        url = reverse("portal:document_detail", args=[signature_request.document_id])
        tasks.append(Task("signature", text, url, due, today))
    return tasks


def _agreement(company, today):
    from hrportal.privacy import dpa

    state = dpa.status(company)
    if not state.needs_acceptance:
        return []
    if state.processors_changed:
        text = _("Review the changed sub-processors and accept the data processing agreement again")
    else:
        text = _("Accept the data processing agreement, version %(version)s") % {
            "version": state.current.version
        }
    return [Task("agreement", text, reverse("portal:dpa"), None, today)]


def _deletions(company, today):
    from hrportal.privacy import retention

    due = retention.due_for_deletion(company, today=today, within_days=30)
    if not due:
        return []
    text = ngettext(
        "%(count)d record reaches its deletion date within 30 days",
        "%(count)d records reach their deletion date within 30 days",
        len(due),
    ) % {"count": len(due)}
    return [Task("deletion", text, reverse("portal:retention"), due[0].delete_on, today)]


def _failed_jobs(today):
    from hrportal.jobs.models import Job

    since = timezone.now() - datetime.timedelta(days=FAILED_JOBS_DAYS)
    failed = Job.objects.filter(status=Job.Status.FAILED, created_at__gte=since).order_by("-created_at")
    return [
        Task(
            "job",
            _("%(kind)s failed on %(date)s")
            % {"kind": job.get_kind_display(), "date": _date(job.created_at)},
            reverse("portal:job_detail", args=[job.pk]),
            None,
            today,
        )
        for job in failed[:SHOWN]
    ]


def _mandate(company, today):
    mandate = company.active_mandate()
    if mandate is None or mandate.valid_until is None:
        return []
    ends = timezone.localdate(mandate.valid_until)
    if (ends - today).days > MANDATE_WARNING_DAYS:
        return []
    text = _("Ansatte's fuldmagt ends on %(date)s: renew it if you still want help") % {"date": _date(ends)}
    return [Task("mandate", text, reverse("portal:mandate"), ends, today)]


def _date(value) -> str:
    from django.utils.formats import date_format

    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return date_format(value, "DATE_FORMAT")


def tasks_for(company, *, via_mandate: bool, today: datetime.date | None = None) -> list[Task]:
    today = today or timezone.localdate()
    tasks = [*_contracts(today), *_signatures(today), *_deletions(company, today), *_failed_jobs(today)]
    if not via_mandate:
        tasks += [*_requests(today), *_agreement(company, today), *_mandate(company, today)]
    return sorted(tasks, key=lambda task: task.sort_key)

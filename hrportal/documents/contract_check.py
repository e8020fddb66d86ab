"""The ansættelsesbevis check: does each current employee have a contract stating every item of the act?

An employee's contract is their newest contract that is not void (by document date, then id). It is
complete when it covers every item of `contract_items.ITEMS`:

* made in the portal: its `ContractCoverage` was written from the form in the same transaction; one made
  before coverage was recorded has none, and is complete, because the contract form has always refused to
  finish with an item missing;
* uploaded: the items the admin ticked (`ContractCoverage`); none ticked yet means every item is missing,
  since nobody has said what the file states.

The deadlines run from the start date (`notice.contract_deadline`): the core items within 7 days, the rest
within a month. The act applies above 3 hours a week on average (`applies`). Reads go through the scoped
managers, inside the request's company; `overview` costs the same number of queries at any size.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from hrportal.documents import contract_items, notice
from hrportal.documents.models import ContractCoverage, Document, DocumentKind

SOON_DAYS = 14  # the overview marks a deadline within this many days (or passed)


@dataclass
class ContractStatus:
    employee: object
    contract: Document | None
    missing: list = field(default_factory=list)  # ContractItems
    checked: bool = True  # False: an uploaded contract whose items were never ticked
    deadline: notice.ContractDeadline | None = None
    today: datetime.date | None = None

    @property
    def complete(self) -> bool:
        return self.contract is not None and not self.missing

    @property
    def core_missing(self) -> bool:
        return any(item.core for item in self.missing)

    @property
    def due(self) -> datetime.date | None:
        """The deadline that matters: 7 days while a core item is missing, else the month."""
        if self.complete or self.deadline is None:
            return None
        return self.deadline.core_due if self.core_missing else self.deadline.rest_due

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def due_soon(self) -> bool:
        return self.due is not None and self.days_left <= SOON_DAYS

    @property
    def fix_with_ticks(self) -> bool:
        """The fix is to tick the uploaded file's items (else: make a contract in the portal)."""
        return self.contract is not None and self.contract.source == Document.Source.UPLOAD

    @property
    def sort_key(self):
        return (self.due is None, self.due or datetime.date.max, self.employee.start_date, self.employee.pk)


def applies(employee) -> bool:
    """The act covers a current employee working above 3 hours a week on average (hours unknown: yes)."""
    if not employee.is_active:
        return False
    return employee.weekly_hours is None or employee.weekly_hours > 3


def coverage_of(document):
    try:
        return document.coverage
    except ContractCoverage.DoesNotExist:
        return None


def status_for(employee, contract, today) -> ContractStatus:
    """The check for one employee and their newest non-void contract (or None)."""
    deadline = notice.contract_deadline(employee.start_date, today)
    if contract is None:
        return ContractStatus(employee, None, list(contract_items.ITEMS), True, deadline, today)
    coverage = coverage_of(contract)
    if coverage is not None:
        return ContractStatus(employee, contract, coverage.missing, True, deadline, today)
    if contract.source == Document.Source.TEMPLATE:
        return ContractStatus(employee, contract, [], True, deadline, today)
    return ContractStatus(employee, contract, list(contract_items.ITEMS), False, deadline, today)


def _contracts():
    return (
        Document.objects.filter(kind=DocumentKind.CONTRACT)
        .exclude(status=Document.Status.VOID)
        .select_related("coverage")
        .order_by("employee_id", "-document_date", "-id")
    )


def newest_contract(employee, documents=None):
    """The employee's newest non-void contract; `documents`, when already loaded, saves a query (their
    coverage is then read per document)."""
    if documents is None:
        return _contracts().filter(employee=employee).first()
    contracts = [d for d in documents if d.kind == DocumentKind.CONTRACT and not d.is_void]
    return max(contracts, key=lambda d: (d.document_date, d.pk), default=None)


def employee_status(employee, documents=None, today=None) -> ContractStatus | None:
    """The check for one employee, or None when the act does not apply to them."""
    if not applies(employee):
        return None
    today = today or timezone.localdate()
    return status_for(employee, newest_contract(employee, documents), today)


def overview(today=None) -> list[ContractStatus]:
    """Every current employee the act applies to whose contract is missing or lacks items, most urgent
    first (the earliest deadline that still matters; passed ones first). Two queries at any size."""
    from hrportal.employees.models import Employee

    today = today or timezone.localdate()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    employees = [e for e in Employee.objects.filter(current) if applies(e)]
    newest = {}
    of_current = Q(employee__end_date__isnull=True) | Q(employee__end_date__gte=today)
    for document in _contracts().filter(of_current):
        newest.setdefault(document.employee_id, document)
    statuses = [status_for(e, newest.get(e.pk), today) for e in employees]
    return sorted((s for s in statuses if not s.complete), key=lambda s: s.sort_key)

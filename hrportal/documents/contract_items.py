"""The items an employment contract (ansættelsesbevis) must state, defined once.

The act is lov om ansættelsesbeviser og visse arbejdsvilkår, adopted 11 May 2023 and in force 1 July 2023
(it replaced the 1993 ansættelsesbevisloven). It transposes directive (EU) 2019/1152, whose article 4(2)
lists the minimum items (letters a-o) and article 5(1) the deadline: items a-e, g, k, l and m within 7
calendar days of the start, the rest within a month.

What was verified, and against what: the adoption and in-force dates, the 3-hour threshold, the 7-day and
1-month deadlines and which items fall under the 7-day one (parties, workplace, the work, start, fixed
term, probation, pay, working hours and overtime, an unpredictable pattern) agree across several Danish
law firms' and employers' associations' summaries and with the directive's articles 4-5. The act's law
number and the exact paragraph and item numbers of the Danish text (the items are in its §§ 3-5) were
not checked against retsinformation.dk, so each item names the directive's letter, which is certain,
instead of a Danish item number that might be wrong.

A contract made in the portal fills the items from its form (`ContractForm`: each item is one or more of
its fields, see `FIELDS`); for an uploaded contract the admin ticks the items it covers
(`ContractCoverage`). An item that applies only sometimes (a fixed term, an agency worker, an
unpredictable pattern) counts as covered when it does not apply.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ContractItem:
    key: str  # stored in ContractCoverage.items: never rename one
    label: str  # translatable
    directive: str  # the letter of directive 2019/1152 art. 4(2)
    core: bool  # due within 7 days of the start (else within a month)
    fields: tuple[str, ...]  # the ContractForm fields that state it
    any_field: bool = False  # one of `fields` suffices (the act: a title *or* a description)
    applies_if: str = ""  # a ContractForm boolean: without it ticked, the item does not apply
    help_text: str = ""


ITEMS: tuple[ContractItem, ...] = (
    ContractItem(
        "parties",
        _("The employer's and the employee's names and addresses"),
        "a",
        True,
        ("employer_name", "employer_address", "employee_name", "employee_address"),
    ),
    ContractItem("workplace", _("Place of work"), "b", True, ("workplace",)),
    ContractItem(
        "work",
        _("Job title or description of the work"),
        "c",
        True,
        ("job_title", "job_description"),
        any_field=True,
    ),
    ContractItem("start_date", _("Start date"), "d", True, ("start_date",)),
    ContractItem(
        "fixed_term",
        _("Expected duration of a fixed-term employment"),
        "e",
        True,
        ("end_date",),
        applies_if="fixed_term",
        help_text=_("Tick it also when the employment is not fixed-term."),
    ),
    ContractItem(
        "user_undertakings",
        _("An agency worker's user undertakings"),
        "f",
        False,
        ("user_undertakings",),
        applies_if="agency_worker",
        help_text=_("Tick it also when the employee is not an agency worker."),
    ),
    ContractItem("probation", _("Probation period"), "g", True, ("probation",)),
    ContractItem("training", _("Training offered by the employer"), "h", False, ("training",)),
    ContractItem("holiday", _("Holiday"), "i", False, ("holiday",)),
    ContractItem("notice", _("Notice periods"), "j", False, ("notice",)),
    ContractItem(
        "pay",
        _("Salary, other pay components, payment times and method"),
        "k",
        True,
        ("salary", "salary_components", "payment_times"),
    ),
    ContractItem(
        "working_hours",
        _("Normal working hours and overtime"),
        "l",
        True,
        ("working_hours", "overtime"),
    ),
    ContractItem(
        "unpredictable",
        _("Reference hours and days of an unpredictable working pattern"),
        "m",
        True,
        ("reference_hours",),
        applies_if="unpredictable",
        help_text=_("Tick it also when the working pattern is predictable."),
    ),
    ContractItem("collective_agreement", _("Collective agreements"), "n", False, ("collective_agreement",)),
    ContractItem("pension", _("Pension and social security"), "o", False, ("pension",)),
)

BY_KEY = {item.key: item for item in ITEMS}
KEYS = tuple(BY_KEY)


def _filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def covered_by_form(data: dict) -> list[str]:
    """The keys of the items a contract form's cleaned data states (or that do not apply to it)."""
    covered = []
    for item in ITEMS:
        if item.applies_if and not data.get(item.applies_if):
            covered.append(item.key)
            continue
        values = [_filled(data.get(name)) for name in item.fields]
        if any(values) if item.any_field else all(values):
            covered.append(item.key)
    return covered


def missing(covered) -> list[ContractItem]:
    """The items not in `covered` (keys), in the act's order."""
    covered = set(covered)
    return [item for item in ITEMS if item.key not in covered]


def clean_keys(keys) -> list[str]:
    """Known keys only, once each, in the act's order (what ContractCoverage stores)."""
    wanted = set(keys)
    return [key for key in KEYS if key in wanted]

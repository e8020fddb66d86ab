"""Exports of the company's employees: CSV (Danish Excel: `;`, UTF-8 with BOM) and XLSX. CPR masked.

Cells that a spreadsheet would run as a formula (starting with =, @, + or - and not just a number or a
phone number) are prefixed with an apostrophe (CSV/formula injection).
"""

import csv
import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from hrportal.employees import unreadable
from hrportal.employees.columns import COLUMNS
from hrportal.employees.listing import sort_key
from hrportal.employees.models import Employee
from hrportal.privacy.restriction import restricted_employee_ids
from hrportal.tenancy import require_active_company

_NUMBERLIKE = re.compile(r"^[+-]?[\d\s().]+$")


def employees_for_export(ids=None) -> list:
    """The active company's employees in name order, without those whose processing is restricted
    (GDPR art. 18: no exports except the access export to the person, from the privacy page).

    `ids`: only these (a selection in the list); the company scope of the manager drops any id that is
    not the active company's, so a forged selection exports nothing of another company."""
    restricted = restricted_employee_ids(require_active_company())
    rows = Employee.objects.select_related("company")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    employees = [e for e in rows if e.pk not in restricted]
    fields = [field for field, _header, _aliases, _label in COLUMNS]
    for employee in employees:  # a row that does not decrypt is exported as unreadable, alone, last
        unreadable.check(employee, fields)
    employees.sort(key=lambda e: (e.unreadable, "" if e.unreadable else sort_key(e.name), e.pk))
    return employees


def safe_cell(value: str) -> str:
    if value and value[0] in "=+-@\t\r" and not _NUMBERLIKE.match(value):
        return "'" + value
    return value


def _cells(employee, *, for_csv: bool) -> list:
    if getattr(employee, "unreadable", False):
        return [_("(cannot be read – support has been alerted)")] + [""] * (len(COLUMNS) - 1)
    cells = []
    for field, _header, _aliases, _label in COLUMNS:
        if field == "cpr":
            cells.append(employee.cpr_masked)
            continue
        value = getattr(employee, field)
        if value is None:
            cells.append("")
        elif field in ("start_date", "end_date"):
            cells.append(value.strftime("%d-%m-%Y") if for_csv else value)
        elif field in ("weekly_hours", "salary"):
            cells.append(str(value).replace(".", ",") if for_csv else float(value))
        else:
            cells.append(safe_cell(str(value)))
    return cells


def to_csv(employees) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for _f, header, _a, _l in COLUMNS])
    for employee in employees:
        writer.writerow(_cells(employee, for_csv=True))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(employees) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Medarbejdere")
    sheet.append([header for _f, header, _a, _l in COLUMNS])
    for employee in employees:
        sheet.append(_cells(employee, for_csv=False))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(extension: str) -> str:
    return f"medarbejdere-{timezone.localdate():%Y-%m-%d}.{extension}"

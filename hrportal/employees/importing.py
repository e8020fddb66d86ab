"""CSV import of employees: read (UTF-8 or Windows-1252, `;`), check every row, then save all or nothing.

The dry run does not store the file anywhere: when every row is valid, the page carries the file back
sealed with the company's data key (bound to the company and the user, expiring), and the confirmation
checks every row again before saving them in one transaction.
"""

import csv
import io
import json
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.employees.columns import COLUMNS, REQUIRED, header_map
from hrportal.employees.cpr import normalize_cpr
from hrportal.employees.forms import EmployeeForm
from hrportal.encryption import datakeys
from hrportal.encryption.keyring import DecryptionError

DATE_FORMATS = ["%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d.%m.%y"]


class ImportFileError(Exception):
    pass


class ImportExpired(Exception):
    pass


class ImportConflict(Exception):
    pass


class ImportEmployeeForm(EmployeeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = DATE_FORMATS
        for name in ("weekly_hours", "salary"):
            self.fields[name].localize = False


@dataclass
class RowResult:
    line: int
    errors: list = field(default_factory=list)
    form: ImportEmployeeForm | None = None

    @property
    def ok(self):
        return not self.errors


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.file_errors and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def valid_count(self):
        return sum(1 for r in self.rows if r.ok)

    @property
    def error_count(self):
        return sum(1 for r in self.rows if not r.ok)


def read_upload(upload) -> str:
    limit = settings.EMPLOYEES_IMPORT_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(_("The file is too large (at most %(size)d KB).") % {"size": limit // 1024})
    return decode(data)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file is neither UTF-8 nor Windows-1252 text.")) from exc


def _number(value: str) -> str:
    value = value.replace(" ", "").replace("\u00a0", "")
    if "," in value:  # Danish: 1.234,50
        value = value.replace(".", "").replace(",", ".")
    return value


@sensitive_variables("text", "values", "data", "row")
def check(text: str) -> ImportReport:
    report = ImportReport()
    if "\x00" in text:
        report.file_errors.append(_("The file is not a CSV file."))
        return report
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        report.file_errors.append(_("The file is empty."))
        return report
    except csv.Error:
        report.file_errors.append(_("The file is not a CSV file."))
        return report
    mapping = header_map()
    fields, headers = [], {}
    for raw in header:
        name = raw.strip()
        target = mapping.get(name.casefold())
        if not name:
            fields.append(None)
            continue
        if target is None:
            report.file_errors.append(_("Unknown column “%(column)s”.") % {"column": name[:50]})
        elif target in headers:
            report.file_errors.append(_("The column “%(column)s” appears twice.") % {"column": name[:50]})
        else:
            headers[target] = name
        fields.append(target)
    for field_name, danish, _aliases, _label in COLUMNS:
        if field_name in REQUIRED and field_name not in headers:
            report.file_errors.append(_("The column “%(column)s” is missing.") % {"column": danish})
    if report.file_errors:
        return report

    seen_cpr = {}
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            result = RowResult(line=line)
            report.rows.append(result)
            if len(row) > len(fields):
                result.errors.append(
                    _("Row %(row)d has more cells than the header has columns.") % {"row": line}
                )
                continue
            values = {f: (row[i].strip() if i < len(row) else "") for i, f in enumerate(fields) if f}
            for name in ("weekly_hours", "salary"):
                if values.get(name):
                    values[name] = _number(values[name])
            form = ImportEmployeeForm(data=values)
            result.form = form
            if not form.is_valid():
                for name, errors in form.errors.items():
                    column = headers.get(name, name)
                    for message in errors:
                        result.errors.append(
                            _("Row %(row)d, column “%(column)s”: %(error)s")
                            % {"row": line, "column": column, "error": message}
                        )
            try:
                digits = normalize_cpr(values.get("cpr", ""))
            except ValidationError:
                continue
            if digits in seen_cpr:
                result.errors.append(
                    _("Row %(row)d, column “%(column)s”: the same CPR number as row %(other)d.")
                    % {"row": line, "column": headers["cpr"], "other": seen_cpr[digits]}
                )
            else:
                seen_cpr[digits] = line
    except csv.Error:
        report.file_errors.append(
            _("The file could not be read as CSV (line %(line)d).") % {"line": reader.line_num}
        )
    if not report.rows and not report.file_errors:
        report.file_errors.append(_("The file has no employees."))
    return report


def save(report: ImportReport, *, request) -> list:
    if not report.ok:
        raise ValueError("Only a report without errors can be saved")
    created = []
    try:
        with transaction.atomic():
            for row in report.rows:
                created.append(row.form.save())
            record(
                Action.EMPLOYEES_IMPORTED,
                request=request,
                details={"count": len(created)},
            )
    except IntegrityError as exc:  # a CPR added by someone else since the check
        raise ImportConflict from exc
    return created


def _payload_aad(company, user) -> bytes:
    return f"employees-import|company={company.pk}|user={user.pk}".encode()


@sensitive_variables("text")
def make_payload(text: str, company, user) -> str:
    data = json.dumps({"t": int(time.time()), "text": text}).encode()
    return datakeys.encrypt(company.pk, data, _payload_aad(company, user))


def open_payload(token: str, company, user) -> str:
    try:
        data = json.loads(datakeys.decrypt(company.pk, token, _payload_aad(company, user)))
    except (DecryptionError, ValueError, TypeError) as exc:
        raise ImportExpired from exc
    if time.time() - data.get("t", 0) > settings.EMPLOYEES_IMPORT_MAX_AGE:
        raise ImportExpired
    return data["text"]

"""The employee list: filter, search and sort over encrypted names, then paginate.

Names are encrypted, so the database can neither search nor sort them, and we give it nothing that
would let it (no order-preserving encryption, no name blind index). Instead:

* Sorting (by name or start date) and the active/ended filter come from the company's list snapshot
  (hrportal/employees/snapshot.py): the ids in name order with their plain start/end dates, cached under
  a version token that every change to the company's employees replaces (in the same transaction). The
  snapshot is rebuilt, decrypting every name once, only on the first request after a change. The default
  page therefore decrypts nothing but the 25 rows it shows.
* A name search (any substring of the folded name, every term must match) opens the snapshot's sealed
  folded names - one AES-GCM value for the whole company, not one per employee - and filters in memory.
  The plaintext names live for the request only; the cache holds them sealed with the company's data key.
* An exact CPR search goes through the per-company blind index in the database (at most one row).

Security trade-off (see docs/performance.md): whoever can read the cache (process memory, or Redis) learns
the alphabetical order of the employee ids - nothing else it could not read from the database already.
"""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone

from hrportal.employees import snapshot, unreadable
from hrportal.employees.cpr import cpr_index, looks_like_cpr
from hrportal.employees.models import Employee
from hrportal.encryption.keyring import DecryptionError, KeyUnavailableError
from hrportal.tenancy import require_active_company

SORTS = ("name", "-name", "start", "-start", "department", "-department")
STATUSES = ("active", "ended", "all")


def _fold_table() -> bytes:
    """A 256-byte table over Latin-1: accents off (é -> e) and Danish order (æ, ø, å after z; ä, ö as æ, ø).

    `bytes.translate` runs in C; per name it is several times cheaper than unicodedata (measured).
    """
    table = bytearray(range(256))
    for code in range(0xC0, 0x100):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii():
            table[code] = ord(base.lower())
    for chars, key in (("æäÆÄ", "{"), ("øöØÖ", "|"), ("åÅ", "}")):
        for char in chars:
            table[ord(char)] = ord(key)
    return bytes(table)


_FOLD = _fold_table()


def fold(text: str) -> bytes:
    """Case- and accent-insensitive form for searching and sorting (keeps æ, ø, å distinct, after z)."""
    text = text.casefold()
    try:
        return text.encode("latin-1").translate(_FOLD)
    except UnicodeEncodeError:
        return (
            "".join(map(_fold_char, unicodedata.normalize("NFC", text)))
            .encode("latin-1", "replace")
            .translate(_FOLD)
        )


def _fold_char(char: str) -> str:
    if ord(char) < 256:
        return char
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)) or "?"


def sort_key(name: str) -> str:
    return fold(name)


@dataclass
class EmployeeList:
    page: Page
    total: int
    query: str
    status: str
    sort: str
    department: str = ""
    departments: tuple = ()


def list_employees(
    *,
    query: str = "",
    status: str = "active",
    sort: str = "name",
    page_number=1,
    per_page=None,
    cpr_digest: str = "",
    department: str = "",
):
    """`cpr_digest`: a CPR search already turned into its blind index (hrportal/employees/searches.py).

    `department`: only this department (as written; "" for all). The department filter, the department
    order and the filter's choices come from the snapshot's sealed departments (one AES-GCM open).
    """
    company = require_active_company()
    per_page = per_page or settings.EMPLOYEES_PER_PAGE
    status = status if status in STATUSES else "active"
    sort = sort if sort in SORTS else "name"
    query = (query or "").strip()[:100]
    department = (department or "").strip()[:200]
    today = timezone.localdate()
    snap = snapshot.get(company.pk)
    # Plaintext for this request only, kept as the sealed value's bytes: the filter's choices decode the
    # few distinct departments, not one string per employee (10,000 decodes were ~2.5 ms of the page).
    snap_departments = snap.department_bytes()
    departments = tuple(sorted((d.decode() for d in set(snap_departments) if d), key=fold))
    department_key = snapshot.department_key(department)

    if cpr_digest or (query and looks_like_cpr(query)):
        digest = cpr_digest or cpr_index(company.pk, query)
        ids = _by_department(
            snap, snap_departments, _cpr_search(company, digest, status, sort, today), department_key
        )
    else:
        terms = fold(query).split() if query else []
        ids = _from_snapshot(snap, terms, status, sort, today, snap_departments, department_key)
    del snap_departments

    page = Paginator(ids, per_page).get_page(page_number)
    by_id = Employee.objects.in_bulk(list(page.object_list))
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    for employee in page.object_list:  # a row that does not decrypt is shown as unreadable, alone
        unreadable.check(employee, unreadable.LIST_FIELDS)
    return EmployeeList(
        page=page,
        total=len(ids),
        query=query,
        status=status,
        sort=sort,
        department=department,
        departments=departments,
    )


def _by_department(snap, snap_departments, ids, department: bytes) -> list[int]:
    """A CPR search's (at most one) row, kept only if it is in the department (order is moot).

    `snap_departments` and `department` are the snapshot's bytes (snapshot.department_key)."""
    if not department:
        return ids
    by_pk = dict(zip(snap.ids, snap_departments, strict=True))
    return [pk for pk in ids if by_pk.get(pk) == department]


def _from_snapshot(snap, name_terms, status, sort, today, departments, department=b"") -> list[int]:
    """Filter and order from the cached snapshot: no decryption, or one (the sealed names) for a search.

    `departments` are the snapshot's department bytes, `department` the filter as the snapshot writes it."""
    positions = snapshot.positions(snap, status, sort in ("start", "-start"), today)
    if department:
        positions = [i for i in positions if departments[i] == department]
    if sort in ("department", "-department"):  # by department, then by name (the snapshot's order)
        folded_once = {d: fold(d.decode()) for d in set(departments)}
        folded = [folded_once[d] for d in departments]
        positions = sorted(positions, key=folded.__getitem__)
    if name_terms:
        names = snap.names()  # plaintext (folded) for this request only
        if len(name_terms) == 1:
            term = name_terms[0]
            positions = [i for i in positions if term in names[i]]
        else:
            positions = [i for i in positions if all(t in names[i] for t in name_terms)]
        del names
    ids = snap.ids
    result = [ids[i] for i in positions]
    if sort in ("-name", "-start", "-department"):
        result.reverse()
    return result


def _cpr_search(company, digest, status, sort, today) -> list[int]:
    """An exact CPR search through the blind index: at most one row, so decrypting it to sort is free."""
    qs = Employee.objects.filter(cpr_index=digest)
    if status == "active":
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    elif status == "ended":
        qs = qs.filter(end_date__lt=today)
    if sort in ("start", "-start"):
        order = ("start_date", "pk") if sort == "start" else ("-start_date", "-pk")
        return list(qs.order_by(*order).values_list("pk", flat=True))
    name_field = Employee._meta.get_field("name")

    def folded(token, row_uuid) -> bytes:
        try:
            return fold(name_field.decrypt_raw(token, company.pk, row_uuid))
        except KeyUnavailableError:
            raise
        except DecryptionError:
            return b""  # an unreadable row sorts first; the page shows it as unreadable

    rows = sorted(
        (folded(token, row_uuid), start, pk)
        for pk, row_uuid, token, start in qs.values_list("pk", "uuid", "name", "start_date")
    )
    if sort == "-name":
        rows.reverse()
    return [r[2] for r in rows]

"""The employee list: filter, search and sort over encrypted names, then paginate.

Names are encrypted, so the database can neither search nor sort them. The list fetches only
(id, uuid, name ciphertext) for the company's rows that pass the database filters (active/ended, CPR
blind index), decrypts the names in memory (one AES-GCM open per row, a few µs each), filters and sorts
them, and loads the full rows of the requested page only. The decrypted names live for the request only.
Sorting by start date needs no decryption at all: the database sorts and paginates. Measured in
docs/performance.md.
"""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone

from hrportal.employees.cpr import cpr_index, looks_like_cpr
from hrportal.employees.models import Employee
from hrportal.tenancy import require_active_company

SORTS = ("name", "-name", "start", "-start")
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


def list_employees(
    *, query: str = "", status: str = "active", sort: str = "name", page_number=1, per_page=None
):
    company = require_active_company()
    per_page = per_page or settings.EMPLOYEES_PER_PAGE
    status = status if status in STATUSES else "active"
    sort = sort if sort in SORTS else "name"
    query = (query or "").strip()[:100]

    qs = Employee.objects.all()
    today = timezone.localdate()
    if status == "active":
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    elif status == "ended":
        qs = qs.filter(end_date__lt=today)

    name_terms = []
    if query and looks_like_cpr(query):
        qs = qs.filter(cpr_index=cpr_index(company.pk, query))
    elif query:
        name_terms = fold(query).split()

    if sort in ("name", "-name") or name_terms:
        name_field = Employee._meta.get_field("name")
        rows = []
        for pk, row_uuid, token, start in qs.values_list("pk", "uuid", "name", "start_date").iterator(2000):
            name = name_field.decrypt_raw(token, company.pk, row_uuid)
            folded = fold(name)
            if all(term in folded for term in name_terms):
                rows.append((folded, start, pk))
        if sort == "name":
            rows.sort()
        elif sort == "-name":
            rows.sort(reverse=True)
        elif sort == "start":
            rows.sort(key=lambda r: (r[1], r[2]))
        else:
            rows.sort(key=lambda r: (r[1], r[2]), reverse=True)
        ids = [r[2] for r in rows]
    else:
        order = ("start_date", "pk") if sort == "start" else ("-start_date", "-pk")
        ids = list(qs.order_by(*order).values_list("pk", flat=True))

    page = Paginator(ids, per_page).get_page(page_number)
    by_id = Employee.objects.in_bulk(list(page.object_list))
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    return EmployeeList(page=page, total=len(ids), query=query, status=status, sort=sort)

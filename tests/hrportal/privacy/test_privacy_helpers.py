"""Helpers of the privacy tests (no tests here): raw scans of the whole database and of file storage."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.db import connection
from pypdf import PdfReader


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", errors="ignore")
    return str(value)


def _pattern(needle: str, flags=re.IGNORECASE) -> re.Pattern:
    """A needle that starts or ends with a digit must not touch another digit there.

    Without this a marker postal code like 9999 is "found" inside the microseconds of a migration's timestamp.
    """
    head = r"(?<![0-9])" if needle[0].isdigit() else ""
    tail = r"(?![0-9])" if needle[-1].isdigit() else ""
    return re.compile(head + re.escape(needle) + tail, flags)


def pdf_text(data: bytes) -> str:
    """The text of a PDF (its content streams are compressed, so the bytes cannot be searched)."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def database_hits(needles) -> list[str]:
    """`table: needle` for every needle found in any column of any row of any table (raw SQL, all tables)."""
    patterns = {n: _pattern(n) for n in needles if n}
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # only quoted table names
            for row in cursor.fetchall():
                text = "\x1f".join(_text(v) for v in row)
                hits.extend(f"{table}: {n}" for n, pattern in patterns.items() if pattern.search(text))
    return sorted(set(hits))


def storage_hits(needles) -> list[str]:
    patterns = {n: re.compile(_pattern(n).pattern.encode(), re.IGNORECASE) for n in needles if n}
    hits = []
    for root in {Path(settings.PRIVATE_STORAGE_ROOT), Path(settings.MEDIA_ROOT)}:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                hits.extend(f"{path}: {n}" for n, pattern in patterns.items() if pattern.search(data))
    return hits


def ciphertexts_of(instance) -> list[str]:
    """The sealed tokens of an instance's encrypted columns, as stored."""
    from hrportal.encryption.fields import encrypted_fields

    model = type(instance)
    columns = [f.attname for f in encrypted_fields(model)]
    row = model.unscoped.filter(pk=instance.pk).values(*columns).first() or {}
    return [str(v) for v in row.values() if v]


def frozen_time_code(user):
    """A code at the frozen clock: the fixture logged in at real time, later than the frozen time, so the
    device's last used time step is reset first (replay protection itself is tested in test_login)."""
    from hrportal.accounts.devices import TOTPDevice

    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    from tests.conftest import forget_codes, next_code

    forget_codes(user.totp)
    return next_code(user.totp)

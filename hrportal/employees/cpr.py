"""CPR numbers: validation, normalisation, birth date, masking and the per-company blind index.

Format DDMMYY-SSSS. Since 2007 numbers need not satisfy the modulus-11 check, so it is not applied. The
7th digit and the year give the century (CPR-kontoret's table).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hrportal.encryption.blind_index import company_blind_index

_CPR_RE = re.compile(r"^(\d{6})\s*-?\s*(\d{4})$")


class CprNumber(str):
    """A full CPR number. `repr()` (debug pages, logged locals, shell) shows only the masked form."""

    __slots__ = ()

    def __repr__(self):
        return f"CprNumber({mask_cpr(self)!r})"

    @property
    def masked(self) -> str:
        return mask_cpr(self)


# Ten digits with an optional dash or spaces (what looks_like_cpr accepts), anywhere in a URL or a log line,
# also percent- or plus-encoded.
_CPR_ANYWHERE = re.compile(r"(?<!\d)\d{6}(?:\s|%20|\+)*(?:-|%2D)?(?:\s|%20|\+)*\d{4}(?!\d)", re.IGNORECASE)


def contains_cpr(text: str) -> bool:
    """True if `text` (a path, a query string, a log line) holds something shaped like a CPR number."""
    return bool(_CPR_ANYWHERE.search(text or ""))


def redact_cpr(text: str) -> str:
    """`text` with everything shaped like a CPR number replaced, for lines written where we cannot choose
    what arrives (an address typed by hand reaches the access log before any view can refuse it)."""
    return _CPR_ANYWHERE.sub("[CPR]", text)


def looks_like_cpr(value: str) -> bool:
    return bool(_CPR_RE.match((value or "").strip()))


def century(year2: int, seventh: int) -> int:
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if year2 <= 36 else 1900
    return 2000 if year2 <= 57 else 1800  # 5-8


def birth_date_from_digits(digits: str) -> datetime.date | None:
    day, month, year2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    try:
        return datetime.date(century(year2, int(digits[6])) + year2, month, day)
    except ValueError:
        return None


def normalize_cpr(value) -> str:
    """The 10 digits of a CPR number, or ValidationError. Accepts DDMMYYSSSS and DDMMYY-SSSS."""
    match = _CPR_RE.match(str(value or "").strip())
    if not match:
        raise ValidationError(_("Enter a CPR number as DDMMYY-SSSS (10 digits)."), code="cpr_format")
    digits = match.group(1) + match.group(2)
    if birth_date_from_digits(digits) is None:
        raise ValidationError(
            _("The first six digits of a CPR number must be a date (DDMMYY)."), code="cpr_date"
        )
    return digits


def format_cpr(value) -> CprNumber:
    digits = normalize_cpr(value)
    return CprNumber(f"{digits[:6]}-{digits[6:]}")


def birth_date_from_cpr(value) -> datetime.date | None:
    return birth_date_from_digits(normalize_cpr(value))


def mask_cpr(value) -> str:
    digits = re.sub(r"\D", "", str(value or ""))
    if len(digits) != 10:
        return "XXXXXX-XXXX"
    return f"{digits[:6]}-XXXX"


def cpr_index(company_id: int, value) -> str:
    """Blind index: HMAC-SHA256 of the 10 digits under a key derived for this company."""
    return company_blind_index("cpr", company_id, normalize_cpr(value))

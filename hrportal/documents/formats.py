"""Amounts and dates as a document in each language writes them, whatever the UI language.

Danish: `29.000,00 kr.` and `3. december 2026`; English: `DKK 29,000.00` and `3 December 2026` (the month
in words, so no reader takes 03/12 for 12 March). Used by the templates through the `document_formats`
filters, so every document writes them the same way.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

MONTHS = {
    "da": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}  # fmt: skip


def document_date(day: datetime.date | None, language: str) -> str:
    if not day:
        return ""
    month = MONTHS["en" if language == "en" else "da"][day.month - 1]
    return f"{day.day} {month} {day.year}" if language == "en" else f"{day.day}. {month} {day.year}"


def amount(value, language: str) -> str:
    """An amount in kroner with two decimals; not a number is returned as written."""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except ArithmeticError:
        return str(value)
    grouped = f"{abs(number):,.2f}"  # 29,000.00
    sign = "-" if number < 0 else ""
    if language == "en":
        return f"DKK {sign}{grouped}"
    danish = grouped.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{sign}{danish} kr."


def number(value, language: str) -> str:
    """A quantity (hours, days) without trailing zeros: `37,5` in Danish, `37.5` in English."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text if language == "en" else text.replace(".", ",")

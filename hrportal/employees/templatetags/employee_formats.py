"""`{{ employee.salary|kroner }}` and `{{ employee.weekly_hours|hours }}` in the page's language.

Danish `32.000 kr.` and `37,5`; English `DKK 32,000` and `37.5`. Whole amounts drop their øre, others keep
two decimals (`32.000,50 kr.`), as `hrportal.documents.formats.amount` writes them.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

from hrportal.documents import formats

register = template.Library()


def _language() -> str:
    return "en" if (get_language() or "da").startswith("en") else "da"


@register.filter
def kroner(value):
    if value in (None, ""):
        return ""
    language = _language()
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number != number.to_integral_value():
        return formats.amount(number, language)
    whole = int(number)
    grouped = f"{abs(whole):,}"
    sign = "-" if whole < 0 else ""
    if language == "en":
        return f"DKK {sign}{grouped}"
    return f"{sign}{grouped.replace(',', '.')} kr."


@register.filter
def hours(value):
    if value in (None, ""):
        return ""
    return formats.number(value, _language())

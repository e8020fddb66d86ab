"""`{{ day|docdate:"da" }}` and `{{ value|amount:"da" }}`: the document's language, never the UI's."""

from django import template

from hrportal.documents import formats

register = template.Library()


@register.filter
def docdate(day, language="da"):
    return formats.document_date(day, language)


@register.filter
def amount(value, language="da"):
    return formats.amount(value, language)

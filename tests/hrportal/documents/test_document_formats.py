import datetime
import re

from django.template import Context, Template
from django.utils import translation

from hrportal.documents import formats


def test_danish_amounts_and_dates():
    assert formats.amount(29000, "da") == "29.000,00 kr."
    assert formats.amount("1234567.5", "da") == "1.234.567,50 kr."
    assert formats.document_date(datetime.date(2026, 12, 3), "da") == "3. december 2026"


def test_english_amounts_and_dates():
    assert formats.amount(29000, "en") == "DKK 29,000.00"
    assert formats.document_date(datetime.date(2026, 12, 3), "en") == "3 December 2026"


def test_the_filters_follow_the_document_language_not_the_ui():
    template = Template("{% load document_formats %}{{ d|docdate:lang }} · {{ a|amount:lang }}")
    context = {"d": datetime.date(2026, 3, 12), "a": 29000}
    with translation.override("en"):
        da = template.render(Context({**context, "lang": "da"}))
    with translation.override("da"):
        en = template.render(Context({**context, "lang": "en"}))
    assert da == "12. marts 2026 · 29.000,00 kr."
    assert en == "12 March 2026 · DKK 29,000.00"
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{2,4}", da + en)


def test_not_a_number_is_written_as_given():
    assert formats.amount("efter aftale", "da") == "efter aftale"

"""English UI dates are unambiguous (issue 14): never "12/03/2026", which a Dane reads as 12 March and an
American as 3 December. Every named format Django offers templates is checked, and the portal pages that
show dates are rendered with the English UI."""

import re
from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tests.hrportal.employees.factories import EmployeeFactory

SLASHED = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
NAMED = ["DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"]


@pytest.mark.parametrize("name", NAMED)
def test_english_named_formats_spell_out_the_month(name):
    value = timezone.make_aware(datetime(2026, 12, 3, 14, 5)) if "TIME" in name else date(2026, 12, 3)
    with translation.override("en"):
        text = Template('{{ d|date:"' + name + '" }}').render(Context({"d": value}))
    assert not SLASHED.search(text), text
    assert "Dec" in text and "3" in text, text


def test_danish_short_date_stays_danish():
    with translation.override("da"):
        assert (
            Template('{{ d|date:"SHORT_DATE_FORMAT" }}').render(Context({"d": date(2026, 12, 3)}))
            == "03.12.2026"
        )


@pytest.mark.django_db
def test_english_portal_pages_with_dates_have_no_slashed_dates(admin_client, admin_user, company):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    employee = EmployeeFactory(company=company)
    for url in ("/portal/", "/portal/employees/", f"/portal/employees/{employee.pk}/", "/portal/mandate/"):
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not SLASHED.search(html), (url, SLASHED.findall(html))


# Versioned document files and their signature pages are written in one fixed language: they spell out
# their own format ("j. F Y" in Danish, "j F Y" in English). Every other template follows the UI.
FIXED_LANGUAGE = ("hrportal/documents/templates/", "hrportal/documents/signature_page_")
SPELLED_OUT = re.compile(
    r"""\|date:["'](?!(?:DATE|DATETIME|SHORT_DATE|SHORT_DATETIME)_FORMAT["']|c["']|Y-m-d)"""
)


def test_ui_templates_use_named_date_formats():
    """A spelled-out "j. F Y" reads "3. December 2026" in the English UI; a named format reads right in
    both languages."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR) / "templates"
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*"))
        if path.suffix in (".html", ".txt") and not str(path.relative_to(root)).startswith(FIXED_LANGUAGE)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SPELLED_OUT.search(line)
    ]
    assert offenders == [], offenders

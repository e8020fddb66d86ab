"""Prefilled wording is in the document's language, never the UI's (issue 14).

An admin with an English UI writing a Danish advarsel starts from Danish text; switching the document to
English rewrites the prefills the admin left alone, and keeps what they wrote.
"""

import decimal
import re

import pytest
from django.utils.html import escape

from tests.factories import make_document_employee

# Encrypted files in the test's own folder (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def employee(company):
    return make_document_employee(
        company, name="Åse Ørum Kjær", salary=decimal.Decimal("29000"), weekly_hours=decimal.Decimal("37.5")
    )


@pytest.fixture
def english_ui(admin_client):
    """The admin's own UI language, saved on their account as the language switch does."""
    admin_client.post("/portal/language/", {"language": "en", "next": "/portal/"})
    return admin_client


def url(employee, template):
    return f"/portal/employees/{employee.pk}/documents/new/{template}/"


def textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    return match.group(1).strip()


def field_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no input {name}"
    return match.group(1)


def form_data(html: str) -> dict:
    """What the browser would submit: every input's value and every textarea's text."""
    data = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
        if name != "csrfmiddlewaretoken"
    }
    data.update(dict(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\s*(.*?)</textarea>', html, re.S)))
    return {name: value.replace("&#x27;", "'").replace("&amp;", "&") for name, value in data.items()}


@pytest.mark.django_db
def test_an_english_ui_gets_danish_prefills_for_a_danish_document(english_ui, admin_client, employee):
    html = admin_client.get(url(employee, "warning")).content.decode()
    assert "Consequence of a repetition" in html  # the UI is English
    assert textarea(html, "consequence") == "Opsigelse eller bortvisning."

    html = admin_client.get(url(employee, "contract")).content.decode()
    assert field_value(html, "salary") == "29.000,00 kr. pr. måned"
    assert field_value(html, "working_hours") == "37,5 timer pr. uge"
    assert field_value(html, "holiday") == "Ferie efter ferieloven."

    html = admin_client.get(url(employee, "summary_dismissal")).content.decode()
    assert textarea(html, "settlement").startswith("Løn og feriepenge")


@pytest.mark.django_db
def test_an_english_document_starts_in_english_whatever_the_ui(admin_client, employee):
    html = admin_client.get(url(employee, "contract") + "?language=en").content.decode()  # Danish UI
    assert "Ferie" in html  # the UI's own label is Danish
    assert field_value(html, "salary") == "DKK 29,000.00 per month"
    assert field_value(html, "working_hours") == "37.5 hours per week"
    assert field_value(html, "holiday") == "Holiday under the Danish Holiday Act."


@pytest.mark.django_db
def test_switching_the_language_rewrites_untouched_prefills_and_keeps_written_text(
    english_ui, admin_client, employee
):
    html = admin_client.get(url(employee, "warning")).content.decode()
    data = {
        **form_data(html),
        "language": "en",
        "incident_date": "2026-11-20",
        "incident": "You arrived two hours late without notice.",
        "expectation": "You arrive on time.",
        "preview": "1",
    }
    response = admin_client.post(url(employee, "warning"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert textarea(html, "consequence") == "Termination or summary dismissal."
    preview = html.split('class="document-preview"', 1)[1]
    assert "Termination or summary dismissal." in preview and "Opsigelse" not in preview

    data["consequence"] = "Opsigelse eller bortvisning, og det mener vi."  # the admin's own words
    html = admin_client.post(url(employee, "warning"), data).content.decode()
    assert textarea(html, "consequence") == escape("Opsigelse eller bortvisning, og det mener vi.")


@pytest.mark.django_db
def test_a_prefill_left_in_english_becomes_danish_when_the_document_is_danish(admin_client, employee):
    html = admin_client.get(url(employee, "contract") + "?language=en").content.decode()
    data = {**form_data(html), "language": "da", "preview": "1"}
    html = admin_client.post(url(employee, "contract"), data).content.decode()
    assert field_value(html, "salary") == "29.000,00 kr. pr. måned"
    assert field_value(html, "probation").startswith("3 måneder; i prøvetiden")
    assert field_value(html, "payment_times").startswith("Månedsvis bagud")

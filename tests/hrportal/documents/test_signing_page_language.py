"""The employee's signing and copy pages speak the document's language, not the browser's (issues 14, 17).

A Danish advarsel opened on an English phone reads Danish, names the company, and offers English as a
switch; the switch survives the code form and its redirect.
"""

import re

import pytest
from django.core import mail

from hrportal.documents.models import Document
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.factories import make_document, make_document_employee
from tests.hrportal.documents.test_signing import admin_sign, emailed_code, employee_flow_start

ENGLISH_WORDS = re.compile(r"\b(Sign the document|Get a code|Send me a code|Read the document)\b")
DANISH_WORDS = re.compile(r"\b(Underskriv|Få en kode|Send mig en kode|Læs dokumentet)\b")


# Encrypted files in the test's own folder (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("private_storage")


def document_in(company, language):
    employee = make_document_employee(company, email="ansat@example.test")
    document = make_document(company, employee, kind="warning")
    with company_scope(company):
        Document.objects.filter(pk=document.pk).update(language=language)
        document.refresh_from_db()
    return document


def main_text(response) -> str:
    html = response.content.decode()
    return re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split("</main>", 1)[0])


@pytest.mark.django_db
def test_a_danish_document_is_signed_on_a_danish_page_from_an_english_browser(
    admin_client, client, company, django_capture_on_commit_callbacks
):
    link = employee_flow_start(admin_client, document_in(company, "da"), django_capture_on_commit_callbacks)
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="da">' in html and page["Content-Language"] == "da"
    assert company.name in html  # whose document this is, in the header and the text
    assert DANISH_WORDS.search(main_text(page)) and not ENGLISH_WORDS.search(main_text(page))
    assert re.search(r'<a [^>]*href="\?lang=en"[^>]*>English</a>', html)


@pytest.mark.django_db
def test_an_english_document_is_signed_on_an_english_page_from_a_danish_browser(
    admin_client, client, company, django_capture_on_commit_callbacks
):
    link = employee_flow_start(admin_client, document_in(company, "en"), django_capture_on_commit_callbacks)
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="da")
    assert '<html lang="en">' in page.content.decode()
    assert ENGLISH_WORDS.search(main_text(page)) and not DANISH_WORDS.search(main_text(page))
    assert 'href="?lang=da"' in page.content.decode()


@pytest.mark.django_db
def test_the_language_switch_holds_through_the_code_and_the_signature(
    admin_client, admin_user, client, company, django_capture_on_commit_callbacks
):
    document = document_in(company, "da")
    link = employee_flow_start(admin_client, document, django_capture_on_commit_callbacks)
    page = client.get(link + "?lang=en")
    assert '<html lang="en">' in page.content.decode()
    assert f'action="{link}code/?lang=en"' in page.content.decode()
    sent = client.post(link + "code/?lang=en")
    assert sent.status_code == 302 and sent["Location"] == f"{link}?sent=1&lang=en"
    assert "A 6-digit code was sent" in client.get(sent["Location"]).content.decode()
    assert client.get(link + "?lang=xx")["Content-Language"] == "da"  # not a language: the document's

    # A wrong code is refused in the chosen language.
    wrong = client.post(link + "?lang=en", {"code": "000000", "confirm": "on"})
    assert wrong.status_code == 400 and '<html lang="en">' in wrong.content.decode()

    assert admin_sign(admin_client, document, next_code(admin_user.totp)).status_code == 302
    code = emailed_code()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link + "?lang=en", {"code": code, "confirm": "on"})
    assert done.status_code == 200
    assert "All parties have signed" in done.content.decode()
    # The copy's e-mail is in the document's language (Danish), whatever page language the employee chose.
    copy_mail = next(m for m in mail.outbox if m.to == ["ansat@example.test"])
    assert "underskrevet af alle parter" in copy_mail.subject
    copy = re.search(r"https?://[^/\s]+(/sign/[^/\s]+/copy/)", copy_mail.body).group(1)
    page = client.get(copy, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="da">' in page.content.decode() and "Din underskrevne kopi" in page.content.decode()
    assert 'href="?lang=en"' in page.content.decode()

"""In Chromium, the whole of issue 14's promise in one walk: an admin whose portal is in English writes a
Danish advarsel from the template, sends it and signs; the employee, on an English browser, signs on a
Danish page and downloads the sealed copy through the e-mailed link and code. The copy's seal holds and
its text, signature page included, holds no English word."""

import io
import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from hrportal.documents.signing import pades
from tests.conftest import make_admin, next_code
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import CompanyFactory, make_document_employee
from tests.hrportal.documents.test_document_words import foreign_words


def mail_to(address: str, contains: str, timeout: float = 15.0):
    """The newest e-mail to `address` whose body holds `contains` (sent by the live server's thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(mail.outbox):
            if message.to == [address] and contains in message.body:
                return message
        time.sleep(0.05)
    raise AssertionError(f"no e-mail to {address} with {contains!r}: {[m.subject for m in mail.outbox]}")


def code_in(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


@pytest.mark.django_db(transaction=True)
def test_english_ui_admin_danish_advarsel_employee_signs_and_downloads_sealed_copy(
    page, browser, live_server, two_origins, settings, tmp_path
):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    mail.outbox.clear()
    company = CompanyFactory(name="Sprogfast ApS")
    admin = make_admin(company)
    admin.language = "en"  # the admin's portal is in English
    admin.save(update_fields=["language"])
    employee = make_document_employee(company, name="Birte Ærø", email="birte@example.test")

    log_in(page, admin)
    page.goto(f"/portal/employees/{employee.pk}/documents/new/warning/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#id_language")).to_have_value("da")
    expect(page.locator("#id_consequence")).to_have_value("Opsigelse eller bortvisning.")
    page.fill("#id_incident_date", "2026-11-20")
    page.fill("#id_incident", "Du mødte to timer for sent uden at give besked.")
    page.fill("#id_expectation", "Du møder til den aftalte tid.")
    page.click("main button[name=preview]")
    expect(page.locator(".document-preview")).to_contain_text("Opsigelse eller bortvisning.")
    assert_no_serious_axe_violations(page)
    page.click("main button[name=create]")
    page.wait_for_url(re.compile(r".*/portal/documents/\d+/$"))

    page.locator("form[action$='/send/'] button[type=submit]").click()
    page.wait_for_selector("form[action$='/sign/']")
    link = re.search(r"https?://\S+/sign/\S+/", mail_to("birte@example.test", "/sign/").body).group(0)
    page.fill("form[action$='/sign/'] #id_code", next_code(admin.totp))
    page.check("form[action$='/sign/'] #id_confirm")
    page.locator("form[action$='/sign/'] button[type=submit]").click()
    expect(page.locator("form[action$='/sign/']")).to_have_count(0)

    # The employee, on an English browser: the page is the document's, Danish, with English as a switch.
    context = browser.new_context(locale="en-GB")
    try:
        phone = context.new_page()
        phone.set_default_timeout(30000)
        phone.goto(link)
        expect(phone.locator("html")).to_have_attribute("lang", "da")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Underskriv et dokument")
        expect(phone.locator("header")).to_contain_text("Sprogfast ApS")
        expect(phone.get_by_role("link", name="English")).to_be_visible()
        assert_no_serious_axe_violations(phone)
        mail.outbox.clear()
        phone.get_by_role("button", name="Send mig en kode").click()
        phone.wait_for_url("**/sign/**?sent=1")
        phone.fill("#id_code", code_in(mail_to("birte@example.test", "")))
        phone.check("#id_confirm")
        phone.get_by_role("button", name="Underskriv dokumentet").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Tak, du har underskrevet")
        expect(phone.locator("main")).to_contain_text("Alle parter har underskrevet")

        # The copy: a link by e-mail (in Danish), the document only behind a fresh code.
        notice = mail_to("birte@example.test", "/copy/")
        assert not notice.attachments and "underskrevet af alle parter" in notice.subject
        copy_link = re.search(r"https?://\S+/sign/\S+/copy/", notice.body).group(0)
        phone.goto(copy_link)
        expect(phone.get_by_role("heading", level=1)).to_have_text("Din underskrevne kopi")
        assert_no_serious_axe_violations(phone)
        mail.outbox.clear()
        phone.get_by_role("button", name="Send mig en kode").click()
        expect(phone.locator("main")).to_contain_text("En 6-cifret kode er sendt til din e-mail")
        phone.fill("#id_code", code_in(mail_to("birte@example.test", "")))
        with phone.expect_download() as download:
            phone.get_by_role("button", name="Hent den underskrevne kopi (PDF)").click()
        sealed = open(download.value.path(), "rb").read()  # noqa: SIM115
        phone.goto("about:blank")
    finally:
        context.close()

    assert pades.check_seal(sealed).status == "valid"
    reader = PdfReader(io.BytesIO(sealed))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    assert "Advarsel" in text and "Opsigelse eller bortvisning." in text
    assert "Birte Ærø" in text and admin.get_full_name() in text
    assert foreign_words(text, "da") == [], text

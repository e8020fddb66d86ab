"""In Chromium: create a Danish contract from the template, send it, sign as admin with a TOTP code, sign
as the employee through the emailed link and code, then verify the signed PDF at /verify/ (and a modified
copy)."""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from hrportal.documents.models import SignatureRequest
from hrportal.tenancy import company_scope
from tests.conftest import make_admin, next_code
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import CompanyFactory, make_document_employee


@pytest.mark.django_db(transaction=True)
def test_contract_template_sign_both_and_verify(page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    mail.outbox.clear()
    company = CompanyFactory(name="Browser Dokument ApS")
    admin = make_admin(company)
    employee = make_document_employee(company, name="Bjørn Ærø Ågesen", email="bjorn@example.test")

    log_in(page, admin)

    page.goto(f"/portal/employees/{employee.pk}/documents/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=re.compile("ansættelsesbevis")).click()
    page.wait_for_url("**/new/contract/")
    assert page.input_value("#id_employee_name") == "Bjørn Ærø Ågesen"
    for selector, value in {
        "#id_job_description": "Pakning og forsendelse af ordrer.",
        "#id_salary_components": "Ingen",
        "#id_overtime": "Betales med tillæg på 50 %",
        "#id_collective_agreement": "Ingen",
        "#id_training": "Truckcertifikat betales af arbejdsgiver",
        "#id_pension": "Ingen pensionsordning",
    }.items():
        page.fill(selector, value)
    page.click("main button[name=preview]")
    page.wait_for_selector(".document-preview")
    assert "Pakning og forsendelse" in page.locator(".document-preview").inner_text()
    assert_no_serious_axe_violations(page)
    page.click("main button[name=create]")
    page.wait_for_url(re.compile(r".*/portal/documents/\d+/$"))

    # Send for signature to the employee and the company.
    page.locator("form[action$='/send/'] button[type=submit]").click()
    page.wait_for_selector("form[action$='/sign/']")
    assert mail.outbox and mail.outbox[-1].to == ["bjorn@example.test"]
    link = re.search(r"https?://\S+/sign/\S+/", mail.outbox[-1].body).group(0)

    # The admin signs with a fresh code from the authenticator (the next time step: the login's is spent).
    page.fill("form[action$='/sign/'] #id_code", next_code(admin.totp))
    page.check("form[action$='/sign/'] #id_confirm")
    page.locator("form[action$='/sign/'] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("form[action$='/sign/']")).to_have_count(0)

    # The employee opens the link, asks for a code, signs.
    page.goto(link)
    assert_no_serious_axe_violations(page)
    page.locator("form[action$='/code/'] button").click()
    page.wait_for_url("**/sign/**?sent=1")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    page.check("#id_confirm")
    page.locator("form:not([action]) button[type=submit]").click()
    page.wait_for_selector("h1")
    expect(page.locator("main")).to_contain_text(re.compile("underskrevet|signed"))

    # Back in the portal the signed PDF downloads.
    with company_scope(company):
        request = SignatureRequest.objects.get()
        assert request.status == SignatureRequest.Status.COMPLETED
        document_id = request.document_id
    page.goto(f"/portal/documents/{document_id}/")
    with page.expect_download() as download_info:
        page.locator(f"a[href='/portal/documents/{document_id}/download/signed/']").click()
    signed_path = download_info.value.path()
    signed = open(signed_path, "rb").read()  # noqa: SIM115
    assert signed.startswith(b"%PDF")
    # Its last page is the signature page: both signers with their roles and methods, the SHA-256 of the
    # signed content and the verification code.
    raw = PdfReader(io.BytesIO(signed)).pages[-1].extract_text()
    last_page = " ".join(raw.split())  # table cells wrap: compare with single spaces
    flat = re.sub(r"\s+", "", raw)
    assert "Bjørn Ærø Ågesen" in last_page
    assert admin.get_full_name() in last_page
    assert "Medarbejderen" in last_page and "Virksomhedens repræsentant" in last_page
    assert "Kode fra godkendelsesapp (TOTP)" in last_page and "Kode sendt på e-mail" in last_page
    assert request.document_sha256 in flat
    assert request.verification_code in last_page

    # /verify/ by code, by file, and a modified copy.
    page.goto("/verify/")
    assert_no_serious_axe_violations(page)
    page.fill("#id_code", request.verification_code)
    page.click("main button[type=submit]")
    result = page.locator("#verify-result").inner_text()
    assert "Browser Dokument ApS" in result and "B.Æ.Å." in result and "Bjørn" not in result

    page.goto("/verify/")
    page.set_input_files("#id_file", signed_path)
    page.click("main button[type=submit]")
    assert re.search("uændret|intact", page.locator("#verify-result").inner_text())

    modified = tmp_path / "modified.pdf"
    modified.write_bytes(signed + b"\n%modified")
    page.goto("/verify/")
    page.set_input_files("#id_file", str(modified))
    page.click("main button[type=submit]")
    result = page.locator("#verify-result").inner_text()
    assert "Dokumentet er blevet ændret" in result  # altered, specifically: not "unknown" or "withdrawn"
    assert not re.search("uændret|intact", result)

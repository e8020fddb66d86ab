"""In Chromium: the admin accepts the DPA, records an access request and downloads the employee's export."""

import datetime
import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from cms_pages.dpa.demo import VERSION as DPA_VERSION
from cms_pages.dpa.demo import seed as seed_dpa
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import gdpr_employee


@pytest.mark.django_db(transaction=True)
def test_accept_dpa_record_access_request_download_export(page, company, admin_user):
    from cms_pages.demo import ensure_locales

    ensure_locales()
    seed_dpa()
    with company_scope(company):
        employee = gdpr_employee(company, name="Browser Medarbejder", end_date=datetime.date(2025, 1, 31))

    log_in(page, admin_user)

    page.click("nav >> text=Indstillinger")
    page.click("main >> text=Databehandleraftale")
    page.wait_for_url("**/portal/settings/dpa/")
    assert_no_serious_axe_violations(page)
    page.click(f"main button:has-text('Accepter version {DPA_VERSION}')")
    page.wait_for_url("**/portal/settings/dpa/")
    expect(page.locator("text=accepteret af").first).to_be_visible()
    with page.expect_download() as download_info:
        page.click("text=Hent som PDF")
    assert download_info.value.suggested_filename == f"databehandleraftale-{DPA_VERSION}.pdf"

    page.goto("/portal/privacy/requests/new/")
    assert_no_serious_axe_violations(page)
    page.select_option("#id_employee_id", str(employee.pk))
    page.select_option("#id_kind", "access")
    page.fill("#id_received_on", datetime.date.today().isoformat())
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/privacy/requests/*/")
    page.click("main a:has-text('Eksporter medarbejderens oplysninger')")
    page.fill("#id_export_code", next_code(admin_user.totp))  # login's time step is spent
    with page.expect_download() as download_info:
        page.click("main button:has-text('Hent eksporten')")
    with open(download_info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data = json.loads(archive.read("data.json"))
    assert data["subject"]["fields"]["name"] == "Browser Medarbejder"

"""In Chromium: long jobs run in a background worker while the page shows their progress and updates itself.

The worker is django-tasks-db's own loop (what `manage.py db_worker --backend jobs` runs), in a thread
against the live server's database.
"""

import contextlib
import io
import threading
import zipfile

import pytest
from django.db import connection
from playwright.sync_api import expect

from hrportal.companies.models import Company
from hrportal.tenancy import company_scope
from tests.conftest import job_worker as make_worker
from tests.conftest import next_code
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import gdpr_employee


@contextlib.contextmanager
def job_worker():
    worker = make_worker(batch=False, interval=0.2, worker_id="e2e")

    def run():
        try:
            worker.run()
        finally:
            connection.close()  # this thread's connection: the database is flushed after the test

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.running = False
        thread.join(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_company_export_shows_progress_then_offers_the_download(page, company, admin_user):
    with company_scope(company):
        for n in range(3):
            gdpr_employee(company, name=f"Eksport Person {n}")
    log_in(page, admin_user)

    page.click("nav >> text=Indstillinger")
    page.click("main >> text=Eksportér virksomhedens data")
    page.wait_for_url("**/portal/settings/export/")
    assert_no_serious_axe_violations(page)
    page.fill("#id_code", next_code(admin_user.totp))  # the login's time step is spent
    page.click("main button:has-text('Start eksporten')")
    page.wait_for_url("**/portal/jobs/*/")
    expect(
        page.locator("main").get_by_text("Venter på at starte").first
    ).to_be_visible()  # queued, no worker yet
    expect(page.locator("main progress")).to_be_visible()
    assert_no_serious_axe_violations(page)

    with job_worker():
        # No reload by the test: the page's script polls and reloads itself when the job is done.
        download_button = page.locator("main button:has-text('Download eksporten (zip)')")
        download_button.wait_for(state="visible", timeout=30000)
    expect(page.locator("main").get_by_text("3 medarbejdere eksporteret")).to_be_visible()
    assert_no_serious_axe_violations(page)
    with page.expect_download() as download_info:
        download_button.click()
    with open(download_info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert "Eksport Person 2" in archive.read("employees.csv").decode("utf-8-sig")


@pytest.mark.django_db(transaction=True)
def test_company_deletion_is_followed_on_its_status_page(page, company, admin_user):
    with company_scope(company):
        gdpr_employee(company, name="Slettes Snart")
    log_in(page, admin_user)

    page.goto("/portal/settings/delete-company/")
    page.fill("#id_company_name", company.name)
    page.fill("#id_code", next_code(admin_user.totp))
    page.click("main button:has-text('Slet virksomhedsprofilen permanent')")
    page.wait_for_url("**/portal/deletion/*/")
    expect(page.locator("main progress")).to_be_visible()
    assert_no_serious_axe_violations(page)
    assert Company.objects.get(pk=company.pk).status == Company.Status.DELETING

    with job_worker():
        page.locator("main h1:has-text('Virksomhedsprofilen er slettet')").wait_for(timeout=30000)
    assert Company.objects.get(pk=company.pk).status == Company.Status.DELETED
    assert_no_serious_axe_violations(page)

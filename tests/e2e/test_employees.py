"""Browser: add an employee, find them by CPR, see only the masked number, reveal it with a fresh code."""

import pytest

from hrportal.audit.models import Action, AuditEvent
from tests.conftest import make_admin, next_code
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import CompanyFactory


@pytest.mark.django_db(transaction=True)
def test_add_find_by_cpr_and_reveal(page):
    company = CompanyFactory(name="Demo ApS")
    admin = make_admin(company)
    log_in(page, admin)

    page.goto("/portal/employees/add/")
    page.locator("#id_name").fill("Tove Ditlevsen")
    page.locator("#id_cpr").fill("141217-1234")
    page.locator("#id_start_date").fill("2023-04-01")
    page.locator("#id_email").fill("tove@example.dk")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/portal/employees/*/")
    assert "141217-XXXX" in page.content() and "141217-1234" not in page.content()
    assert_no_serious_axe_violations(page)

    page.goto("/portal/employees/")
    sent = []  # every URL and Referer the browser sends from here on (what an access log would hold)
    page.on("request", lambda req: sent.append(req.url + " " + (req.headers.get("referer") or "")))
    page.locator("#id_q").fill("1412171234")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/portal/employees/?search=*")
    row = page.locator("table tbody tr")
    assert row.count() == 1 and "Tove Ditlevsen" in row.first.inner_text()
    assert "141217-1234" not in page.content()
    assert "1412171234" not in page.url and "141217" not in page.evaluate("location.href")
    assert_no_serious_axe_violations(page)

    row.first.locator("a").click()
    page.wait_for_url("**/portal/employees/*/")
    assert sent and not any("141217" in line for line in sent), sent
    page.locator("a[href$='/cpr/']").click()
    page.locator("#id_code").fill(next_code(admin.totp))
    page.locator("#id_reason").select_option("pension")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".cpr-revealed").inner_text() == "141217-1234"
    assert AuditEvent.objects.filter(action=Action.CPR_REVEALED, company_id=company.pk).exists()
    assert_no_serious_axe_violations(page)

"""In Chromium: sign a company up, enrol an authenticator, log out, log in with a fresh code."""

import re

import pyotp
import pytest
from django.core import mail
from playwright.sync_api import expect

from hrportal.accounts import sms
from tests.conftest import next_code
from tests.e2e.conftest import assert_no_serious_axe_violations


@pytest.mark.django_db(transaction=True)
def test_signup_enrol_logout_login(page, live_server):
    mail.outbox.clear()
    sms.outbox.clear()
    page.goto("/portal/signup/")
    assert_no_serious_axe_violations(page)
    form = {
        "#id_name": "Karen Jensen",
        "#id_email": "karen@browserfirma.dk",
        "#id_mobile": "20 12 34 56",
        "#id_company_name": "Browser Firma ApS",
        "#id_cvr": "12345674",
        "#id_address": "Vestergade 1",
        "#id_postal_code": "8000",
        "#id_city": "Aarhus C",
    }
    for selector, value in form.items():
        page.fill(selector, value)
    page.check("#id_authority")
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/signup/check-email/")

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/signup/mobile/")
    page.click("main button[name=send]")
    page.wait_for_url("**/portal/signup/mobile/")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1]["message"]).group(1)
    page.fill("#id_code", code)
    page.locator("form", has=page.locator("#id_code")).locator("button[type=submit]").click()
    page.wait_for_url("**/portal/signup/password/")
    page.fill("#id_new_password1", "Sikker-adgang-2026")
    page.fill("#id_new_password2", "Sikker-adgang-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/two-factor/setup/**")
    expect(page.locator("svg").first).to_be_visible()
    assert_no_serious_axe_violations(page)

    totp = pyotp.TOTP(page.get_by_test_id("totp-secret").inner_text().strip())
    page.fill("#id_code", next_code(totp))
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    assert_no_serious_axe_violations(page)
    page.locator("main a.button").click()
    expect(page.locator("h1")).to_have_text("Browser Firma ApS")
    assert_no_serious_axe_violations(page)

    page.locator("header form button[type=submit]", has_text=re.compile("Log ud|Log out")).click()
    page.wait_for_url("**/portal/login/")
    page.fill("#id_username", "karen@browserfirma.dk")
    page.fill("#id_password", "Sikker-adgang-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/login/verify/**")
    assert_no_serious_axe_violations(page)
    page.fill("#id_code", next_code(totp))  # a later time step: the enrolment code is spent
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/")
    expect(page.locator("h1")).to_have_text("Browser Firma ApS")

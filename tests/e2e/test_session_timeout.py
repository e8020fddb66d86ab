"""Browser: the idle warning appears before the end, its button keeps the session, and without it the page
ends on the login page."""

import pytest

from tests.conftest import make_admin
from tests.e2e.conftest import log_in
from tests.factories import CompanyFactory


@pytest.mark.django_db(transaction=True)
def test_the_idle_warning_keeps_the_session_or_ends_on_the_login_page(page, settings):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_IDLE_WARNING = 6
    company = CompanyFactory(name="Demo ApS")
    admin = make_admin(company)
    log_in(page, admin)
    page.goto("/portal/employees/")
    banner = page.locator("[data-session-timeout]")
    banner.wait_for(state="visible", timeout=10_000)
    assert "logget ud" in banner.inner_text() or "logged out" in banner.inner_text()
    banner.locator("button").click()
    banner.wait_for(state="hidden", timeout=10_000)
    assert "/portal/employees/" in page.url  # still there, the session kept
    # Now idle: the banner comes back and, with no click, the page ends on the login page.
    banner.wait_for(state="visible", timeout=10_000)
    page.wait_for_url("**/portal/login/**", timeout=20_000)

"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Skipped with a clear reason where chromium is absent; required (a failure) when CI is set.
"""

import contextlib
import os
import threading

import pytest
from django.core.signals import request_finished, request_started

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from cms_pages.consent.scanner import CHROMIUM_FLAGS, chromium_path  # noqa: E402 - after the environment


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


class _RequestsInFlight:
    """Counts the requests Django is serving in this process (the live server's threads included).

    The database is flushed after each browser test; a request still running then (a page's late fetch, one
    the browser gave up on) would hold a transaction that deadlocks PostgreSQL's TRUNCATE. Waiting for this
    count to reach zero replaces a guessed sleep: it waits exactly as long as the server is busy.
    """

    def __init__(self):
        self.count = 0
        self.idle = threading.Condition()
        request_started.connect(self.started, weak=False)
        request_finished.connect(self.finished, weak=False)

    def started(self, **kwargs):
        with self.idle:
            self.count += 1

    def finished(self, **kwargs):
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait_until_idle(self, timeout: float = 15.0) -> None:
        with self.idle:
            if not self.idle.wait_for(lambda: self.count <= 0, timeout=timeout):
                raise AssertionError(f"{self.count} request(s) still running {timeout} s after the test")


@pytest.fixture(scope="session")
def requests_in_flight():
    return _RequestsInFlight()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but chromium is not installed: apt-get install -y chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, requests_in_flight):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(30000)  # generous: CI machines are small and the suite runs in parallel
    yield page
    # Leave the site (its scripts and timers stop), close the browser side, then wait until the server has
    # finished every request the page started before the database is flushed.
    with contextlib.suppress(Exception):  # the page may already be gone
        page.goto("about:blank")
    context.close()
    requests_in_flight.wait_until_idle()


def assert_no_serious_axe_violations(page):
    """Run axe-core on the current page; fail on serious or critical violations, listing them."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )


def log_in(page, user):
    """Log `user` (made by tests.conftest.make_admin) in through both steps: password, then a fresh code."""
    from tests.conftest import next_code
    from tests.factories import DEMO_PASSWORD

    page.goto("/portal/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/login/verify/**")
    page.fill("#id_code", next_code(user.totp))
    page.click("main button[type=submit]")
    page.wait_for_url("**/portal/")

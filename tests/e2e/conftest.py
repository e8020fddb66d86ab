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

from cms_pages.consent.scanner import CHROMIUM_FLAGS, chromium_path  # after the environment


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
        # Production's two hosts are one site (ansatte.dk, app.ansatte.dk); these names let a test have the
        # same relation locally, where localhost and 127.0.0.1 are two sites.
        flags = [
            *CHROMIUM_FLAGS,
            f"--host-resolver-rules=MAP {SAME_SITE_PUBLIC} 127.0.0.1, MAP {SAME_SITE_APP} 127.0.0.1",
        ]
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=flags)
        yield browser
        browser.close()


class _Vendor:
    """A stand-in third-party host (an analytics vendor) on its own origin: serves the scripts a test gives it
    and lists the requests it received."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        vendor = self
        self.scripts: dict[str, str] = {}
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # the http.server API
                vendor.requests.append(self.path)
                body = vendor.scripts.get(self.path.split("?")[0], "").encode()
                self.send_response(200 if body else 204)
                self.send_header("Content-Type", "application/javascript")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def script(self, path: str, body: str) -> str:
        self.scripts[path] = body
        return self.origin + path


@pytest.fixture
def vendor():
    server = _Vendor()
    yield server
    server.server.shutdown()
    server.server.server_close()


SAME_SITE_PUBLIC = "ansatte.test"
SAME_SITE_APP = "app.ansatte.test"


@pytest.fixture(autouse=True)
def two_origins(request, live_server, settings):
    """The live server under its two names, as `make run` has it: the portal, signing and the admin on
    http://localhost:PORT, the public site on http://127.0.0.1:PORT. Two origins, one server.

    A test parametrized indirectly with "same-site" gets production's relation instead: two hosts of one
    site (ansatte.test and app.ansatte.test, which the browser resolves to the live server), so the browser
    sends the app host's SameSite cookies on the public site's requests to it.
    """
    port = live_server.url.rsplit(":", 1)[1]
    if getattr(request, "param", "cross-site") == "same-site":
        app, public = SAME_SITE_APP, SAME_SITE_PUBLIC
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, app, public]
    else:
        app, public = "localhost", "127.0.0.1"
    settings.APP_ORIGIN = f"http://{app}:{port}"
    settings.PUBLIC_ORIGIN = f"http://{public}:{port}"
    settings.WAGTAILADMIN_BASE_URL = settings.APP_ORIGIN
    return settings


@pytest.fixture
def public_url(two_origins):
    """An absolute address on the public site, for `page.goto(public_url("/da/"))`."""
    return lambda path: two_origins.PUBLIC_ORIGIN + path


@pytest.fixture
def page(request, browser, two_origins, requests_in_flight):
    """A fresh browser context; relative addresses go to the app host, or to the public site's host for
    tests marked `public_site`."""
    public = request.node.get_closest_marker("public_site") is not None
    base_url = two_origins.PUBLIC_ORIGIN if public else two_origins.APP_ORIGIN
    context = browser.new_context(base_url=base_url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(30000)  # generous: CI machines are small and the suite runs in parallel
    yield page
    # Leave the site (its scripts and timers stop), close the browser side, then wait until the server has
    # finished every request the page started before the database is flushed.
    with contextlib.suppress(Exception):  # the page may already be gone
        page.goto("about:blank")
    context.close()
    requests_in_flight.wait_until_idle()


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll a JavaScript expression until it is truthy. Playwright's wait_for_function evaluates its predicate
    with eval(), which the site's CSP (rightly) refuses; page.evaluate goes through the DevTools protocol."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


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

"""scan_cookies in chromium against the live server: a script that sets a new cookie is found,
reported as unclassified, a third-party host nothing declares is reported, editors are told, and a second
run adds nothing twice."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from cms_pages.consent import scanner
from cms_pages.consent.demo import seed as seed_consent_demo
from cms_pages.consent.models import CookieDeclaration, CookieScan, TrackingScript
from cms_pages.consent.scanner import chromium_path
from cms_pages.demo import ensure_home
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed")


@pytest.mark.django_db(transaction=True)
def test_scan_finds_a_new_cookie_and_reports_it_unclassified(live_server, capsys, vendor, monkeypatch):
    ensure_home()
    seed_consent_demo()  # declares the necessary cookies (a flushed database lost the migration's rows)
    TrackingScript.objects.all().delete()  # only this test's scripts
    editor = UserFactory(is_superuser=True, is_staff=True, email="editor@ansatte.dk")
    UserFactory(email="visitor@example.test")  # no permission: not told
    src = vendor.script(
        "/tracker.js",
        'document.cookie = "_new_tracker=1; path=/; max-age=86400";'
        'fetch("http://127.0.0.3:8111/beacon", {mode: "no-cors"}).catch(() => {});',
    )
    TrackingScript.objects.create(name="New tracker", category="statistics", src=src)
    TrackingScript.objects.create(name="Pixel", category="marketing", src="http://127.0.0.2:8111/px.js")

    crawled = []
    real_crawl = scanner.crawl
    monkeypatch.setattr(scanner, "crawl", lambda *args: crawled.append(real_crawl(*args)) or crawled[-1])
    call_command("scan_cookies", base_url=settings.PUBLIC_ORIGIN)

    found = CookieDeclaration.objects.get(name="_new_tracker")
    assert found.category == "unclassified" and found.found_by_scan
    assert found.party == "first" and found.lifetime in ("1 dag", "1 day")
    scan = CookieScan.objects.get()
    assert scan.new_cookies == ["_new_tracker"]
    assert "_new_tracker" in scan.unclassified_cookies
    assert "127.0.0.2:8111" in scan.third_party_requests
    # The pixel's host is its tracking script's. The beacon's host is declared by nothing, so the public
    # site's CSP (connect-src: its own origin and the declared scripts' origins) never let it leave.
    assert scan.undeclared_hosts == []
    assert "127.0.0.3:8111" not in scan.third_party_requests
    assert "/da/" in scan.pages and "/en/" in scan.pages
    assert "/da/contact/" in scan.pages and "/en/newsletter/" in scan.pages  # views outside Wagtail too
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "_new_tracker" in mail.outbox[0].body
    assert re.search(r"New \(unclassified\): _new_tracker", capsys.readouterr().out)

    # The same findings again (the browser's crawl replayed: what is under test is the recording, and a
    # second real crawl cost 15 s): nothing is added twice.
    monkeypatch.setattr(scanner, "crawl", lambda *args: crawled[0])
    call_command("scan_cookies", base_url=settings.PUBLIC_ORIGIN, no_notify=True)
    assert CookieDeclaration.objects.filter(name="_new_tracker").count() == 1
    assert CookieScan.objects.first().new_cookies == []
    assert CookieScan.objects.count() == 2

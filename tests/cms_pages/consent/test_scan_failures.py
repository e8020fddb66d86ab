"""When the cookie scan cannot run, editors hear of it and the cookie policy keeps the date of the last scan
that did check; the scan covers the public views outside Wagtail that load consent.js too."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import formats, translation

from cms_pages.consent import scanner
from cms_pages.consent.models import ConsentRecord, CookieScan
from tests.conftest import login_verified
from tests.factories import UserFactory, add_totp_device


def scan_without_a_browser(monkeypatch):
    """Run scan_cookies on a machine where chromium cannot be found: a real failure of the crawl."""
    monkeypatch.setenv("PATH", "/nonexistent")
    assert scanner.chromium_path() is None
    with pytest.raises(CommandError, match="chromium is not installed"):
        call_command("scan_cookies", base_url="http://testserver")


@pytest.mark.django_db
def test_a_failed_crawl_is_recorded_and_editors_are_told(monkeypatch, home):
    editor = UserFactory(is_superuser=True, is_staff=True, email="editor@ansatte.dk")
    editor.totp = add_totp_device(editor)
    UserFactory(email="visitor@example.test")  # may not edit the declaration: not told
    scan_without_a_browser(monkeypatch)

    scan = CookieScan.objects.get()
    assert scan.failed and "chromium is not installed" in scan.error
    assert scan.finished_at is not None and "/da/" in scan.pages
    (message,) = mail.outbox
    assert message.to == ["editor@ansatte.dk"]
    assert message.subject == "Cookiescanning mislykkedes: cookiedeklarationen blev ikke kontrolleret"
    assert "chromium is not installed" in message.body

    # The Wagtail dashboard says so too, until a scan succeeds.
    html = login_verified(Client(), editor).get("/admin/").content.decode()
    assert "mislykkedes" in html and "chromium is not installed" in html


@pytest.mark.django_db
def test_last_scanned_on_keeps_the_last_scan_that_checked(monkeypatch, client, cookie_policy):
    checked = scanner.compare_and_record("http://testserver", ["/da/"], scanner.CrawlResult())
    CookieScan.objects.filter(pk=checked.pk).update(
        started_at=datetime.datetime(2025, 3, 14, 3, 30, tzinfo=datetime.UTC),
        finished_at=datetime.datetime(2025, 3, 14, 3, 40, tzinfo=datetime.UTC),
    )
    with translation.override("da"):
        checked_on = formats.date_format(datetime.date(2025, 3, 14), "DATE_FORMAT")
    assert last_scanned(client, cookie_policy) == f"Sidst scannet den {checked_on}."

    scan_without_a_browser(monkeypatch)
    assert CookieScan.objects.first().failed  # the newest scan is the failed one
    assert last_scanned(client, cookie_policy) == f"Sidst scannet den {checked_on}."


def last_scanned(client, page) -> str:
    html = client.get(page.url).content.decode()
    return re.search(r'class="cookie-declaration__scanned">([^<]*)<', html).group(1)


@pytest.mark.django_db
def test_the_scan_covers_the_public_views_outside_wagtail_that_load_consent_js(client, home):
    record = ConsentRecord.objects.create(categories=["statistics"], language="da", policy_version="")
    paths = scanner.public_paths()
    assert "/da/" in paths and "/en/" in paths
    expected = {
        "/da/contact/",
        "/en/contact/",
        "/da/newsletter/",
        "/en/newsletter/",
        "/da/consent/settings/",
        "/en/consent/settings/",
        f"/da/consent/receipt/{record.consent_id}/",
        f"/en/consent/receipt/{record.consent_id}/",
    }
    assert expected <= set(paths)
    search = [p for p in paths if "search" in p or "soeg" in p or "søg" in p]
    assert len(search) == 2
    for path in expected | set(search):  # each is a real public page that loads the consent script
        response = client.get(path)
        assert response.status_code == 200, path
        assert "js/consent.js" in response.content.decode(), path

"""The cookie scan compares the third-party hosts the pages called with what is declared: a host that no
active tracking script's URL and no declared cookie provider explains is reported to editors."""

import pytest
from django.core import mail
from wagtail.models import Locale

from cms_pages.consent.models import CookieDeclaration, CookieScan, TrackingScript
from cms_pages.consent.scanner import CrawlResult, compare_and_record, notify_editors
from tests.factories import UserFactory

HOSTS = {
    "www.googletagmanager.com",  # the tracking script's own host
    "region1.google-analytics.com",  # a subdomain of a declared provider
    "connect.facebook.net",  # nothing declares it
    "evil.example:8443",  # nor this one (ports are kept as seen)
    "cdn.inactive.example",  # only an inactive script points here
}


@pytest.fixture
def declared(db):
    TrackingScript.objects.all().delete()
    TrackingScript.objects.create(name="Tag manager", src="https://www.googletagmanager.com/gtag/js?id=G-1")
    TrackingScript.objects.create(name="Old", src="https://cdn.inactive.example/x.js", active=False)
    locale = Locale.get_default()
    CookieDeclaration.objects.create(
        name="_ga", provider="google-analytics.com", category="statistics", locale=locale
    )
    CookieDeclaration.objects.create(
        name="_fbp", provider="Meta", category="marketing", locale=locale
    )  # no domain


@pytest.mark.django_db
def test_hosts_nothing_declared_explains_are_reported_to_editors(declared):
    editor = UserFactory(is_superuser=True, is_staff=True)
    scan = compare_and_record("http://testserver", ["/da/"], CrawlResult(third_party_hosts=set(HOSTS)))
    assert scan.undeclared_hosts == ["cdn.inactive.example", "connect.facebook.net", "evil.example:8443"]
    assert scan.third_party_requests == sorted(HOSTS)
    assert scan.has_differences
    assert notify_editors(scan) == 1
    assert mail.outbox[0].to == [editor.email] and "connect.facebook.net" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_scan_whose_hosts_are_all_declared_has_no_difference_from_them(declared):
    hosts = {"www.googletagmanager.com", "region1.google-analytics.com"}
    scan = compare_and_record("http://testserver", ["/da/"], CrawlResult(third_party_hosts=hosts))
    assert scan.undeclared_hosts == []
    assert CookieScan.objects.get().undeclared_hosts == []

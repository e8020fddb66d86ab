"""Every portal and admin URL refuses a password-only session: the test walks all URL patterns, so a new
view that forgets the rule fails here. Views reachable before login are listed explicitly."""

import pytest
from django.test import Client
from django.urls import resolve

from hrportal.accounts.middleware import PROTECTED_PREFIXES, is_protected_path
from tests.conftest import login_password_only
from tests.hrportal.urlwalk import routes_under, walk

# Views that must work before the second factor (each does its own checks). Adding one is a decision.
EXEMPT = {
    "portal:login",
    "portal:login_verify",
    "portal:logout",
    "portal:twofactor_setup",
    "portal:password_reset",
    "portal:password_reset_done",
    "portal:password_reset_confirm",
    "portal:language",
    "portal:signup",
    "portal:signup_check_email",
    "portal:signup_confirm_email",
    "portal:signup_mobile",
    "portal:signup_password",
    "portal:invite_accept",
    "portal:deletion_status",  # its admin is deleted with the company: a signed token, progress only
}


# Every URL outside the two-factor prefixes, with the reason it may be public. A view mounted anywhere else
# (a new top-level path, or under the language prefix /da/ /en/) fails the suite until it is listed here
# or moved under /portal/.
PUBLIC = {
    "healthz": "load balancer probe, no data",
    "readyz": "load balancer probe, no data",
    "wagtaildocs_serve": "Wagtail documents of the public site (collection privacy applies)",
    "wagtaildocs_authenticate_with_password": "password form of a Wagtail document restriction",
    "set_language": "language switch of the public site",
    "sitemap": "public pages only",
    "robots_txt": "crawler rules and the sitemap address, no data",
    "verify_document": "public check of a signed document's fingerprint",
    "sign_document": "employee's signing link: a signed token plus an SMS code",
    "sign_document_code": "employee's signing link: sends the SMS code",
    "sign_document_file": "employee's signing link: the document being signed",
    "sign_copy": "employee's signed-copy link: a token plus an emailed code",
    "sign_copy_code": "employee's signed-copy link: sends the emailed code",
    "employee_request": "the company's link for employees' own rights requests: an unguessable token, "
    "shows the company's name only; nothing is stored before the e-mail is confirmed by a code",
    "employee_request_confirm": "the same link: the emailed code that confirms the person's e-mail",
    "employee_request_follow": "the person's own follow link, by an unguessable token: status and dates only",
    "consent_api:give": "cookie consent of an anonymous visitor",
    "consent_api:csrf": "CSRF token for the cached public pages' forms",
    "consent_api:config": "cookie consent configuration",
    "site_search": "search of the public pages",
    "current_policy": "a redirect to the live privacy or cookie policy",
    "consent:settings": "cookie consent of an anonymous visitor",
    "consent:receipt": "the visitor's own consent receipt, by an unguessable id",
    "consent:receipt_json": "the visitor's own consent receipt, by an unguessable id",
    "newsletter:signup": "newsletter signup",
    "newsletter:check_email": "newsletter signup",
    "newsletter:confirm": "newsletter double opt-in, by signed token",
    "newsletter:unsubscribe": "newsletter unsubscribe, by signed token",
    "contact:form": "contact form",
    "contact:thanks": "contact form",
    "wagtailcore_authenticate_with_password": "password form of a Wagtail page restriction",
    "wagtailcore_login": "password step only: the session stays unverified; /portal/ and /admin/ refuse it",
    "wagtail_serve": "the public Wagtail pages",
}


def test_the_walk_covers_language_prefixed_urls():
    paths = {r.name: r.path for r in walk()}
    assert paths["wagtail_serve"] == "/da/"
    assert paths["newsletter:signup"] == "/da/newsletter/"


def test_every_url_outside_the_protected_prefixes_is_explicitly_public():
    outside = {r.name: r.path for r in walk() if not is_protected_path(r.path)}
    unlisted = sorted(f"{name} {path}" for name, path in outside.items() if name not in PUBLIC)
    assert not unlisted, (
        f"not under {PROTECTED_PREFIXES} and not on the public list (a private view must live under "
        "/portal/):\n" + "\n".join(unlisted)
    )
    assert set(PUBLIC) <= set(outside), f"stale public entries: {set(PUBLIC) - set(outside)}"


def protected_routes():
    return [r for r in routes_under("/portal/", "/admin/") if r.name not in EXEMPT]


def test_the_walk_finds_portal_and_wagtail_admin_urls():
    names = {r.name for r in routes_under("/portal/", "/admin/")}
    assert {"portal:dashboard", "portal:users", "portal:audit_log"} <= names
    assert "wagtailadmin_home" in names
    assert len(names) > 100  # the whole Wagtail admin is covered, not a sample
    assert names >= EXEMPT, f"stale exemptions: {EXEMPT - names}"


def test_exempt_views_are_exactly_the_listed_ones():
    exempt_found = set()
    for route in routes_under("/portal/", "/admin/"):
        match = resolve(route.path)
        if getattr(match.func, "two_factor_exempt", False):
            exempt_found.add(route.name)
    assert exempt_found == EXEMPT


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_protected_url_refuses_a_password_only_session(admin_user, method):
    client = login_password_only(Client(), admin_user)
    leaks = []
    for route in protected_routes():
        response = getattr(client, method)(route.path)
        location = response.get("Location", "")
        if not (response.status_code == 302 and location.startswith("/portal/login/verify/")):
            leaks.append(f"{route.name} {route.path} -> {response.status_code} {location}")
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_every_protected_url_refuses_an_anonymous_visitor(client):
    leaks = []
    for route in protected_routes():
        response = client.get(route.path)
        location = response.get("Location", "")
        if not (response.status_code == 302 and location.startswith("/portal/login/")):
            leaks.append(f"{route.name} {route.path} -> {response.status_code} {location}")
    assert not leaks, "\n".join(leaks)


def test_each_sample_path_reaches_its_own_view():
    """The walk's sample paths must hit the pattern they stand for, or the rule tests would test less."""
    wrong = []
    for route in walk():
        match = resolve(route.path)
        name = match.view_name if match.url_name else match._func_path
        if name != route.name:
            wrong.append(f"{route.name}: {route.path} resolves to {name}")
    assert not wrong, "\n".join(wrong)

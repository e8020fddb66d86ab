"""The consent banner in chromium with a fresh profile, the network intercepted.

A stand-in third party lives at 127.0.0.2 (never reached: Playwright answers its requests), so any
request to it shows exactly when a tracking script was loaded. Besides, every request the page makes is
collected: before consent and after "Reject all" each one must go to the site's own host, whatever
script (by URL or inline) would have sent it elsewhere.
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from cms_pages.consent.models import ConsentRecord, CookieDeclaration, TrackingScript
from cms_pages.demo import ensure_home
from tests.cms_pages.consent.helpers import publish_cookie_policy
from tests.conftest import run_jobs
from tests.e2e.conftest import assert_no_serious_axe_violations, wait_until

THIRD_PARTY = "http://127.0.0.2:8109"
NECESSARY = {"ansatte_consent", "ansatte_public_csrf"}  # the public host's own CSRF cookie (http: no prefix)

pytestmark = pytest.mark.public_site


@pytest.fixture
def site(transactional_db):
    home = ensure_home()
    policy = publish_cookie_policy(home)
    da = Locale.objects.get(language_code="da")
    TrackingScript.objects.create(name="Stats", category="statistics", src=f"{THIRD_PARTY}/stats.js")
    TrackingScript.objects.create(name="Ads", category="marketing", src=f"{THIRD_PARTY}/ads.js")
    # A pixel: its script reports to its own host with an image, as vendors' snippets do.
    TrackingScript.objects.create(name="Pixel", category="marketing", src=f"{THIRD_PARTY}/pixel.js")
    for name, category in [("_stats_test", "statistics"), ("_ads_test", "marketing")]:
        CookieDeclaration.objects.create(
            name=name, provider="Stand-in", category=category, locale=da, translation_key=uuid.uuid4()
        )
    return {"home": home, "policy": policy}


@pytest.fixture
def third_party(page):
    """Answer the stand-in third party's requests in the browser and list them."""
    requests = []

    def fulfil(route):
        name = route.request.url.rsplit("/", 1)[-1].removesuffix(".js")
        requests.append(route.request.url)
        body = f'document.cookie = "_{name}_test=1; path=/"; window.loaded_{name} = true;'
        if name == "pixel":
            body += f' new Image().src = "{THIRD_PARTY}/pixel.gif?from=script";'
        route.fulfill(status=200, content_type="application/javascript", body=body)

    page.route(re.compile(r"^http://127\.0\.0\.2(:\d+)?/.*"), fulfil)
    return requests


@pytest.fixture
def requests_seen(page):
    """Every request the page makes (routed or not), in order."""
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def not_to(live_server, urls):
    """The requests that went anywhere but the public site's own host (the live server's public name)."""
    from django.conf import settings

    own = urlsplit(settings.PUBLIC_ORIGIN).netloc
    return [url for url in urls if urlsplit(url).netloc != own]


def cookie_names(page):
    return {c["name"] for c in page.context.cookies()}


def banner(page):
    return page.locator("[data-consent-banner]")


def wait_for_config(page):
    wait_until(page, "document.querySelector('[data-consent-banner]').hidden === false")


@pytest.mark.django_db(transaction=True)
def test_nothing_optional_before_consent_nor_after_reject_all(
    site, page, third_party, requests_seen, live_server
):
    page.goto("/da/")
    wait_for_config(page)
    page.wait_for_load_state("networkidle")
    expect(banner(page)).to_be_visible()
    assert any(url.endswith("/consent/config/") for url in requests_seen)  # the collector sees the page
    assert not_to(live_server, requests_seen) == []
    assert third_party == []
    assert cookie_names(page) <= NECESSARY

    page.get_by_role("button", name="Afvis alle").click()
    page.locator("[data-consent-status]").wait_for(state="visible")
    expect(banner(page)).to_be_hidden()
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(banner(page)).to_be_hidden()
    assert not page.evaluate("window.loaded_pixel === true")
    assert not_to(live_server, requests_seen) == []
    assert third_party == []
    assert cookie_names(page) <= NECESSARY
    record = ConsentRecord.objects.get()
    assert record.categories == []
    assert record.policy_version == site["policy"].version_id


@pytest.mark.django_db(transaction=True)
def test_statistics_only_then_withdraw_through_cookie_settings(site, page, third_party):
    page.goto("/da/")
    wait_for_config(page)
    # The three first-layer choices look alike: accepting is not more prominent than refusing.
    styles = [
        page.get_by_role("button", name=name).evaluate(
            "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).fontSize, b.offsetHeight]"
        )
        for name in ("Accepter alle", "Afvis alle", "Vælg selv")
    ]
    assert styles[0] == styles[1] == styles[2]
    page.get_by_role("button", name="Vælg selv").click()
    statistics = page.get_by_role("checkbox", name="Statistik")
    assert not statistics.is_checked()  # never pre-ticked
    assert page.get_by_role("checkbox", name=re.compile("Nødvendige")).is_disabled()
    statistics.check()
    page.get_by_role("button", name="Gem mit valg").click()
    wait_until(page, "window.loaded_stats === true")
    page.wait_for_load_state("networkidle")
    assert third_party == [f"{THIRD_PARTY}/stats.js"]  # exactly the statistics script
    assert "_stats_test" in cookie_names(page) and "_ads_test" not in cookie_names(page)
    first = ConsentRecord.objects.get()
    assert first.categories == ["statistics"]
    assert first.policy_version == site["policy"].version_id

    # Cookie settings reopens the choice, with focus in the banner; withdrawing is one click.
    page.get_by_role("link", name="Cookieindstillinger").click()
    expect(banner(page)).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "consent-title"
    assert page.get_by_role("checkbox", name="Statistik").is_checked()
    with page.expect_navigation():  # the running script cannot be unloaded: the page starts afresh
        page.get_by_role("button", name="Afvis alle").click()
    page.wait_for_load_state("networkidle")
    assert "_stats_test" not in cookie_names(page)
    assert third_party == [f"{THIRD_PARTY}/stats.js"]  # not loaded again
    second = ConsentRecord.objects.order_by("-created_at").first()
    assert second.categories == [] and second.replaces == first.consent_id


@pytest.mark.django_db(transaction=True)
def test_material_policy_version_brings_the_banner_back(site, page, third_party):
    page.goto("/en/")
    wait_for_config(page)
    page.get_by_role("button", name="Accept all").click()
    # Consent given, the pixel's script runs and reports (so its silence before consent means something).
    wait_until(page, "window.loaded_ads && window.loaded_stats && window.loaded_pixel")
    page.wait_for_load_state("networkidle")
    assert f"{THIRD_PARTY}/pixel.gif?from=script" in third_party
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(banner(page)).to_be_hidden()

    publish_cookie_policy(site["home"], material=False, summary="Typo")
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(banner(page)).to_be_hidden()

    publish_cookie_policy(site["home"], material=True, summary="New advertising partner")
    third_party.clear()
    page.reload()
    wait_for_config(page)
    page.wait_for_load_state("networkidle")
    expect(banner(page)).to_be_visible()
    assert third_party == []  # the old consent no longer loads anything


@pytest.mark.django_db(transaction=True)
def test_receipt_shows_the_record_and_downloads(site, page, third_party):
    page.goto("/en/")
    wait_for_config(page)
    page.get_by_role("button", name="Accept all").click()
    page.get_by_role("link", name="See your receipt").click()
    record = ConsentRecord.objects.get()
    expect(page.get_by_text(str(record.consent_id))).to_be_visible()
    expect(page.locator("[data-consent-policy-version]")).to_have_text(record.policy_version)
    expect(page.locator("[data-consent-categories]")).to_contain_text("Statistics")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the receipt (JSON)").click()
    assert download.value.suggested_filename == f"consent-{record.consent_id}.json"


def focused(page) -> str:
    return page.evaluate("(document.activeElement.textContent || '').trim()")


def tab_to(page, name, *, what=None, limit=80) -> None:
    """Press Tab until the element named `name` (or whose `what` is `name`) has focus, as a keyboard user
    would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if (page.evaluate(what) if what else focused(page)) == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


@pytest.mark.django_db(transaction=True)
def test_banner_is_keyboard_operable(site, page, third_party):
    """Keys only (Tab, Shift+Tab, Enter, Escape; Space ticks a box): no element is focused by the test."""
    page.goto("/da/")
    wait_for_config(page)
    # From the top of the page: the skip link, the policy link, then the three equal choices in order.
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(focused(page))
    assert order == [
        "Gå til hovedindhold",
        "Læs cookiepolitikken",
        "Accepter alle",
        "Afvis alle",
        "Vælg selv",
    ]
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "Afvis alle"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Vælg selv": the categories open, focus on the first one
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == [
        "categories",
        "preferences",
    ]
    page.keyboard.press("Space")
    tab_to(page, "Gem mit valg")
    page.keyboard.press("Enter")
    page.locator("[data-consent-status]").wait_for(state="visible")
    assert ConsentRecord.objects.get().categories == ["preferences"]

    # "Cookie settings" reopens the choice; Escape closes it and gives focus back.
    tab_to(page, "Cookieindstillinger")
    page.keyboard.press("Enter")
    expect(banner(page)).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "consent-title"
    page.keyboard.press("Escape")
    expect(banner(page)).to_be_hidden()
    assert focused(page) == "Cookieindstillinger"

    # Reopened again, a changed choice is saved from the keyboard, and focus returns to "Cookie settings".
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "consent-title"
    tab_to(page, "preferences", what="document.activeElement.value")
    assert page.evaluate("document.activeElement.checked")  # ticked, as chosen before
    page.keyboard.press("Space")  # untick
    tab_to(page, "Gem mit valg")
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('[data-consent-banner]').hidden")
    wait_until(page, "document.activeElement.textContent.trim() === 'Cookieindstillinger'")
    assert ConsentRecord.objects.order_by("-created_at").first().categories == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/da/", "/en/"])
def test_banner_open_passes_axe(site, page, third_party, path):
    page.goto(path)
    wait_for_config(page)
    assert_no_serious_axe_violations(page)
    page.locator('[data-consent-action="choose"]').click()
    page.locator("details.consent__cookies").first.evaluate("d => d.open = true")
    assert_no_serious_axe_violations(page)


@pytest.mark.django_db(transaction=True)
def test_footer_newsletter_form_on_a_cached_page_fetches_its_csrf_token(site, page, third_party):
    from django.core import mail

    from cms_pages.newsletter.models import Subscriber

    token_requests = []
    page.on("request", lambda request: "/consent/csrf/" in request.url and token_requests.append(request))
    page.goto("/da/")
    wait_for_config(page)
    # The choice and the form right after it, without waiting: both need a token, and the page must not
    # fetch two (each would set its own cookie, and the form's token would not match the last one).
    page.get_by_role("button", name="Afvis alle").click()
    page.get_by_label("E-mail").fill("footer@example.test")
    with page.expect_navigation():
        page.get_by_role("button", name="Tilmeld").click()
    assert page.url.endswith("/da/newsletter/check-your-email/")
    assert len(token_requests) == 1
    assert Subscriber.objects.get().email == "footer@example.test"
    assert run_jobs() == 1  # the confirmation goes out from the worker
    assert [m.to for m in mail.outbox] == [["footer@example.test"]]
    assert third_party == []


@pytest.mark.django_db(transaction=True)
def test_footer_newsletter_form_without_javascript_falls_back_to_the_form_page(site, browser, live_server):
    from django.conf import settings

    from cms_pages.newsletter.models import Subscriber

    context = browser.new_context(base_url=settings.PUBLIC_ORIGIN, locale="da-DK", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/da/")
        page.get_by_label("E-mail").fill("nojs@example.test")
        with page.expect_navigation():
            page.get_by_role("button", name="Tilmeld").click()
        assert urlsplit(page.url).path == "/da/newsletter/"  # the uncached page with its own token
        assert not Subscriber.objects.exists()
        assert page.locator("main").get_by_label("E-mail").input_value() == "nojs@example.test"
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Tilmeld").click()
        assert page.url.endswith("/da/newsletter/check-your-email/")
        assert Subscriber.objects.get().email == "nojs@example.test"
    finally:
        context.close()

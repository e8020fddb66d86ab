"""On a phone, wide tables scroll inside their own focusable region: the page never scrolls sideways."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.public_site

WIDE_TABLE_PAGES = ["/da/privatlivspolitik/versioner/", "/da/cookiepolitik/", "/da/gdpr-og-sikkerhed/"]


@pytest.mark.django_db(transaction=True)
def test_no_page_with_a_wide_table_scrolls_sideways_at_390_px(page):
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in WIDE_TABLE_PAGES:
        page.goto(path)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (path, widths)
        regions = page.locator("div.table-scroll")
        assert regions.count() > 0, path
        for i in range(regions.count()):
            assert regions.nth(i).get_attribute("tabindex") == "0", path
            assert regions.nth(i).get_attribute("role") == "region", path
        assert_no_serious_axe_violations(page)


LAYOUT_SHIFT = """new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 600);
})"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_the_cookie_banner_appears_without_moving_the_page(page, width, height):
    """The banner is revealed by consent.js after the page has laid out: as an overlay it shifts nothing
    (it pushed the whole page down before: a cumulative layout shift of 0.46 on a phone)."""
    from tests.e2e.conftest import wait_until

    call_command("seed_demo", verbosity=0)
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/da/")
    wait_until(page, "document.querySelector('[data-consent-banner]').hidden === false")
    expect(page.locator("[data-consent-banner]")).to_be_visible()
    shift = page.evaluate(LAYOUT_SHIFT)
    assert shift < 0.02, f"cumulative layout shift {shift:.3f} at {width} px"
    assert_no_serious_axe_violations(page)

"""On a phone, wide tables scroll inside their own focusable region: the page never scrolls sideways."""

import pytest
from django.core.management import call_command

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

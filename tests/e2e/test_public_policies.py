"""A visitor goes home → privacy policy → history → compares two versions, in Danish and English."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.public_site


LANGUAGES = [
    ("/da/", "Privatlivspolitik", "Versionshistorik", "Sammenlign", "da"),
    ("/en/", "Privacy policy", "Version history", "Compare", "en"),
]


@pytest.mark.django_db(transaction=True)
def test_policy_history_and_compare_in_both_languages(page):
    """One seed for both languages (a seed is most of the cost): each walks home, policy, history, diff."""
    call_command("seed_demo", verbosity=0)
    for home, policy_link, history_link, compare_button, lang in LANGUAGES:
        page.goto(home)
        assert page.locator("html").get_attribute("lang") == lang
        expect(page.get_by_role("img", name="XL-BYG")).to_be_visible()
        assert_no_serious_axe_violations(page)

        page.locator("footer").get_by_role("link", name=policy_link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(policy_link)
        assert_no_serious_axe_violations(page)

        page.get_by_role("link", name=history_link).click()
        rows = page.locator("table.versions tbody tr")
        expect(rows).to_have_count(4)
        assert_no_serious_axe_violations(page)

        page.get_by_role("button", name=compare_button).click()  # newest against the one before, preselected
        # Version 4 adds the employees' request route (the link or QR code from their employer).
        expect(page.locator(".diff ins", has_text="QR").first).to_be_visible()
        assert_no_serious_axe_violations(page)

"""A visitor goes home → privacy policy → history → compares two versions, in Danish and English."""

import pytest
from django.core.management import call_command

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
        assert page.get_by_role("img", name="XL-BYG").is_visible()
        assert_no_serious_axe_violations(page)

        page.locator("footer").get_by_role("link", name=policy_link).click()
        assert page.get_by_role("heading", level=1).inner_text() == policy_link
        assert_no_serious_axe_violations(page)

        page.get_by_role("link", name=history_link).click()
        rows = page.locator("table.versions tbody tr")
        assert rows.count() == 3
        assert_no_serious_axe_violations(page)

        page.get_by_role("button", name=compare_button).click()  # newest against the one before, preselected
        assert page.locator(".diff ins").count() > 0
        assert page.locator(".diff del").count() > 0
        assert_no_serious_axe_violations(page)

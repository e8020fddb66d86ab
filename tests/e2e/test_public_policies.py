"""A visitor goes home → privacy policy → history → compares two versions, in Danish and English."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.public_site


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("home", "policy_link", "history_link", "compare_button", "lang"),
    [
        ("/da/", "Privatlivspolitik", "Versionshistorik", "Sammenlign", "da"),
        ("/en/", "Privacy policy", "Version history", "Compare", "en"),
    ],
)
def test_policy_history_and_compare(page, home, policy_link, history_link, compare_button, lang):
    call_command("seed_demo", verbosity=0)
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

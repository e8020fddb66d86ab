import pytest
from playwright.sync_api import expect

from cms_pages.demo import ensure_home
from tests.e2e.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.public_site


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("path", "lang"), [("/da/", "da"), ("/en/", "en")])
def test_home_pages_load_and_pass_axe(page, path, lang):
    ensure_home()
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("h1").first).to_be_visible()
    assert_no_serious_axe_violations(page)

import pytest

from tests.cms_pages.consent.helpers import publish_cookie_policy


@pytest.fixture
def cookie_policy(home):
    return publish_cookie_policy(home)

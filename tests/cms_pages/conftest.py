import pytest

from cms_pages.demo import ensure_home


@pytest.fixture
def home(db, django_capture_on_commit_callbacks):
    """The Danish home page as site root, with its English translation made by wagtail-localize.

    wagtail-localize publishes translations on commit, so the callbacks are run here.
    """
    with django_capture_on_commit_callbacks(execute=True):
        return ensure_home()

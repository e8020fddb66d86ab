import pytest
from wagtail.models import Locale

from cms_pages.demo import ensure_home, seed
from cms_pages.translation import translate
from tests.cms_pages.factories import PolicyPageFactory, body, publish


@pytest.fixture
def home(db, django_capture_on_commit_callbacks):
    """The Danish home page as site root, with its English translation made by wagtail-localize.

    wagtail-localize publishes translations on commit, so the callbacks are run here.
    """
    with django_capture_on_commit_callbacks(execute=True):
        return ensure_home()


@pytest.fixture
def english(home):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def translate_page(english, django_capture_on_commit_callbacks):
    """Translate a Danish page to English through wagtail-localize, publishing on commit as in production."""

    def _translate(page, strings):
        with django_capture_on_commit_callbacks(execute=True):
            translate(page, english, strings)
        return page.get_translation(english).specific

    return _translate


OLD_TEXT = "Fakturaer gemmes i 5 år. Klag til Datatilsynet, Borgergade 28, 1300 København K."
NEW_TEXT = (
    "Fakturaer gemmes i 5 år fra regnskabsårets udløb. "
    "Klag til Datatilsynet, Carl Jacobsens Vej 35, 2500 Valby."
)


@pytest.fixture
def policy(home):
    """A Danish privacy policy with two published versions and a later unpublished draft."""
    page = PolicyPageFactory(parent=home, body=body(OLD_TEXT))
    publish(page)
    publish(
        page, valid_from=page.valid_from.replace(year=2022), change_summary="Ny adresse.", body=body(NEW_TEXT)
    )
    page.change_summary = "HEMMELIGT UDKAST"
    page.body = body("Dette udkast må ingen besøgende se.")
    draft = page.save_revision()
    page.refresh_from_db()
    page.draft_revision = draft
    return page


@pytest.fixture
def site_content(db, django_capture_on_commit_callbacks):
    """The whole demo site, as `manage.py seed_demo` makes it."""
    with django_capture_on_commit_callbacks(execute=True):
        seed()


@pytest.fixture
def client():
    """Public-site tests request the public host; admin requests there use `app_client` (or Client())."""
    from tests.conftest import public_client

    return public_client()


@pytest.fixture
def app_client():
    from django.test import Client

    return Client()

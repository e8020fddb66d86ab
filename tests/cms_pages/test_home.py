import re

import pytest
from wagtail.models import Page

from cms_pages.models import HomePage


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "lang", "title"), [("/da/", "da", "Trygt HR"), ("/en/", "en", "Secure HR")])
def test_home_renders_in_each_language(client, home, path, lang, title):
    response = client.get(path)
    assert response.status_code == 200
    assert html_lang(response) == lang
    assert title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "target"), [("en-GB,en;q=0.9", "/en/"), ("da", "/da/"), ("", "/da/")])
def test_root_redirects_by_accept_language(client, home, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
def test_english_home_is_a_wagtail_localize_translation(home):
    from wagtail_localize.models import Translation

    english = HomePage.objects.get(locale__language_code="en")
    assert english.translation_key == home.translation_key
    assert Translation.objects.filter(
        source__object_id=home.translation_key, target_locale=english.locale
    ).exists()


@pytest.mark.django_db
def test_admin_requires_login(app_client, client, home):
    response = app_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")
    # The admin lives on the app host only: the public host sends the browser there.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/admin/"


@pytest.mark.django_db
def test_a_factory_made_home_page_renders_in_both_languages_on_its_own_site(
    client, home, translate_page, settings
):
    from wagtail.models import Site

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "fabrik.test"]

    from tests.cms_pages.factories import ArticlePageFactory, HomePageFactory

    other = HomePageFactory(parent=Page.get_first_root_node(), title="Fabrikkens forside")
    ArticlePageFactory(parent=other, title="Nyhed fra fabrikken")
    Site.objects.create(hostname="fabrik.test", port=80, root_page=other)
    translate_page(other, {"Fabrikkens forside": "The factory's home"})
    danish = client.get("/da/", HTTP_HOST="fabrik.test")
    english = client.get("/en/", HTTP_HOST="fabrik.test")
    assert (html_lang(danish), html_lang(english)) == ("da", "en")
    assert "Fabrikkens forside" in danish.content.decode()
    assert "The factory&#x27;s home" in english.content.decode()
    assert "Trygt HR til små" not in client.get("/da/").content.decode()  # the default site is untouched

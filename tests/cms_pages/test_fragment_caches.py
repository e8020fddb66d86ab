"""Fragments cached per content generation: a warm page skips the work, and every edit a page shows appears
on the next request (the logos, the latest articles, the owner details, the version history)."""

import pytest
from wagtail.images import get_image_model

from cms_pages.models import CustomerLogo
from tests.cms_pages.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    CustomerLogoFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def test_a_warm_home_page_writes_no_rendition_to_the_cache(client, home, monkeypatch):
    """The issue's 8 cache writes per request: Wagtail stores each logo's rendition again on every
    `{% image %}`. Warm, the logos come from the fragment cache and nothing is written."""
    for n in range(8):
        CustomerLogoFactory(name=f"Kunde {n}")
    first = client.get("/da/").content.decode()
    assert "Kunde 7" in first
    backend = get_image_model().get_rendition_model().cache_backend
    writes = []
    monkeypatch.setattr(backend, "set", lambda *a, **k: writes.append(a[0]))
    monkeypatch.setattr(backend, "set_many", lambda data, *a, **k: writes.extend(data))
    assert client.get("/da/").content.decode() == first
    assert writes == []


def test_logo_edits_appear_on_the_home_page(client, home):
    logo = CustomerLogoFactory(name="XL-BYG")
    assert "XL-BYG" in client.get("/da/").content.decode()
    logo.name = "Murerfirmaet Sten"
    logo.save()
    html = client.get("/da/").content.decode()
    assert "Murerfirmaet Sten" in html and "XL-BYG" not in html
    CustomerLogoFactory(name="Ny Kunde")
    assert "Ny Kunde" in client.get("/en/").content.decode()
    CustomerLogo.objects.filter(name="Ny Kunde").update(active=False)  # no signal: an update()
    logo.active = False
    logo.save()  # a signal, which refreshes the whole fragment
    html = client.get("/en/").content.decode()
    assert "Murerfirmaet Sten" not in html and "Ny Kunde" not in html


def test_a_published_article_appears_on_the_home_page(client, home):
    index = ArticleIndexPageFactory(parent=home)
    client.get("/da/")
    article = ArticlePageFactory(parent=index, title="Ferieloven", slug="ferieloven")
    publish(article)
    assert "Ferieloven" in client.get("/da/").content.decode()
    publish(article, title="Ferieloven 2026")
    assert "Ferieloven 2026" in client.get("/da/").content.decode()
    article.unpublish()
    assert "Ferieloven" not in client.get("/da/").content.decode()


def test_a_logo_given_another_image_shows_the_new_rendition(client, home):
    from tests.cms_pages.factories import ImageFactory

    logo = CustomerLogoFactory(name="XL-BYG")
    old = logo.image.get_rendition("max-240x96").url
    assert old in client.get("/da/").content.decode()
    logo.image = ImageFactory()
    logo.save()
    new = logo.image.get_rendition("max-240x96").url
    assert new != old
    html = client.get("/da/").content.decode()
    assert new in html and old not in html

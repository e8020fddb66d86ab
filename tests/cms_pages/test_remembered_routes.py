"""Wagtail's routing is remembered per content generation (cms_pages.routing): a warm page costs one query
for its routing, and every change to which page a URL leads to shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms_pages import routing
from tests.cms_pages.factories import ArticleIndexPageFactory, ArticlePageFactory, publish

pytestmark = pytest.mark.django_db


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def article(home):
    index = ArticleIndexPageFactory(parent=home)
    page = ArticlePageFactory(parent=index, title="Ferieloven", slug="ferieloven")
    publish(page)
    return page


def test_a_warm_page_is_routed_with_one_query_of_the_page_itself(client, article):
    assert client.get("/da/artikler/ferieloven/").status_code == 200
    response, sql = queries(client, "/da/artikler/ferieloven/")
    assert response.status_code == 200 and "Ferieloven" in response.content.decode()
    assert not [q for q in sql if "wagtailcore_site" in q or "wagtailcore_locale" in q]
    assert not [q for q in sql if "wagtailcore_pageviewrestriction" in q]


def test_a_published_change_shows_on_the_next_request(client, article):
    client.get("/da/artikler/ferieloven/")
    publish(article, title="Ferieloven 2026")
    assert "Ferieloven 2026" in client.get("/da/artikler/ferieloven/").content.decode()


def test_an_unpublished_page_is_gone_at_once_and_back_when_published(client, article):
    assert client.get("/da/artikler/ferieloven/").status_code == 200
    article.unpublish()
    assert client.get("/da/artikler/ferieloven/").status_code == 404
    publish(article)
    assert client.get("/da/artikler/ferieloven/").status_code == 200


def test_a_new_slug_moves_the_page_and_the_old_url_is_not_found(client, article):
    assert client.get("/da/artikler/ferieloven/").status_code == 200
    publish(article, slug="ferie")
    assert client.get("/da/artikler/ferie/").status_code == 200
    assert client.get("/da/artikler/ferieloven/").status_code == 404


def test_a_restriction_on_an_ancestor_hides_a_remembered_page(client, article):
    assert client.get("/da/artikler/ferieloven/").status_code == 200
    PageViewRestriction.objects.create(page=article.get_parent(), restriction_type="login")
    response = client.get("/da/artikler/ferieloven/")
    assert response.status_code == 404 and "Ferieloven" not in response.content.decode()


def test_a_saved_draft_changes_nothing_a_visitor_sees(client, article):
    from cms_pages.templatetags.site_tags import pages_generation

    client.get("/da/artikler/ferieloven/")
    generation = pages_generation()
    article.title = "UDKAST"
    article.save_revision()
    assert pages_generation() == generation  # a draft keeps every fragment and route warm
    html = client.get("/da/artikler/ferieloven/").content.decode()
    assert "Ferieloven" in html and "UDKAST" not in html


def test_without_the_shared_cache_pages_are_routed_as_wagtail_does(client, article, monkeypatch):
    monkeypatch.setattr("cms_pages.templatetags.site_tags.pages_generation", lambda: None)
    routing.forget_routes()
    for _ in range(2):
        assert client.get("/da/artikler/ferieloven/").status_code == 200
    assert routing._memo["routes"] == {}


def test_each_language_and_sub_route_is_remembered_apart(client, policy):
    history = policy.history_url()
    for _ in range(2):
        assert "Versionshistorik" in client.get(history).content.decode()
        assert "Siden er opdateret den" in client.get(policy.url).content.decode()
    assert client.get(history.replace("/da/", "/en/").replace("versioner", "versions")).status_code == 404

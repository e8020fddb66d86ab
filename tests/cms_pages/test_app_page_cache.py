"""The app's own page cache (cms_pages/page_cache.py): a hit costs no query and no rendering, every change a
page shows is visible on the next request, and nothing that belongs to one visitor is ever kept."""

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils.cache import patch_cache_control
from wagtail.models import Page

from cms_pages.models import CustomerLogo, OwnerDetails
from cms_pages.page_cache import HEADER, AppPageCacheMiddleware
from tests.cms_pages.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    CustomerLogoFactory,
    publish,
)
from tests.conftest import PUBLIC_HOST

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def app_cache_on(settings):
    settings.PUBLIC_PAGE_APP_CACHE = True


@pytest.fixture
def article(home):
    index = ArticleIndexPageFactory(parent=home, title="Viden", slug="viden")
    page = ArticlePageFactory(parent=index, title="Ferieloven", slug="ferieloven")
    publish(page)
    return page


def test_a_second_visit_is_a_hit_without_a_query(client, home, django_assert_num_queries):
    first = client.get("/da/")
    assert first.status_code == 200 and first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/da/")
    assert second[HEADER] == "hit"
    assert second.content == first.content
    # The stack's headers are kept; the request id is this request's own.
    for name in ("Content-Security-Policy", "Cache-Control", "Content-Type", "X-Frame-Options"):
        assert second[name] == first[name]
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert int(second["Age"]) >= 0


def test_a_publish_shows_on_the_next_request(client, article):
    url = article.url
    assert "Ferieloven" in client.get(url).content.decode()
    assert client.get(url)[HEADER] == "hit"
    publish(article, title="Ferieloven 2026")
    after = client.get(url)
    assert after[HEADER] == "miss" and "Ferieloven 2026" in after.content.decode()


def test_unpublish_and_move_take_the_page_away(client, home, article):
    url = article.url
    client.get(url)
    assert client.get(url)[HEADER] == "hit"
    article.unpublish()
    assert client.get(url).status_code == 404
    publish(article)
    client.get(url)
    other = ArticleIndexPageFactory(parent=home, title="Nyheder", slug="nyheder")
    Page.objects.get(pk=article.pk).move(other, pos="last-child")
    moved = client.get(url)  # Wagtail's automatic redirect, not the kept page
    assert moved.status_code == 301 and moved["Location"] == "/da/nyheder/ferieloven/"
    assert client.get("/da/nyheder/ferieloven/").status_code == 200


def test_snippet_and_setting_edits_show_on_the_next_request(client, home):
    logo = CustomerLogoFactory(name="XL-BYG")
    assert "XL-BYG" in client.get("/da/").content.decode()
    assert client.get("/da/")[HEADER] == "hit"
    logo.name = "Murerfirmaet Sten"
    logo.save()
    html = client.get("/da/").content.decode()
    assert "Murerfirmaet Sten" in html and "XL-BYG" not in html
    client.get("/da/")
    owner, _ = OwnerDetails.objects.get_or_create(site=home.get_site())
    owner.company_name = "Ansatte Kontrol ApS"
    owner.save()
    assert "Ansatte Kontrol ApS" in client.get("/da/").content.decode()
    CustomerLogo.objects.all().delete()
    assert "Murerfirmaet Sten" not in client.get("/da/").content.decode()


def test_nothing_is_kept_for_a_visitor_with_a_session_or_a_query(client, home, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x"
    assert HEADER not in client.get("/da/")
    assert HEADER not in client.get("/da/")
    del client.cookies[settings.SESSION_COOKIE_NAME]
    assert HEADER not in client.get("/da/?utm=1")
    assert client.get("/da/")[HEADER] == "miss"


def test_app_host_pages_are_never_kept(home):
    from django.test import Client

    app = Client()
    for _ in range(2):
        response = app.get("/portal/login/")
        assert HEADER not in response


def test_the_publish_refetch_renders_and_refreshes_the_entry(client, home):
    client.get("/da/")
    refresh = client.get("/da/", HTTP_X_CACHE_REFRESH="1")
    assert refresh[HEADER] == "miss"
    assert client.get("/da/")[HEADER] == "hit"


def test_vary_keeps_one_copy_per_value():
    def view(request):
        response = HttpResponse(request.headers.get("Accept-Language", "none"))
        patch_cache_control(response, public=True, max_age=60)
        response["Vary"] = "Accept-Language"
        return response

    middleware = AppPageCacheMiddleware(view)
    factory = RequestFactory(HTTP_HOST=PUBLIC_HOST)
    assert middleware(factory.get("/x/", HTTP_ACCEPT_LANGUAGE="da")).content == b"da"
    assert middleware(factory.get("/x/", HTTP_ACCEPT_LANGUAGE="en")).content == b"en"
    hit = middleware(factory.get("/x/", HTTP_ACCEPT_LANGUAGE="en"))
    assert hit[HEADER] == "hit" and hit.content == b"en"


def _visitor_specific(kind):
    """A public view whose response belongs to one visitor in the way `kind` names."""

    def view(request):
        from django.contrib.auth.models import AnonymousUser
        from django.contrib.messages.storage.fallback import FallbackStorage
        from django.contrib.sessions.backends.db import SessionStore

        request.session = SessionStore()  # the public host's empty session (config.middleware)
        request.user = AnonymousUser()
        request._messages = FallbackStorage(request)
        response = HttpResponse("personal")
        patch_cache_control(response, public=True, max_age=60)
        if kind == "csrf":
            get_token(request)
        elif kind == "message":
            messages.info(request, "Tak for din tilmelding")
        elif kind == "cookie":
            response.set_cookie("ansatte_consent", "abc")
        elif kind == "user":
            from tests.factories import UserFactory

            request.user = UserFactory()
        elif kind == "vary-cookie":
            response["Vary"] = "Cookie"
        elif kind == "no-cache":
            response["Cache-Control"] = "public, no-cache"
        elif kind == "private":
            response["Cache-Control"] = "private, max-age=60"
        elif kind == "preview":
            request.is_preview = True
        elif kind == "not-found":
            response.status_code = 404
        return response

    return view


PERSONAL = ["csrf", "message", "cookie", "user", "vary-cookie", "no-cache", "private", "preview", "not-found"]


@pytest.mark.parametrize("kind", PERSONAL)
def test_a_response_that_belongs_to_one_visitor_is_never_kept(kind):
    calls = []
    view = _visitor_specific(kind)

    def counted(request):
        calls.append(request)
        return view(request)

    middleware = AppPageCacheMiddleware(counted)
    factory = RequestFactory(HTTP_HOST=PUBLIC_HOST)
    for _ in range(2):
        assert HEADER not in middleware(factory.get("/personal/"))
    assert len(calls) == 2


def test_off_means_off(client, home, settings):
    settings.PUBLIC_PAGE_APP_CACHE = False
    client.get("/da/")
    assert HEADER not in client.get("/da/")


def test_with_redis_down_pages_are_rendered_and_nothing_is_kept(client, home, settings, monkeypatch):
    """A lost cache means no generation to vouch for an entry: every page is rendered, never a 500."""
    from config import cache as cache_module
    from config.cache import caches_for
    from tests.config.test_redis_outage import free_port

    cache_module._Outage.reset()
    monkeypatch.setattr(cache_module, "DOWN_SECONDS", 0)
    settings.CACHES = caches_for(f"redis://127.0.0.1:{free_port()}/0")
    try:
        for _ in range(2):
            response = client.get("/da/")
            assert response.status_code == 200 and HEADER not in response
    finally:
        cache_module._Outage.reset()

"""A caching proxy in front of the public site is told to forget a page the moment it is (un)published."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import override_settings

from tests.cms_pages.factories import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def proxy():
    """A stand-in for Varnish/nginx on a free local port, recording the PURGE requests it receives."""
    purged = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # the HTTP method's name
            purged.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", purged
    server.shutdown()


def test_publishing_a_policy_purges_the_page_its_history_and_newest_versions(policy, proxy):
    location, purged = proxy
    backends = {
        "proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    }
    replaced = policy.published_versions()[0].revision_id  # its page now says "an earlier version"
    with override_settings(WAGTAILFRONTENDCACHE=backends):
        revision = publish(policy, change_summary="Ny version.")
    paths = {path for _host, path in purged}
    assert "/da/privatlivspolitik/" in paths
    assert "/da/privatlivspolitik/versioner/" in paths
    assert f"/da/privatlivspolitik/versioner/{revision.pk}/" in paths
    assert f"/da/privatlivspolitik/versioner/{replaced}/" in paths
    assert {host for host, _path in purged} == {"public.testserver"}


def test_unpublishing_purges_too(policy, proxy):
    location, purged = proxy
    backends = {
        "proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    }
    with override_settings(WAGTAILFRONTENDCACHE=backends):
        policy.unpublish()
    assert ("public.testserver", "/da/privatlivspolitik/") in purged


def test_without_a_proxy_configured_nothing_is_sent(policy, proxy, settings):
    _location, purged = proxy
    assert not hasattr(settings, "WAGTAILFRONTENDCACHE")
    publish(policy, change_summary="Ny version.")
    assert purged == []


def test_every_page_type_purges_exactly_its_own_and_its_translations_urls(site_content, proxy, client):
    """Publishing a page of any type in Danish purges its URLs and its English translation's, each at the
    URL that translation really has (never the Danish slug under /en/), and every purged URL exists."""
    from wagtail.models import Locale, Page

    from tests.cms_pages.factories import publish

    location, purged = proxy
    backends = {
        "proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    }
    danish = Locale.objects.get(language_code="da")
    pages = Page.objects.live().filter(locale=danish, depth__gt=1).specific()
    seen_types = set()
    for page in pages:
        if type(page) in seen_types:
            continue
        seen_types.add(type(page))
        translation = page.get_translations().live().specific().get()
        purged.clear()
        with override_settings(WAGTAILFRONTENDCACHE=backends):
            publish(page)
        paths = {path for _host, path in purged}
        expected = {
            url.removeprefix("http://public.testserver")
            for p in (page, translation)
            for url in [p.get_full_url() + path.lstrip("/") for path in p.get_cached_paths()]
        }
        assert paths == expected, type(page).__name__
        for path in paths:
            assert client.get(path).status_code == 200, path
    assert {"HomePage", "ArticleIndexPage", "ArticlePage", "PolicyPage"} <= {t.__name__ for t in seen_types}

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
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
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
    assert {host for host, _path in purged} == {"testserver"}


def test_unpublishing_purges_too(policy, proxy):
    location, purged = proxy
    backends = {
        "proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    }
    with override_settings(WAGTAILFRONTENDCACHE=backends):
        policy.unpublish()
    assert ("testserver", "/da/privatlivspolitik/") in purged


def test_without_a_proxy_configured_nothing_is_sent(policy, proxy, settings):
    _location, purged = proxy
    assert not hasattr(settings, "WAGTAILFRONTENDCACHE")
    publish(policy, change_summary="Ny version.")
    assert purged == []

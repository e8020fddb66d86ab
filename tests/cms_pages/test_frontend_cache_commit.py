"""The page cache is told about a publish only once it has committed: a cache that re-fetches the page
at the purge (the shipped nginx does) must see the new version, and a rolled-back publish purges nothing."""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.cms_pages.factories import publish
from tests.cms_pages.test_frontend_cache import proxy  # noqa: F401 - the stand-in proxy fixture

pytestmark = pytest.mark.django_db

BACKEND = "cms_pages.frontend_cache.CommittedHTTPBackend"


def test_the_purge_waits_for_the_commit(policy, proxy, django_capture_on_commit_callbacks):  # noqa: F811
    location, purged = proxy
    backends = {"proxy": {"BACKEND": BACKEND, "LOCATION": location, "METHOD": "PURGE"}}
    with override_settings(WAGTAILFRONTENDCACHE=backends):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            publish(policy, change_summary="Ny version.")
        assert purged == []  # still inside the transaction: the cache would fetch the old page
        assert callbacks
        for callback in callbacks:
            callback()
    assert ("public.testserver", "/da/privatlivspolitik/") in purged


def test_a_rolled_back_publish_purges_nothing(policy, proxy, django_capture_on_commit_callbacks):  # noqa: F811
    location, purged = proxy
    backends = {"proxy": {"BACKEND": BACKEND, "LOCATION": location, "METHOD": "PURGE"}}
    with (
        override_settings(WAGTAILFRONTENDCACHE=backends),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish(policy, change_summary="Ny version.")
        raise RuntimeError("the publish fails after Wagtail sent its signal")
    assert purged == []


def test_the_settings_pick_the_committed_backend_when_a_cache_is_configured():
    import importlib

    import config.settings.base as base

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTEND_CACHE_PURGE_URL", "http://127.0.0.1:6081")
        reloaded = importlib.reload(base)
        assert reloaded.WAGTAILFRONTENDCACHE["proxy"]["BACKEND"] == BACKEND
        assert reloaded.WAGTAILFRONTENDCACHE["proxy"]["LOCATION"] == "http://127.0.0.1:6081"
    importlib.reload(base)


@pytest.fixture
def refresh_listener():
    """A stand-in for the shipped nginx's loopback refresh listener: records each GET and its headers."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.headers["Host"], self.path, self.headers.get("X-Cache-Refresh")))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>new</html>")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def test_by_default_the_shipped_cache_is_refreshed_with_a_get_after_the_commit(
    policy, refresh_listener, django_capture_on_commit_callbacks
):
    location, seen = refresh_listener
    backends = {"proxy": {"BACKEND": BACKEND, "LOCATION": location}}
    with (
        override_settings(WAGTAILFRONTENDCACHE=backends),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(policy, change_summary="Ny version.")
    assert ("public.testserver", "/da/privatlivspolitik/", "1") in seen

"""Wagtail's frontend-cache backend for the shipped page cache, sent once the publish has committed.

The shipped cache is stock nginx `proxy_cache` (site/deploy/nginx.conf). nginx caches only GET and
HEAD, and Debian's purge module crashes on Wagtail's PURGE, so by default this backend re-fetches each URL
of the (un)published page with a GET from nginx's loopback-only refresh listener, which bypasses the cache
(`proxy_cache_bypass 1`), asks an app server and stores the answer: the next visitor gets the new page from
the cache, without a miss. `"METHOD": "PURGE"` (FRONTEND_CACHE_METHOD=PURGE) sends Wagtail's PURGE instead,
for Varnish.

Either is sent only once the publish commits: Wagtail sends it while the publish is still inside the
request's transaction (ATOMIC_REQUESTS), when the re-fetch would see the old version and store it for
PUBLIC_PAGE_CACHE_SECONDS (with Varnish, a visitor between purge and commit re-caches the old page). A
publish that rolls back sends nothing.
"""

import logging
import time
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.db import transaction
from wagtail.contrib.frontend_cache.backends import HTTPBackend

logger = logging.getLogger(__name__)
REFRESH_HEADER = "X-Cache-Refresh"


class CommittedHTTPBackend(HTTPBackend):
    def __init__(self, params):
        params = dict(params)
        self.method = params.pop("METHOD", "GET").upper()
        super().__init__(params)

    def purge(self, url):
        transaction.on_commit(lambda: self.send(url))

    def send(self, url):
        if self.method == "PURGE":
            return HTTPBackend.purge(self, url)
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = Request(  # noqa: S310 - the configured cache's http URL
            urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={"Host": host, REFRESH_HEADER: "1", "User-Agent": "Ansatte-cache-refresh"},
        )
        started = time.monotonic()
        try:
            with urlopen(request, timeout=30) as response:  # noqa: S310 - the configured cache's URL (http)
                response.read()
            logger.info(
                "Refreshed %s in the page cache (%.0f ms)", parts.path, (time.monotonic() - started) * 1000
            )
        except HTTPError as error:
            if error.code not in (404, 410):  # an unpublished page: its 404 replaces the cached copy
                logger.error("Could not refresh %s in the page cache: HTTP %s", parts.path, error.code)
        except (URLError, OSError) as error:
            logger.error("Could not refresh %s in the page cache: %s", parts.path, error)

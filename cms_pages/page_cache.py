"""The app's own page cache, for a deployment without a caching proxy in front (issue #20).

nginx's proxy_cache (site/deploy/nginx.conf) keeps public pages where the shipped config runs. Where it does
not (a PaaS, a plain reverse proxy), every anonymous hit would render its page again: 10-20 ms of templates
and queries for HTML that changes only when an editor publishes. This middleware keeps that HTML in the
default cache (Redis in production) and answers a hit before the rest of the middleware stack runs.

What it keeps is decided by the same rules as nginx's cache, and more strictly, because a wrong hit here
would hand one visitor's page to another:

- only a GET without a query string on the public host, from a visitor with no session and no messages
  cookie, outside any Wagtail preview;
- only a 200 that the app itself marked `Cache-Control: public` (cms_pages.caching: anonymous views of live
  pages), with no `no-cache`/`no-store`/`private`, no Set-Cookie, no `Vary: Cookie` or `*`, not streamed;
- never a response whose request asked for a CSRF token (the token would be served to everyone), used the
  messages framework, or had a logged-in user.

Staleness is ruled out by the content generation (cms_pages.templatetags.site_tags.pages_generation): every
entry records the generation it was rendered under, and a hit is served only while that is still the
current one. Publishing, unpublishing, moving or deleting a page, and saving any snippet or setting a page
shows (cms_pages.signals) replaces the generation, once at the change and once after its commit, so a page
rendered from the old content during the change is never served afterwards. Reading the generation and the
entry is one cache round trip (`get_many`).

The stored response carries the headers the stack gave it (security headers, Cache-Control), except the
request id, which RequestIdMiddleware, outside this one, sets per request, plus `Age`, so a browser or
proxy downstream counts the page's lifetime from when it was rendered.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_max_age

from cms_pages.frontend_cache import REFRESH_HEADER
from cms_pages.templatetags.site_tags import PAGES_GENERATION_KEY, pages_generation

KEY = "cms_pages:app-page:{digest}"
# The publish's re-fetch for nginx's cache (cms_pages.frontend_cache) is rendered, never answered from here:
# it runs once the publish commits, possibly before the generation's second change (another on-commit
# callback), when an entry rendered during the publish could still look current. Its answer is kept.
REFRESH_META = "HTTP_" + REFRESH_HEADER.upper().replace("-", "_")
HEADER = "X-App-Cache"
# Headers that belong to one response, not to the page.
NOT_STORED = frozenset({"x-request-id", "date", "age", HEADER.lower(), "set-cookie"})


def _key(host: str, path: str) -> str:
    return KEY.format(digest=hashlib.sha256(f"{host}\n{path}".encode()).hexdigest())


def _cacheable_request(request) -> bool:
    from config.origins import PUBLIC, host_area

    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not getattr(request, "is_dummy", False)
        and host_area(request) == PUBLIC
    )


def _cache_control(response) -> set[str]:
    parts = cc_delim_re.split(response.get("Cache-Control", ""))
    return {part.split("=")[0].strip().lower() for part in parts}


def _vary(response) -> list[str] | None:
    """The request headers the page varies on, or None when it may not be kept at all."""
    names = [name.strip().lower() for name in cc_delim_re.split(response.get("Vary", "")) if name.strip()]
    if "*" in names or "cookie" in names:
        return None
    return names


def _storable(request, response, vary) -> bool:
    directives = _cache_control(response)
    messages = getattr(request, "_messages", None)
    used_messages = messages is not None and (
        getattr(messages, "used", False) or bool(messages._queued_messages)
    )
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and "public" in directives
        and not directives & {"private", "no-cache", "no-store"}
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
        and not used_messages
        and not (user is not None and user.is_authenticated)
        and not getattr(request, "is_preview", False)
        and vary is not None
    )


def _header_value(request, name: str) -> str:
    return request.META.get("HTTP_" + name.upper().replace("-", "_"), "")


class AppPageCacheMiddleware:
    """Serves and keeps anonymous public pages (the module's docstring says which); PUBLIC_PAGE_APP_CACHE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PUBLIC_PAGE_APP_CACHE or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request.get_host(), request.path)
        found = cache.get_many([PAGES_GENERATION_KEY, key])
        generation = found.get(PAGES_GENERATION_KEY) or pages_generation()
        entry = found.get(key)
        if (
            generation
            and not request.META.get(REFRESH_META)
            and entry
            and entry["generation"] == generation
            and all(_header_value(request, name) == value for name, value in entry["vary"].items())
        ):
            return self._hit(entry)
        response = self.get_response(request)
        vary = _vary(response)
        if generation and _storable(request, response, vary):
            self._store(key, generation, request, response, vary)
            response[HEADER] = "miss"
        return response

    @staticmethod
    def _hit(entry) -> HttpResponse:
        response = HttpResponse(entry["content"], status=200)
        for name, value in entry["headers"]:
            response.headers[name] = value
        response["Age"] = str(max(0, int(time.time() - entry["stored_at"])))
        response[HEADER] = "hit"
        return response

    @staticmethod
    def _store(key, generation, request, response, vary) -> None:
        seconds = get_max_age(response) or settings.PUBLIC_PAGE_CACHE_SECONDS
        entry = {
            "generation": generation,
            "content": response.content,
            "headers": [(k, v) for k, v in response.headers.items() if k.lower() not in NOT_STORED],
            "vary": {name: _header_value(request, name) for name in vary},
            "stored_at": time.time(),
        }
        cache.set(key, entry, seconds)

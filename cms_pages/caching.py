"""Public Wagtail pages say that shared caches may keep them (PUBLIC_PAGE_CACHE_SECONDS).

A page's HTML is the same for every anonymous visitor (no CSRF token, no flash messages, the consent
banner decided in the browser), so a proxy or CDN may serve it to everyone for a short while; Wagtail's
purge on publish, or the short lifetime, brings changes out. Only an anonymous GET of a live page that
nothing else has marked (Wagtail marks pages behind a view restriction "never cache") gets the header. A
logged-in editor's view is private: it may one day carry the Wagtail userbar, and must never be cached for
others. Previews do not come through here (Wagtail serves them from the admin, under /admin/, which is
private anyway).

Whether someone is logged in is decided without touching the session when the request has no session
cookie at all, so an anonymous response does not get `Vary: Cookie`.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


def _anonymous(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def public_cache_headers(serve):
    """`on_serve_page` hook: wraps Wagtail's serving of a live page."""

    def inner(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Cache-Control")
            and not getattr(request, "is_preview", False)
            and page.live
        ):
            if _anonymous(request):
                seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
                patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
            else:
                patch_cache_control(response, private=True, no_cache=True)
        return response

    return inner

"""Project-wide middleware: locale handling, and the two origins' routing, cookies and headers.

The origins' rules live in config/origins.py (which path belongs to which host) and config/csp.py (the
policies); these classes only apply them to each request.
"""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import (
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
    _check_token_format,
    _unmask_cipher_token,
)
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from config import csp
from config.origins import APP, BOTH, PUBLIC, area_of, host_area, origin_for

# Paths outside i18n_patterns. Django's LocaleMiddleware turns a 404 into a redirect to "/da/<path>" when that
# path resolves, and Wagtail's catch-all resolves everything: a portal 404 (another company's id) would become
# a redirect into the public site. These prefixes keep their real status code.
NON_I18N_PREFIXES = (
    "/portal/",
    "/admin/",
    "/documents/",
    "/static/",
    "/media/",
    "/i18n/",
    "/healthz",
    "/readyz",
    "/sitemap.xml",
    "/verify/",
    "/sign/",
)


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(NON_I18N_PREFIXES):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)


# Pages behind login or carrying a signing token: never kept by a shared cache.
PRIVATE_PREFIXES = ("/portal/", "/sign/", "/verify/", "/admin/")


class SecurityHeadersMiddleware:
    """Outermost, so every response (redirects, 404/500, static files, wrong-host answers) gets the headers:
    the CSP of its host and area, a Permissions-Policy, and on the app host a same-origin resource policy
    (no other origin may embed its responses as script, image or style)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders the previewed object through the middleware in-process; its headers
            # are the admin response's own (the admin's policy, which lets the preview panel frame it).
            return response
        path = request.path_info
        host = host_area(request)
        area = area_of(path)
        if area == BOTH:
            area = host or APP  # unknown host: the strictest policy
        elif host is None and area == PUBLIC:
            area = APP
        # A view may set a stricter policy of its own (a document download: `default-src 'none'; sandbox`).
        response.headers.setdefault("Content-Security-Policy", csp.policy_for(area, path))
        if host != APP:
            # Whatever a view did (Wagtail's password and login forms use Django's own CSRF decorator), the
            # app host's cookies are never set from another host.
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                response.cookies.pop(name, None)
        response.headers.setdefault("Permissions-Policy", csp.PERMISSIONS_POLICY)
        if host != PUBLIC:
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if path.startswith(PRIVATE_PREFIXES):
            response.headers.setdefault("Cache-Control", "private, no-store")
            if "no-store" not in response.headers["Cache-Control"]:
                response.headers["Cache-Control"] = "private, no-store"
        return response


class HostRoutingMiddleware:
    """Each path answers only on its own host: a GET/HEAD on the wrong host is redirected to the right one,
    anything else is a 404. On the app host, a request another site's page made in the background (a
    script's fetch, an <img>, a form posted from elsewhere) is refused before any view runs, whatever
    cookies it carries (Fetch Metadata: only the browser sets Sec-Fetch-*)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "is_dummy", False):
            # A Wagtail preview's in-process request (not from the network): it names the public page's
            # host, or for a snippet without a URL, the first allowed host; it is answered inside the admin.
            return self.get_response(request)
        host = host_area(request)
        area = area_of(request.path_info)
        if host == APP and request.path_info == "/" and request.method in ("GET", "HEAD"):
            return HttpResponseRedirect("/portal/")  # the app host's front door is the portal
        if host is not None and area != BOTH and area != host:
            if request.method in ("GET", "HEAD"):
                return HttpResponseRedirect(origin_for(area) + request.get_full_path())
            raise Http404("This address belongs to the other site.")
        if host == APP and not _same_site_request_allowed(request):
            raise PermissionDenied("Cross-site request refused.")
        return self.get_response(request)


def _same_site_request_allowed(request) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site in (None, "same-origin", "none"):
        return True
    # A link or a typed address from elsewhere (the public site's "log in", an email) opens a page: allowed.
    mode = request.headers.get("Sec-Fetch-Mode")
    dest = request.headers.get("Sec-Fetch-Dest")
    return mode == "navigate" and request.method in ("GET", "HEAD") and dest not in ("object", "embed")


class AppHostSessionMiddleware(SessionMiddleware):
    """Sessions on the app host only. Elsewhere the request gets an empty session that is never loaded from a
    cookie nor saved, so no view of the public site can log anyone in or set a session cookie there."""

    def process_request(self, request):
        # A Wagtail preview's in-process request carries the editor's cookies from the admin (app host): its
        # session is the editor's, so the preview shows the userbar and its accessibility checks.
        if host_area(request) == APP or getattr(request, "is_dummy", False):
            return super().process_request(request)
        request.session = self.SessionStore()
        request._session_disabled = True

    def process_response(self, request, response):
        if getattr(request, "_session_disabled", False):
            return response
        return super().process_response(request, response)


class PerHostCsrfViewMiddleware(CsrfViewMiddleware):
    """Django's CSRF protection, with the cookie of the request's host: CSRF_COOKIE_NAME on the app host
    and PUBLIC_CSRF_COOKIE_NAME elsewhere, both host-only. A token the public host handed out is never the
    app's."""

    @staticmethod
    def _cookie(request):
        if host_area(request) == APP:
            return settings.CSRF_COOKIE_NAME, settings.CSRF_COOKIE_SECURE
        return settings.PUBLIC_CSRF_COOKIE_NAME, settings.PUBLIC_CSRF_COOKIE_SECURE

    def _get_secret(self, request):
        name, _secure = self._cookie(request)
        secret = request.COOKIES.get(name)
        if secret is None:
            return None
        _check_token_format(secret)  # raises InvalidTokenFormat, as Django's own does
        if len(secret) == CSRF_TOKEN_LENGTH:
            secret = _unmask_cipher_token(secret)
        return secret

    def _set_csrf_cookie(self, request, response):
        name, secure = self._cookie(request)
        response.set_cookie(
            name,
            request.META["CSRF_COOKIE"],
            max_age=settings.CSRF_COOKIE_AGE,
            domain=None,
            path="/",
            secure=secure,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        patch_vary_headers(response, ("Cookie",))

"""Project-wide middleware."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

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


# Pages behind login or carrying a signing token: never cached by shared caches, and locked to our own
# scripts so that nothing injected (a compromised third-party script, an editor's tracking snippet) runs
# on the origin that serves personal data.
PRIVATE_PREFIXES = ("/portal/", "/sign/", "/verify/", "/admin/")
CSP_PREFIXES = ("/portal/", "/sign/", "/verify/")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class PrivateAreaHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if path.startswith(PRIVATE_PREFIXES):
            response.headers.setdefault("Cache-Control", "private, no-store")
            if "no-store" not in response.headers["Cache-Control"]:
                response.headers["Cache-Control"] = "private, no-store"
        if path.startswith(CSP_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

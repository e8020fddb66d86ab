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

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms_pages import views as site_views
from cms_pages.sitemap import PublicSitemap
from config import health
from hrportal.documents import public_views as documents_public
from hrportal.privacy import urls as privacy_urls

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("portal/", include("hrportal.urls", namespace="portal")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    # Employment documents: the employee's signing link and the public verification page (no login)
    path("verify/", documents_public.verify, name="verify_document"),
    path("sign/<str:token>/", documents_public.sign, name="sign_document"),
    path("sign/<str:token>/code/", documents_public.sign_send_code, name="sign_document_code"),
    path("sign/<str:token>/document/", documents_public.sign_document, name="sign_document_file"),
    path("sign/<str:token>/copy/", documents_public.sign_copy, name="sign_copy"),
    path("sign/<str:token>/copy/code/", documents_public.sign_copy_code, name="sign_copy_code"),
    # Employees' own data-subject requests: the company's link and the person's follow link (no login)
    *privacy_urls.public_urlpatterns,
    path("consent/", include("cms_pages.consent.api_urls", namespace="consent_api")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL + "images/", document_root=settings.MEDIA_ROOT / "images")

urlpatterns += i18n_patterns(
    path(_("search/"), site_views.search, name="site_search"),
    path("policy/<slug:kind>/", site_views.current_policy, name="current_policy"),
    path("consent/", include("cms_pages.consent.urls", namespace="consent")),
    path("newsletter/", include("cms_pages.newsletter.urls", namespace="newsletter")),
    path("contact/", include("cms_pages.contact.urls", namespace="contact")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "cms_pages.consent"
    label = "consent"
    verbose_name = _("Cookie consent")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms_pages.consent import fragments

        fragments.connect()

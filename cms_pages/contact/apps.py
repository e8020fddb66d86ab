from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "cms_pages.contact"
    label = "contact"
    verbose_name = _("Contact and complaints")
    default_auto_field = "django.db.models.BigAutoField"

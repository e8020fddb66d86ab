from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DpaConfig(AppConfig):
    name = "cms_pages.dpa"
    label = "dpa"
    verbose_name = _("Data processing agreement")

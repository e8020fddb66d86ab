from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "hrportal.privacy"
    label = "privacy"
    verbose_name = _("Privacy and data-subject rights")

    def ready(self):
        from hrportal.privacy import signals  # noqa: F401 - connects the guards and DPA notifications

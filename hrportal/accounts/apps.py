from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hrportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and two-factor login")

    def ready(self):
        from hrportal.accounts import sessions  # noqa: F401  (connects the login signal)

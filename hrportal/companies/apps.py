from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "hrportal.companies"
    label = "companies"
    verbose_name = _("Companies")

    def ready(self):
        from hrportal.accounts.signals import device_enrolled
        from hrportal.companies.signup import activate_if_complete

        def _activate(sender, user, **kwargs):
            activate_if_complete(user)

        device_enrolled.connect(_activate, weak=False, dispatch_uid="companies.activate_on_enrol")

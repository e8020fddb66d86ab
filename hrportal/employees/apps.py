from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployeesConfig(AppConfig):
    name = "hrportal.employees"
    label = "employees"
    verbose_name = _("Employees")

    def ready(self):
        from hrportal.employees import photos, snapshot

        snapshot.connect_signals()
        photos.register()  # the photo in the access export; its file deleted on erasure

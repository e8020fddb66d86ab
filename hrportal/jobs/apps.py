from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "hrportal.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hrportal.jobs import exports
        from hrportal.privacy import hooks

        # The retention sweep's orphan-file check must keep the files of finished exports.
        hooks.register_stored_file_references(exports.export_file_names)

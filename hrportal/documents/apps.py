from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "hrportal.documents"
    label = "documents"
    verbose_name = _("Employment documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hrportal.documents import checks, privacy  # noqa: F401 - checks registers the deploy check

        privacy.register()  # files in the access export; files and rows in erasure and company deletion

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "cms_pages.contact"
    label = "contact"
    verbose_name = _("Contact and complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cms_pages.consent.fragments import clear_fragments
        from cms_pages.contact.models import SupervisoryAuthority

        post_save.connect(
            clear_fragments, sender=SupervisoryAuthority, dispatch_uid="contact_authority_saved"
        )
        post_delete.connect(
            clear_fragments, sender=SupervisoryAuthority, dispatch_uid="contact_authority_del"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "cms_pages.consent"
    label = "consent"
    verbose_name = _("Cookie consent")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cms_pages.consent import fragments
        from cms_pages.consent.models import TrackingScript
        from config.csp import forget_tracker_origins

        fragments.connect()
        # The public CSP names the active scripts' origins: a change applies from the next response.
        post_save.connect(forget_tracker_origins, sender=TrackingScript, dispatch_uid="csp-tracker-save")
        post_delete.connect(forget_tracker_origins, sender=TrackingScript, dispatch_uid="csp-tracker-delete")

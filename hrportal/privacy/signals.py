"""Signal wiring of the privacy app: the restriction guard on new rows of guarded models (documents)."""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import pre_save

from hrportal.privacy.restriction import ProcessingRestricted


def _guard_new_rows(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is not None and not instance._state.adding:
        return
    employee_id = getattr(instance, "employee_id", None)
    if employee_id is None:
        return
    from hrportal.privacy.models import ProcessingRestriction

    if ProcessingRestriction.unscoped.filter(employee_id=employee_id, lifted_at__isnull=True).exists():
        raise ProcessingRestricted(sender._meta.label)


def connect_guards():
    for label in settings.PRIVACY_RESTRICTED_MODELS:
        model = apps.get_model(label)
        pre_save.connect(_guard_new_rows, sender=model, dispatch_uid=f"privacy-restriction-{label}")


connect_guards()


def _published(sender, instance=None, **kwargs):
    """A new DPA version or sub-processor change went live: tell the admins who must accept (after commit)."""
    from django.db import transaction

    from cms_pages.dpa.models import DataProcessingAgreement
    from cms_pages.models import DataProcessor

    if isinstance(instance, DataProcessingAgreement | DataProcessor):
        from hrportal.privacy.dpa import notify_admins

        transaction.on_commit(notify_admins)


def connect_publication():
    from wagtail.signals import published, unpublished

    published.connect(_published, dispatch_uid="privacy-dpa-published")
    unpublished.connect(_published, dispatch_uid="privacy-dpa-unpublished")


connect_publication()

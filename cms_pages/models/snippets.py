"""Snippets edited in Wagtail: customer logos and the data processors listed on "GDPR & Sikkerhed"."""

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField


class CustomerLogo(LockableMixin, RevisionMixin, models.Model):
    """A customer shown on the home page. The name is the logo's alt text; no translation needed."""

    name = models.CharField(_("customer name"), max_length=100, help_text=_("Also the logo's alt text."))
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("website"), blank=True)
    active = models.BooleanField(_("shown on the site"), default=True)
    sort_order = models.IntegerField(null=True, blank=True, editable=False)
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="customer_logo",
        for_concrete_model=False,
    )

    panels = [FieldPanel("name"), FieldPanel("image"), FieldPanel("url"), FieldPanel("active")]
    sort_order_field = "sort_order"

    class Meta:
        verbose_name = _("customer logo")
        verbose_name_plural = _("customer logos")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class DataProcessorForm(WagtailAdminModelForm):
    """What an editor enters: a new sub-processor starts no sooner than PROCESSOR_NOTICE_DAYS ahead, because
    the agreement promises customers prior notice and the right to object (GDPR Art. 28(2)). Edits and
    translations of a processor already published keep its date. (A form rule, not the model's: the
    demo seed and the history record processors that started long ago.)"""

    def clean_added_on(self):
        from django.conf import settings
        from django.core.exceptions import ValidationError
        from django.utils import timezone
        from django.utils.formats import date_format

        added_on = self.cleaned_data.get("added_on")
        if added_on is None:
            return added_on
        published_before = (
            DataProcessor.objects.filter(translation_key=self.instance.translation_key)
            .exclude(first_published_at=None)
            .exists()
        )
        earliest = timezone.localdate() + datetime.timedelta(days=settings.PROCESSOR_NOTICE_DAYS)
        if not published_before and added_on < earliest:
            raise ValidationError(
                _(
                    "A new sub-processor can start on %(date)s at the earliest: customers are told "
                    "%(days)s days ahead and may object."
                )
                % {"date": date_format(earliest, "DATE_FORMAT"), "days": settings.PROCESSOR_NOTICE_DAYS}
            )
        return added_on


class DataProcessor(TranslatableMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """A data processor (databehandler). Removed processors stay listed with their removal date."""

    name = models.CharField(_("name"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=255)
    data_categories = models.CharField(_("data categories"), max_length=255)
    country = models.CharField(_("country"), max_length=80)
    inside_eu_eea = models.BooleanField(_("inside the EU/EEA"), default=True)
    transfer_basis = models.CharField(
        _("transfer basis"),
        max_length=255,
        blank=True,
        help_text=_(
            "For transfers outside the EU/EEA, e.g. the EU Commission's standard contractual clauses."
        ),
    )
    added_on = models.DateField(_("added on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="data_processor",
        for_concrete_model=False,
    )

    base_form_class = DataProcessorForm
    panels = [
        FieldPanel("name"),
        FieldPanel("purpose"),
        FieldPanel("data_categories"),
        FieldPanel("country"),
        FieldPanel("inside_eu_eea"),
        FieldPanel("transfer_basis"),
        FieldPanel("added_on"),
        FieldPanel("removed_on"),
        PublishingPanel(),
    ]
    translatable_fields = [
        SynchronizedField("name"),
        TranslatableField("purpose"),
        TranslatableField("data_categories"),
        TranslatableField("country"),
        SynchronizedField("inside_eu_eea"),
        TranslatableField("transfer_basis"),
        SynchronizedField("added_on"),
        SynchronizedField("removed_on"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("data processor")
        verbose_name_plural = _("data processors")
        ordering = ["added_on", "name"]

    def __str__(self):
        return self.name

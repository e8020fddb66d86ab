"""The data processing agreement (databehandleraftale) as editors maintain it in Wagtail.

Each version of the agreement is one snippet (Danish source, English translation via wagtail-localize),
drafted, previewed and published with revisions. Its rendering lists the sub-processors from the site's
`DataProcessor` snippets, so the agreement and the "GDPR & Sikkerhed" page never disagree. The portal
(which reads these models; this module does not import the portal) records who accepted which version.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField


class DataProcessingAgreement(
    TranslatableMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, models.Model
):
    version = models.CharField(
        _("version"),
        max_length=30,
        help_text=_("A new version number asks every customer to accept the agreement again, e.g. 2026.1."),
    )
    title = models.CharField(_("title"), max_length=200, default="Databehandleraftale")
    valid_from = models.DateField(_("valid from"))
    summary_of_changes = models.TextField(_("summary of changes"), blank=True)
    body = RichTextField(_("agreement text"))
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="data_processing_agreement",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("version"),
        FieldPanel("title"),
        FieldPanel("valid_from"),
        FieldPanel("summary_of_changes"),
        FieldPanel("body"),
        PublishingPanel(),
    ]
    translatable_fields = [
        SynchronizedField("version"),
        TranslatableField("title"),
        SynchronizedField("valid_from"),
        TranslatableField("summary_of_changes"),
        TranslatableField("body"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("data processing agreement")
        verbose_name_plural = _("data processing agreements")
        ordering = ["-valid_from", "-pk"]

    def __str__(self):
        return f"{self.title} {self.version}"

    def get_preview_template(self, request, mode_name):
        return "dpa/agreement_preview.html"

    def get_preview_context(self, request, mode_name):
        from cms_pages.dpa.processors import sub_processors

        context = super().get_preview_context(request, mode_name)
        context.update({"agreement": self, "processors": sub_processors(self.locale.language_code)})
        return context

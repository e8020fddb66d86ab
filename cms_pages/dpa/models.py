"""The data processing agreement (databehandleraftale) as editors maintain it in Wagtail.

Each version of the agreement is one snippet (Danish source, English translation via wagtail-localize),
drafted, previewed and published with revisions. Its rendering lists the sub-processors from the site's
`DataProcessor` snippets, so the agreement and the "GDPR & Sikkerhed" page never disagree. The portal
(which reads these models; this module does not import the portal) records who accepted which version.

The agreement follows Datatilsynet's standard agreement (the Commission's clauses of Implementing Decision
(EU) 2021/915): the clauses are `body`, then four annexes. Annexes A (the processing: data types and data
subjects) and B (sub-processors) are rendered, not written: A from the portal's personal-data registry
(`annexes.py`; the registry is what the export and erasure work from, so the agreement cannot list fewer
fields than the code holds), B from the `DataProcessor` list, which has its own fingerprint in each
acceptance. Annexes C (instructions and security measures) and D (other terms) are editors' rich text in
fields of their own: they are promises, not facts the code can derive, so an editor words them and a new
version carries them; being fields of the agreement they are translated with it and covered by the
acceptance's text hash (`content.agreement_text_hash`); being separate from `body` they are rendered after
A and B, in the order of the standard agreement. A version without them (before 2026.2) renders as it did.
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
    annex_c = RichTextField(
        _("Annex C: instructions and security measures"),
        blank=True,
        help_text=_("Rendered after annexes A (the processing) and B (sub-processors), which are generated."),
    )
    annex_d = RichTextField(_("Annex D: other terms"), blank=True)
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
        FieldPanel("annex_c"),
        FieldPanel("annex_d"),
        PublishingPanel(),
    ]
    translatable_fields = [
        SynchronizedField("version"),
        TranslatableField("title"),
        SynchronizedField("valid_from"),
        TranslatableField("summary_of_changes"),
        TranslatableField("body"),
        TranslatableField("annex_c"),
        TranslatableField("annex_d"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("data processing agreement")
        verbose_name_plural = _("data processing agreements")
        ordering = ["-valid_from", "-pk"]

    def __str__(self):
        return f"{self.title} {self.version}"

    @property
    def has_annexes(self) -> bool:
        """A version written with annexes C and D gets all four; an earlier one renders as it was accepted."""
        return bool(self.annex_c or self.annex_d)

    def get_preview_template(self, request, mode_name):
        return "dpa/agreement_preview.html"

    def get_preview_context(self, request, mode_name):
        from cms_pages.dpa.annexes import annex_a
        from cms_pages.dpa.processors import sub_processors

        context = super().get_preview_context(request, mode_name)
        language = self.locale.language_code
        context.update(
            {"agreement": self, "processors": sub_processors(language), "annex_a": annex_a(language)}
        )
        return context

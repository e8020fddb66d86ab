"""Admin registration of the data processing agreement snippet (drafts, preview, revisions, translations)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms_pages.dpa.models import DataProcessingAgreement


class DataProcessingAgreementViewSet(SnippetViewSet):
    model = DataProcessingAgreement
    icon = "doc-full"
    menu_label = _("Data processing agreement")
    add_to_admin_menu = True
    list_display = ["title", "version", "valid_from", "live"]
    list_filter = ["locale", "live"]
    search_fields = ["title", "version"]


register_snippet(DataProcessingAgreementViewSet)

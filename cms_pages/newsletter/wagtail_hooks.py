from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms_pages.newsletter.models import Subscriber


class SubscriberViewSet(SnippetViewSet):
    """Editors see and export subscribers; proof fields are read-only (not in the edit form)."""

    model = Subscriber
    icon = "mail"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["email", "language", "status", "consented_at", "consent_text_version"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    list_export = [
        "email",
        "language",
        "status",
        "created_at",
        "consented_at",
        "consent_text_version",
        "unsubscribed_at",
    ]
    export_filename = "newsletter-subscribers"
    inspect_view_enabled = True
    form_fields = ["email", "language", "status"]


register_snippet(SubscriberViewSet)

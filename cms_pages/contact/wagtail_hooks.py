from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms_pages.contact.models import ContactMessage, SupervisoryAuthority


class ContactMessageViewSet(SnippetViewSet):
    model = ContactMessage
    icon = "mail"
    list_display = ["subject", "name", "email", "created_at", "handled"]
    list_filter = ["subject", "handled"]
    inspect_view_enabled = True
    form_fields = ["handled"]  # the message itself is what was received: not editable


class SupervisoryAuthorityViewSet(SnippetViewSet):
    model = SupervisoryAuthority
    icon = "site"
    list_display = ["name", "email", "phone"]


class ContactViewSetGroup(SnippetViewSetGroup):
    items = (ContactMessageViewSet, SupervisoryAuthorityViewSet)
    menu_icon = "mail"
    menu_label = _("Contact and complaints")
    menu_name = "contact"


register_snippet(ContactViewSetGroup)

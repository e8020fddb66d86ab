"""Admin registration of the public site's snippets, and the public pages' cache headers."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms_pages.caching import public_cache_headers
from cms_pages.models import CustomerLogo, DataProcessor

# First in the list, so outermost: it sees the headers Wagtail's view-restriction check has set.
hooks.register("on_serve_page", public_cache_headers, order=-100)


class CustomerLogoViewSet(SnippetViewSet):
    model = CustomerLogo
    icon = "image"
    menu_label = _("Customer logos")
    add_to_admin_menu = True
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    sort_order_field = "sort_order"  # drag and drop to reorder the logos on the home page


class DataProcessorViewSet(SnippetViewSet):
    model = DataProcessor
    icon = "list-ul"
    menu_label = _("Data processors")
    add_to_admin_menu = True
    list_display = ["name", "country", "inside_eu_eea", "added_on", "removed_on"]
    list_filter = ["inside_eu_eea", "locale"]
    search_fields = ["name", "purpose"]


register_snippet(CustomerLogoViewSet)
register_snippet(DataProcessorViewSet)

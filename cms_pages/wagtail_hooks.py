"""Admin registration of the public site's snippets, and the public pages' cache headers."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms_pages.caching import public_cache_headers
from cms_pages.models import ArticleTag, CustomerLogo, DataProcessor

# First in the list, so outermost: it sees the headers Wagtail's view-restriction check has set.
hooks.register("on_serve_page", public_cache_headers, order=-100)


@hooks.register("before_serve_document", order=-100)
def no_private_documents_on_the_public_site(document, request):
    """As for pages: a document in a restricted collection is not served on the sessionless public host."""
    if document.collection.get_view_restrictions().exists():
        raise Http404


@hooks.register("before_serve_page", order=-100)
def no_private_pages_on_the_public_site(page, request, serve_args, serve_kwargs):
    """A page behind a view restriction is not served at all: the public host keeps no session (issue #12,
    config/middleware.py), so neither a passed password nor a login could be remembered there, and a
    restricted page must not fall back to being public. Editors see it in the admin's preview.

    One query over the page and its ancestors by tree path; Wagtail's own check still runs after this one
    (for the rare restriction reached through an alias) and never shows the page either. A page routed from
    cms_pages.routing is already known to have none."""
    if getattr(page, "_known_public", False):
        return
    steplen = page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    if PageViewRestriction.objects.filter(page__path__in=paths).exists():
        raise Http404


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


class ArticleTagViewSet(SnippetViewSet):
    """Tags are snippets so that wagtail-localize translates them like any other text a page shows."""

    model = ArticleTag
    icon = "tag"
    menu_label = _("Article tags")
    add_to_admin_menu = True
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


register_snippet(ArticleTagViewSet)

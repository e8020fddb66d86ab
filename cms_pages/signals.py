"""Keep cached, visitor-independent fragments (the footer, the language links) in step with editors."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms_pages.templatetags.site_tags import clear_footer_cache, clear_page_links


def connect():
    from cms_pages.models import OwnerDetails

    page_published.connect(clear_footer_cache, dispatch_uid="cms_pages_footer_published")
    page_unpublished.connect(clear_footer_cache, dispatch_uid="cms_pages_footer_unpublished")
    post_save.connect(clear_footer_cache, sender=OwnerDetails, dispatch_uid="cms_pages_footer_owner_saved")
    post_delete.connect(
        clear_footer_cache, sender=OwnerDetails, dispatch_uid="cms_pages_footer_owner_deleted"
    )
    for signal, name in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
        (page_slug_changed, "slug_changed"),
    ):
        signal.connect(clear_page_links, dispatch_uid=f"cms_pages_links_{name}")
    post_delete.connect(clear_page_links, sender=Page, dispatch_uid="cms_pages_links_deleted")

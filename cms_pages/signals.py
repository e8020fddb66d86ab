"""Keep cached, visitor-independent fragments (the footer) in step with what editors publish."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from cms_pages.templatetags.site_tags import clear_footer_cache


def connect():
    from cms_pages.models import OwnerDetails

    page_published.connect(clear_footer_cache, dispatch_uid="cms_pages_footer_published")
    page_unpublished.connect(clear_footer_cache, dispatch_uid="cms_pages_footer_unpublished")
    post_save.connect(clear_footer_cache, sender=OwnerDetails, dispatch_uid="cms_pages_footer_owner_saved")
    post_delete.connect(
        clear_footer_cache, sender=OwnerDetails, dispatch_uid="cms_pages_footer_owner_deleted"
    )

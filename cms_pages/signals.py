"""Keep cached, visitor-independent fragments (the footer, the language links) and a caching proxy in step
with editors."""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms_pages.templatetags.site_tags import clear_footer_cache, clear_page_links


def purge_translations(sender, instance, **kwargs):
    """A page's translations link to it by its URL (the language switcher), so when it is published or
    unpublished their cached copies are stale too. Wagtail purges the page itself; this purges each live
    translation at its own URL (`WAGTAILFRONTENDCACHE_LANGUAGES = []` stops Wagtail from guessing
    translations by swapping the language prefix of the page's path, which names URLs that do not exist)."""
    translations = instance.get_translations().live().specific()
    if translations:
        purge_pages_from_cache(translations)


# What Wagtail writes to a page's row when a draft is saved or the page is locked: the live content stays.
DRAFT_BOOKKEEPING = frozenset(
    {"latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes", "locked",
     "locked_at", "locked_by"}
)  # fmt: skip


def page_saved(sender, instance, update_fields=None, **kwargs):
    if isinstance(instance, Page) and not (update_fields and set(update_fields) <= DRAFT_BOOKKEEPING):
        clear_page_links()


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
    # Fragments keyed by the generation (the home page's logos, the version history) show these too.
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import CollectionViewRestriction, Locale, Revision

    from cms_pages.consent.models import CookieDeclaration, TrackingScript
    from cms_pages.contact.models import SupervisoryAuthority
    from cms_pages.dpa.models import DataProcessingAgreement
    from cms_pages.models import ArticleTag, CustomerLogo, DataProcessor
    from cms_pages.newsletter.models import NewsletterIssue

    # ... and whole pages in the app's page cache (cms_pages.page_cache): every snippet, setting and file a
    # public page shows (the banner's declaration and scripts on every page, the policy's authority, tags).
    shown = (
        CustomerLogo, DataProcessor, OwnerDetails, get_image_model(), get_document_model(), ArticleTag,
        CookieDeclaration, TrackingScript, SupervisoryAuthority, DataProcessingAgreement, NewsletterIssue,
        Locale, CollectionViewRestriction,
    )  # fmt: skip
    for model in shown:
        for signal in (post_save, post_delete):
            signal.connect(clear_page_links, sender=model, dispatch_uid=f"cms_pages_gen_{model.__name__}")
    # Remembered routes (cms_pages.routing) follow the sites, the view restrictions and any save of a page
    # that is not Wagtail's bookkeeping of a draft or a lock.
    from wagtail.models import PageViewRestriction, Site

    for model in (Site, PageViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(clear_page_links, sender=model, dispatch_uid=f"cms_pages_gen_{model.__name__}")
    post_save.connect(page_saved, dispatch_uid="cms_pages_gen_page_saved")
    # An administrator's purge of an old revision takes that version out of the history.
    post_delete.connect(clear_page_links, sender=Revision, dispatch_uid="cms_pages_gen_revision_deleted")
    page_published.connect(purge_translations, dispatch_uid="cms_pages_purge_translations_published")
    page_unpublished.connect(purge_translations, dispatch_uid="cms_pages_purge_translations_unpublished")

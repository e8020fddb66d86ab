"""Cached, visitor-independent HTML fragments (the banner, the cookie declaration, the supervisory
authority): rendered once per language and dropped whenever what they show changes, so a warm page
pays no query for them."""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

KEY = "consent:fragment:{name}:{language}"
NAMES = ("banner", "declaration", "authority")
# Short: signals clear the fragments in the process that saved, but scan_cookies runs in another
# process, and with the per-process local-memory cache (no REDIS_URL) only expiry reaches the server.
TIMEOUT = 5 * 60


def cached_fragment(name: str, render) -> str:
    key = KEY.format(name=name, language=translation.get_language() or settings.LANGUAGE_CODE)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - our own rendered template, autoescaped when rendered


def clear_fragments(**kwargs):
    cache.delete_many([KEY.format(name=n, language=code) for n in NAMES for code, _ in settings.LANGUAGES])


def connect():
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished

    from cms_pages.consent.models import CookieDeclaration, CookieScan

    page_published.connect(clear_fragments, dispatch_uid="consent_fragments_published")
    page_unpublished.connect(clear_fragments, dispatch_uid="consent_fragments_unpublished")
    for model in (CookieDeclaration, CookieScan):
        post_save.connect(clear_fragments, sender=model, dispatch_uid=f"consent_fragments_{model.__name__}_s")
        post_delete.connect(
            clear_fragments, sender=model, dispatch_uid=f"consent_fragments_{model.__name__}_d"
        )

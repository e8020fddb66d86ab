"""Cached, visitor-independent HTML fragments (the banner, the cookie declaration, the supervisory
authority): rendered once per language and dropped whenever what they show changes, so a warm page
pays no query for them.

The cookie declaration is also keyed by a version read from the database (`declaration_version()`: the
newest scan, the declarations' count and last change), because the process that changes it is often not
the one that serves it: `scan_cookies` runs from cron, and with the per-process local-memory cache (no
REDIS_URL) its signals clear only its own cache. The policy page pays two small queries for that; every
other page (the banner) relies on the signals and the short expiry."""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

KEY = "consent:fragment:{name}:{language}"
NAMES = ("banner", "declaration", "authority")
# Short: signals clear the fragments in the process that saved, but with the per-process local-memory
# cache (no REDIS_URL) only expiry (or, for the declaration, its version) reaches the other processes.
TIMEOUT = 5 * 60


def cached_fragment(name: str, render, version: str = "") -> str:
    key = KEY.format(name=name, language=translation.get_language() or settings.LANGUAGE_CODE)
    if version:
        key = f"{key}:{version}"  # a new version is a new key: no process can serve the old one
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - our own rendered template, autoescaped when rendered


def declaration_version() -> str:
    from django.db.models import Count, Max

    from cms_pages.consent.models import CookieDeclaration, CookieScan

    declarations = CookieDeclaration.objects.aggregate(
        count=Count("pk"), changed=Max("changed_at"), seen=Max("last_seen_at")
    )
    scan = CookieScan.objects.aggregate(newest=Max("pk"))["newest"]
    stamps = [declarations["changed"], declarations["seen"]]
    return "-".join(
        [str(scan or 0), str(declarations["count"])] + [f"{s.timestamp():.6f}" if s else "0" for s in stamps]
    )


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

"""The site-wide facts a consent is measured against: the cookie policy version in force, the banner
text version and the consent epoch.

The epoch changes when the cookie policy gets a version marked material, or when a category of
cookie or script comes into use that was not before; a stored consent from another epoch no longer
counts, so the banner comes back. It is the same for every visitor, so it may sit in cached responses.
"""

import hashlib
import json

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from cms_pages.consent.models import UNCLASSIFIED, Category, CookieDeclaration, TrackingScript
from cms_pages.models import PolicyPage

NO_POLICY = "none"


def banner_version() -> str:
    return settings.CONSENT_BANNER_VERSION


def current_cookie_policy(language: str | None = None):
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    locale = Locale.objects.filter(language_code=language).first()
    page = PolicyPage.current("cookie", locale=locale)
    if page is None and locale is not None:
        page = PolicyPage.current("cookie")
    return page


def policy_version(language: str | None = None) -> str:
    page = current_cookie_policy(language)
    return str(page.version_id) if page is not None else NO_POLICY


def latest_material_versions() -> list[str]:
    """Per language, the revision of the newest cookie-policy version marked material."""
    found = []
    for locale in Locale.objects.order_by("language_code"):
        page = PolicyPage.current("cookie", locale=locale)
        if page is None or page.locale_id != locale.pk:
            continue
        material = next((v for v in page.published_versions() if v.material_change), None)
        if material is not None:
            found.append(f"{locale.language_code}:{material.revision_id}")
    return found


def categories_in_use() -> list[str]:
    from_scripts = TrackingScript.objects.filter(active=True).values_list("category", flat=True)
    from_cookies = CookieDeclaration.objects.values_list("category", flat=True)
    used = set(from_scripts) | set(from_cookies)
    return sorted(c for c in used if c not in (Category.NECESSARY, UNCLASSIFIED))


def consent_epoch() -> str:
    basis = {"material": latest_material_versions(), "categories": categories_in_use()}
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:12]

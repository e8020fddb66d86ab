"""Template helpers of the public site, each answering with one query however many pages exist."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page

register = template.Library()


FOOTER_CACHE_KEY = "cms_pages:footer:{language}"


@register.simple_tag(takes_context=True)
def site_footer(context):
    """Owner details and the live policies' links in the active language, for the footer of every page.

    The same for every visitor, so cached per language (cleared on publish and on settings changes, see
    cms_pages.signals): a warm footer costs no query at all.
    """
    from cms_pages.models import OwnerDetails, PolicyPage

    language = translation.get_language() or "da"
    key = FOOTER_CACHE_KEY.format(language=language)
    footer = cache.get(key)
    if footer is None:
        request = context.get("request")
        owner = OwnerDetails.objects.filter(site__is_default_site=True).values().first() or {}
        order = {kind: i for i, kind in enumerate(PolicyPage.Kind.values)}
        pages = sorted(
            PolicyPage.objects.live().public().filter(locale__language_code=language),
            key=lambda p: order.get(p.kind, 99),
        )
        footer = {"owner": owner, "policies": [(p.title, p.get_url(request)) for p in pages]}
        cache.set(key, footer, 60 * 60)
    return footer


def clear_footer_cache(**kwargs):
    cache.delete_many([FOOTER_CACHE_KEY.format(language=code) for code, _ in settings.LANGUAGES])


@register.simple_tag(takes_context=True)
def page_alternates(context):
    """The live translations of the current page (itself included), for hreflang and the switcher.

    Sub-pages of a policy (history, old versions, comparisons) point at the translation's history, since
    revision numbers differ between languages. A page without a live translation simply has no entry.
    """
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page) or request is None:
        return []
    cache = getattr(request, "_page_alternates", None)
    if cache is not None and cache[0] == page.pk:
        return cache[1]
    from cms_pages.models import PolicyPage

    suffix = context.get("alternate_suffix")
    translations = (
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
        .order_by("locale__language_code")
    )
    alternates = []
    for translation_page in translations:
        code = translation_page.locale.language_code
        url = translation_page.get_url(request)
        if url and suffix == "history":
            url = f"{url}{PolicyPage.HISTORY_SEGMENT.get(code, 'versioner')}/"
        alternates.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"].capitalize(),
                "url": url,
                "full_url": request.build_absolute_uri(url) if url else "",
                "current": translation_page.pk == page.pk,
            }
        )
    request._page_alternates = (page.pk, alternates)
    return alternates

"""Template helpers of the public site, each answering with one query however many pages exist."""

from django import template
from django.utils import translation
from wagtail.models import Locale, Page

register = template.Library()


@register.simple_tag(takes_context=True)
def policy_links(context):
    """(title, url) of the live policies in the active language, in a fixed order, for the footer."""
    from cms_pages.models import PolicyPage

    request = context.get("request")
    order = {kind: i for i, kind in enumerate(PolicyPage.Kind.values)}
    language = translation.get_language() or "da"
    pages = PolicyPage.objects.live().public().filter(locale__language_code=language).only("title", "kind")
    pages = sorted(pages, key=lambda p: order.get(p.kind, 99))
    return [(p.title, p.get_url(request)) for p in pages]


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
    suffix = context.get("alternate_suffix")
    locales = {loc.pk: loc for loc in Locale.objects.all()}
    translations = page.get_translations(inclusive=True).live().public().specific().order_by("locale_id")
    alternates = []
    for translation_page in translations:
        locale = locales.get(translation_page.locale_id)
        if locale is None:
            continue
        if suffix == "history" and hasattr(translation_page, "history_url"):
            url = translation_page.history_url(request)
        else:
            url = translation_page.get_url(request)
        alternates.append(
            {
                "code": locale.language_code,
                "name": locale.get_display_name(),
                "url": url,
                "full_url": request.build_absolute_uri(url) if url else "",
                "current": translation_page.pk == page.pk,
            }
        )
    request._page_alternates = (page.pk, alternates)
    return alternates

"""Template helpers of the public site, each answering with one query however many pages exist."""

import html
import re
import uuid
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import translate_url
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


ALTERNATES_CACHE_KEY = "cms_pages:alternates:{generation}:{host}:{translation_key}"
PAGES_GENERATION_KEY = "cms_pages:pages-generation"


def pages_generation() -> str:
    """A stamp that changes whenever a page is published, unpublished, moved or deleted.

    Cached page links are keyed by it, so one bump invalidates every language switcher at once (a parent's
    new slug changes its children's URLs too) without knowing which pages were affected.
    """
    generation = cache.get(PAGES_GENERATION_KEY)
    if generation is None:
        cache.add(PAGES_GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(PAGES_GENERATION_KEY)
    return generation


def clear_page_links(**kwargs):
    """A new generation now, and again once the change commits: Wagtail signals a publish inside the
    request's transaction, so a request in another process could read the new generation before the change
    is visible and cache (or remember a route from) the old content under it (cms_pages.routing)."""
    cache.set(PAGES_GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(PAGES_GENERATION_KEY, uuid.uuid4().hex, None))


@register.simple_tag
def content_generation() -> str:
    """The stamp for `{% cache %}` keys of fragments that change only when an editor publishes or edits a
    snippet or setting the fragment shows (cms_pages.signals bumps it): a warm fragment costs one cache read
    and no query, and an edit is visible on the next request without knowing which fragments it touched."""
    return pages_generation()


def _translation_links(request, page) -> list[tuple[str, int, str]]:
    """(language, page id, url) of the live translations of `page`: one query, then cached per site."""
    key = ALTERNATES_CACHE_KEY.format(
        generation=pages_generation(), host=request.get_host(), translation_key=page.translation_key
    )
    links = cache.get(key)
    if links is None:
        translations = (
            Page.objects.live()
            .filter(translation_key=page.translation_key)
            .select_related("locale")
            .order_by("locale__language_code")
        )
        links = [(p.locale.language_code, p.pk, p.get_url(request) or "") for p in translations]
        cache.set(key, links, 10 * 60)
    return links


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
    memo = getattr(request, "_page_alternates", None)
    if memo is not None and memo[0] == page.pk:
        return memo[1]
    from cms_pages.models import PolicyPage

    suffix = context.get("alternate_suffix")
    alternates = []
    for code, page_id, url in _translation_links(request, page):
        if url and suffix == "history":
            url = f"{url}{PolicyPage.HISTORY_SEGMENT.get(code, 'versioner')}/"
        alternates.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"].capitalize(),
                "url": url,
                "full_url": request.build_absolute_uri(url) if url else "",
                "current": page_id == page.pk,
            }
        )
    request._page_alternates = (page.pk, alternates)
    return alternates


CANONICAL_PARAMETERS = ("tag", "page")


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without tracking or other stray parameters (?utm_source=...), for canonical and
    og:url; only the parameters that select different content (an article tag, a page number) stay."""
    request = context["request"]
    kept = [(name, request.GET[name]) for name in CANONICAL_PARAMETERS if request.GET.get(name)]
    url = request.build_absolute_uri(request.path)
    return f"{url}?{urlencode(kept)}" if kept else url


@register.simple_tag(takes_context=True)
def translated_path(context, code):
    """This non-page view (search, contact...) in language `code`, query string kept; else that home page."""
    request = context.get("request")
    home = f"/{code}/"
    if request is None or context.get("switch_to_home") or getattr(request, "resolver_match", None) is None:
        return home
    url = translate_url(request.get_full_path(), code)
    return url if url != request.get_full_path() else home


DESCRIPTION_LENGTH = 160


def _first_text(body):
    """The first paragraph of a rich text field or a StreamField body, as plain text ("" if none)."""
    from django.utils.html import strip_tags
    from wagtail.rich_text import RichText

    if isinstance(body, str):
        sources = [body]
    else:
        sources = []
        for block in body or []:
            if block.block_type == "paragraph":
                value = block.value
                sources.append(value.source if isinstance(value, RichText) else str(value))
                break
    for source in sources:
        for paragraph in re.split(r"</p>|<br\s*/?>", source):
            text = " ".join(html.unescape(strip_tags(paragraph)).split())
            if text:
                return text
    return ""


def trim_at_word(text, length=DESCRIPTION_LENGTH):
    """At most `length` chars, cut at a word boundary with an ellipsis: a snippet never ends mid-word."""
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–")
    return cut + "…"


@register.simple_tag
def meta_description(page):
    """The page's description for search results and link previews: never empty.

    An editor's search description wins; else the intro; else the first paragraph of the body; else the
    site's own one-line description (in the active language), so no page type goes without one.
    """
    from django.utils.translation import gettext

    body = _first_text(getattr(page, "body", None))
    for text in (page.search_description, getattr(page, "intro", ""), body):
        text = " ".join((text or "").split())
        if text:
            return trim_at_word(text)
    return gettext(
        "Ansatte: secure HR administration for Danish companies, with two-factor login and encryption."
    )


@register.simple_tag(takes_context=True)
def absolute_static(context, path):
    """A static file's absolute address (og:image): link previews (Slack, LinkedIn) need scheme and host."""
    from django.templatetags.static import static

    return context["request"].build_absolute_uri(static(path))

"""Every public URL of the seeded site, in both languages: each page type, each policy's history, every
old version and a comparison, a tag filter, and the public views outside Wagtail (contact, newsletter,
consent settings, search). Crawl tests (plain and in chromium) walk this list, so a new page type is
covered the day the seed has one."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from cms_pages.consent.scanner import NON_PAGE_VIEWS


def public_urls() -> dict[str, list[str]]:
    """language code -> paths; policies contribute their history, every version and one comparison."""
    from cms_pages.models import ArticlePage, PolicyPage

    urls: dict[str, list[str]] = {code: [] for code, _ in settings.LANGUAGES}
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        code = page.locale.language_code
        url = page.get_url_parts()[2]
        urls[code].append(url)
        if isinstance(page, PolicyPage):
            versions = page.published_versions()
            urls[code].append(page.history_url())
            urls[code] += [page.version_url(v.revision_id) for v in versions]
            if len(versions) > 1:
                urls[code].append(page.compare_url(versions[-1].revision_id, versions[0].revision_id))
        if isinstance(page, ArticlePage):
            for tag in page.shown_tags[:1]:
                urls[code].append(f"{page.get_parent().get_url_parts()[2]}?tag={tag.slug}")
    for code in urls:
        with translation.override(code):
            urls[code] += [reverse(name) for name in NON_PAGE_VIEWS]
    return urls

"""A visitor's view of every public page of the demo site, in both languages: no raw template syntax,
and no text of the other language from the seed material."""

import json
import re

import pytest
from django.conf import settings

from cms_pages.consent.declarations import ENGLISH
from tests.cms_pages.public_urls import public_urls

pytestmark = pytest.mark.django_db

TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}")


def visible_text(html: str) -> str:
    """What a reader sees (and what a screen reader reads from attributes people see: alt, title,
    aria-label), not markup, scripts or styles."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    attributes = " ".join(re.findall(r'(?:alt|title|aria-label|content)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + attributes


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker):
    """Every public page of the demo site, seeded and fetched once for this module's tests (they read the
    same pages), inside a transaction rolled back afterwards, with the caches emptied, so that no other test
    sees the demo site."""
    from django.core.cache import caches
    from django.db import transaction
    from django.test import TestCase

    from cms_pages.consent.demo import seed as seed_consent
    from cms_pages.demo import seed
    from tests.conftest import public_client

    client = public_client()
    pages = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                with TestCase.captureOnCommitCallbacks(execute=True):
                    seed()  # the whole demo site, as `manage.py seed_demo` makes it
                    seed_consent()  # and its cookie declaration
                for code, paths in public_urls().items():
                    for path in paths:
                        response = client.get(path)
                        assert response.status_code == 200, path
                        pages[(code, path)] = response.content.decode()
                transaction.set_rollback(True)
        finally:
            for cache in caches.all():
                cache.clear()
    return pages


def test_every_page_type_is_crawled(crawl):
    paths = {path for _code, path in crawl}
    for expected in (
        "/da/",
        "/en/",
        "/da/artikler/",
        "/en/articles/notice-periods/",
        "/en/gdpr-and-security/versions/",
        "/da/cookiepolitik/",
        "/en/contact/",
    ):
        assert expected in paths
    assert any("/versions/compare/" in p for p in paths) and any(
        re.search(r"/versioner/\d+/", p) for p in paths
    )
    assert any("?tag=" in p for p in paths)


def test_no_page_shows_raw_template_syntax(crawl):
    found = {
        f"{path}: {token!r} near {html[max(0, html.find(token) - 60) : html.find(token) + 60]!r}"
        for (_code, path), html in crawl.items()
        for token in TEMPLATE_SYNTAX
        if token in html
    }
    assert not found, "\n".join(sorted(found))


def seed_strings(language: str) -> set[str]:
    """Every text of the seed material in `language` that differs from its other-language counterpart."""
    other = "en" if language == "da" else "da"
    content = settings.BASE_DIR / "site" / "content"
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if language in node and other in node:
                mine, theirs = node[language], node[other]
                pairs = zip(mine, theirs, strict=False) if isinstance(mine, list) else [(mine, theirs)]
                for a, b in pairs:
                    if isinstance(a, str) and a and a != b:
                        found.add(a)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(content.rglob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def _normalise(text: str) -> str:
    import html as html_lib

    return re.sub(r"\s+", " ", html_lib.unescape(text))


@pytest.mark.parametrize(("language", "other"), [("en", "da"), ("da", "en")])
def test_no_page_shows_seed_text_of_the_other_language(crawl, language, other):
    own = seed_strings(language) | set(EXTRA_SEED_STRINGS[language]) | set(neutral_strings())
    foreign = {s for s in seed_strings(other) | set(EXTRA_SEED_STRINGS[other]) if len(s) > 3}
    foreign = {s for s in foreign if not any(s in mine for mine in own)}
    problems = []
    for (code, path), html in crawl.items():
        if code != language:
            continue
        text = _normalise(visible_text(html))
        problems += [
            f"{path}: {s!r}" for s in sorted(foreign) if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)
        ]
    assert not problems, "\n".join(problems[:40])


# Seed texts kept outside site/content's {"da": ..., "en": ...} pairs: the necessary cookies' declarations.
EXTRA_SEED_STRINGS = {"da": list(ENGLISH), "en": list(ENGLISH.values())}


def neutral_strings() -> list[str]:
    """Names the same in both languages (a processor called "Google Ireland Ltd."): a foreign word inside
    one of them is no translation missing."""
    content = settings.BASE_DIR / "site" / "content"
    names = [p["name"] for p in json.loads((content / "processors.json").read_text(encoding="utf-8"))]
    return names + [c["name"] for c in json.loads((content / "customers.json").read_text(encoding="utf-8"))]

"""What a search engine reads: the sitemap's language alternates and every page's meta description."""

import re
import xml.etree.ElementTree as ET

from tests.cms_pages.factories import ArticlePageFactory, publish
from tests.cms_pages.test_site import PAGES, pages  # noqa: F401 (the fixture)

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
ORIGIN = "http://public.testserver"


def sitemap_alternates(client):
    tree = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own response)
    return {
        url.find("s:loc", NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link[@rel='alternate']", NS)
        }
        for url in tree.findall("s:url", NS)
    }


def test_sitemap_lists_each_translation_as_an_hreflang_alternate(client, pages):  # noqa: F811
    untranslated = ArticlePageFactory(parent=pages["index"], title="Kun dansk", slug="kun-dansk")
    publish(untranslated)
    alternates = sitemap_alternates(client)
    for da_path, en_path, *_ in PAGES[:5]:
        expected = {"da": ORIGIN + da_path, "en": ORIGIN + en_path, "x-default": ORIGIN + da_path}
        assert alternates[ORIGIN + da_path] == expected, da_path
        assert alternates[ORIGIN + en_path] == expected, en_path
    assert alternates[ORIGIN + "/da/artikler/kun-dansk/"] == {}


def meta_description(html):
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    return match and match.group(1)


def test_every_page_type_has_a_meta_description_in_both_languages(client, pages):  # noqa: F811
    for da_path, en_path, *_ in PAGES:
        for path in (da_path, en_path):
            html = client.get(path).content.decode()
            description = meta_description(html)
            assert description and description.strip(), path
            assert f'<meta property="og:description" content="{description}">' in html, path


def test_a_page_without_search_description_falls_back_to_its_intro_trimmed_at_a_word(client, pages):  # noqa: F811
    intro = "Funktionærlovens opsigelsesvarsler " * 7
    publish(pages["article"], search_description="", intro=intro)
    description = meta_description(client.get("/da/artikler/opsigelsesvarsler/").content.decode())
    assert description.startswith("Funktionærlovens opsigelsesvarsler Funktionærlovens")
    assert len(description) <= 160
    assert description.endswith("opsigelsesvarsler…") or description.endswith("Funktionærlovens…")
    publish(pages["article"], search_description="Hvornår kan man opsige?", intro=intro)
    description = meta_description(client.get("/da/artikler/opsigelsesvarsler/").content.decode())
    assert description == "Hvornår kan man opsige?"


def og(html, name):
    match = re.search(rf'<meta property="og:{name}" content="([^"]*)">', html)
    return match and match.group(1)


def test_every_page_has_open_graph_tags_with_absolute_urls_and_a_real_image(client, pages):  # noqa: F811
    from django.contrib.staticfiles import finders
    from PIL import Image

    for da_path, en_path, *_ in PAGES:
        for path, locale in ((da_path, "da_DK"), (en_path, "en_GB")):
            html = client.get(path).content.decode()
            assert og(html, "title"), path
            assert og(html, "description") == meta_description(html), path
            assert og(html, "url") == ORIGIN + path
            assert og(html, "locale") == locale
            image = og(html, "image")
            assert image and image.startswith(ORIGIN + "/static/") and image.endswith(".png"), path
    with Image.open(finders.find(image.removeprefix(ORIGIN + "/static/"))) as picture:
        assert picture.size == (1200, 630)

"""Demo content of the public site: the Danish home page as the site root, translated to English."""

from wagtail.models import Locale, Page, Site

from cms_pages.models import HomePage
from cms_pages.translation import translate

HOME_DA = {
    "title": "Trygt HR for små og mellemstore virksomheder",
    "intro": "Ansatte samler medarbejderdata, kontrakter, advarsler og opsigelser ét sikkert sted.",
    "body": "<p>Krypterede data, tofaktor-login og maskerede CPR-numre er standard.</p>",
}
HOME_EN = {
    HOME_DA["title"]: "Secure HR for small and medium-sized companies",
    HOME_DA[
        "intro"
    ]: "Ansatte keeps employee data, contracts, warnings and terminations in one secure place.",
    "Krypterede data, tofaktor-login og maskerede CPR-numre er standard.": (
        "Encrypted data, two-factor login and masked CPR numbers come as standard."
    ),
}


def ensure_locales():
    da, _ = Locale.objects.get_or_create(language_code="da")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return da, en


def ensure_home():
    da, en = ensure_locales()
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (browser tests) has lost the root Wagtail's migrations made
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=da))
    home = HomePage.objects.filter(locale=da).first()
    if home is None:
        home = HomePage(slug="forside", locale=da, **HOME_DA)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    if site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Ansatte"
        site.save()
    # Wagtail's initial "Welcome" page is replaced by our home page.
    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
    if not HomePage.objects.filter(locale=en).exists():
        translate(home, en, HOME_EN)
    return home


def seed():
    home = ensure_home()
    return [f"Public site: /da/ and /en/ (home page id {home.pk})"]

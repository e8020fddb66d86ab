"""wagtail-factories / factory-boy factories for every page type and snippet of the public site."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Collection
from wagtail.rich_text import RichText

from cms_pages.models import (
    ArticleIndexPage,
    ArticlePage,
    CustomerLogo,
    DataProcessor,
    HomePage,
    PolicyPage,
)


class ImageFactory(wagtail_factories.ImageFactory):
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.django.ImageField(width=240, height=96, color="navy")


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Trygt HR til små virksomheder"
    slug = factory.Sequence(lambda n: f"forside-{n}")
    intro = "Medarbejderdata, krypteret og på dansk."
    body = "<p>Ansættelsesbeviser, advarsler og opsigelser samlet ét sted.</p>"

    class Meta:
        model = HomePage


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    title = "Artikler"
    slug = "artikler"
    intro = "Nyt om HR."

    class Meta:
        model = ArticleIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Artikel nummer {n}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    intro = "En kort indledning."
    body = factory.LazyFunction(lambda: [("paragraph", RichText("<p>Brødtekst i artiklen.</p>"))])

    class Meta:
        model = ArticlePage


class PolicyPageFactory(wagtail_factories.PageFactory):
    title = "Privatlivspolitik"
    slug = "privatlivspolitik"
    kind = PolicyPage.Kind.PRIVACY
    valid_from = datetime.date(2018, 2, 4)
    change_summary = "Første udgave."
    body = factory.LazyFunction(lambda: [("paragraph", RichText("<p>Vi passer på dine data.</p>"))])

    class Meta:
        model = PolicyPage


class CustomerLogoFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Kunde {n} ApS")
    image = factory.SubFactory(ImageFactory)
    sort_order = factory.Sequence(int)

    class Meta:
        model = CustomerLogo


class DataProcessorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Databehandler {n}")
    purpose = "Hosting"
    data_categories = "Kontaktoplysninger"
    country = "Tyskland"
    inside_eu_eea = True
    added_on = datetime.date(2022, 2, 4)
    live = True

    class Meta:
        model = DataProcessor


def publish(page, **changes):
    """Change `page` and publish the change as a new revision, as an editor would; returns the revision."""
    for field, value in changes.items():
        setattr(page, field, value)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


def body(*paragraphs):
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]

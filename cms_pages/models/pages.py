"""Page types of the public website: home and articles (the policy page is in cms_pages.models.policy)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms_pages.blocks import ArticleBodyBlock
from cms_pages.models.tags import ArticleTag, localize_tags, localized

LOGO_RENDITION = "max-240x96"


class HomePage(Page):
    """The root of each language tree: the service's pitch, its customers and the latest articles."""

    intro = models.CharField(_("intro"), max_length=255, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from cms_pages.models.snippets import CustomerLogo

        context = super().get_context(request, *args, **kwargs)
        context["logos"] = (
            CustomerLogo.objects.filter(active=True)
            .select_related("image")
            .prefetch_related(
                Prefetch("image__renditions", queryset=get_image_model().get_rendition_model().objects.all())
            )
            .order_by("sort_order", "name")
        )
        # Lazy: `.public()` queries the view restrictions as the queryset is built, and a warm page takes
        # the articles from its fragment cache without looking at them.
        context["latest_articles"] = SimpleLazyObject(
            lambda: list(
                ArticlePage.objects.live()
                .public()
                .filter(locale_id=self.locale_id)
                .order_by("-date", "-pk")[:3]
            )
        )
        return context


class ArticleIndexPage(Page):
    """Lists the articles of one language, newest first, optionally narrowed to one tag."""

    intro = models.CharField(_("intro"), max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = ["cms_pages.ArticlePage"]
    max_count_per_parent = 1
    per_page = 10

    class Meta:
        verbose_name = _("article index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = (
            ArticlePage.objects.live()
            .public()
            .child_of(self)
            .order_by("-date", "-pk")
            .prefetch_related(Prefetch("tags", queryset=localized(ArticleTag.objects.all(), self.locale_id)))
        )
        requested = request.GET.get("tag", "").strip()
        tag = ArticleTag.for_slug(requested, self.locale_id)
        if tag is not None:
            articles = articles.filter(tags__translation_key=tag.translation_key).distinct()
            tag = localize_tags([[tag]], self.locale_id)[0][0]
        elif requested:  # a tag nobody uses: no articles, rather than all of them under its name
            articles = articles.none()
        paginator = Paginator(articles, self.per_page)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            page_obj = paginator.page(1)
        shown = localize_tags([list(a.tags.all()) for a in page_obj], self.locale_id)
        for article, tags in zip(page_obj, shown, strict=True):
            article.shown_tags = tags
        context.update(articles=page_obj, paginator=paginator, tag=tag)
        return context


class ArticlePage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.CharField(_("intro"), max_length=300, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    tags = ParentalManyToManyField(ArticleTag, blank=True, related_name="articles", verbose_name=_("tags"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms_pages.ArticleIndexPage"]
    subpage_types: list[str] = []
    # A translation keeps its source's tags (the same tag rows); each is shown in the page's language
    # through the tag's own wagtail-localize translation (`shown_tags`).
    override_translatable_fields = [SynchronizedField("tags")]

    class Meta:
        verbose_name = _("article")

    @cached_property
    def shown_tags(self):
        return localize_tags([list(localized(self.tags.all(), self.locale_id))], self.locale_id)[0]

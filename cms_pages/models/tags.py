"""Article tags, translated like any other snippet through wagtail-localize.

Taggit's tags are plain strings shared by every language, so an English article showed its Danish tags.
A tag here is a translatable snippet: an English article keeps its source's tag rows (synchronised by
wagtail-localize) and shows each in the page's language through the tag's translation, with the
translated slug in its filter link; an untranslated tag falls back to its source text rather than vanish.
"""

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import LockableMixin, TranslatableMixin
from wagtail_localize.fields import TranslatableField


class ArticleTag(TranslatableMixin, LockableMixin, models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    translatable_fields = [TranslatableField("name"), TranslatableField("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="cms_pages_articletag_unique_slug")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)[:100]
        super().save(*args, **kwargs)

    @classmethod
    def for_slug(cls, slug: str, locale_id):
        """The tag a filter link names: its slug in the page's language first, then in any language (an
        old link, or a tag not translated yet)."""
        if not slug:
            return None
        matches = sorted(cls.objects.filter(slug=slug), key=lambda t: t.locale_id != locale_id)
        return matches[0] if matches else None


def localized(queryset, locale_id):
    """`queryset` of tags annotated with their name and slug in `locale_id` (subqueries, no extra query),
    for a prefetch: the article lists show tags in the page's language at no cost per tag."""
    same_key = ArticleTag.objects.filter(translation_key=OuterRef("translation_key"), locale_id=locale_id)
    return queryset.annotate(
        local_name=Subquery(same_key.values("name")[:1]), local_slug=Subquery(same_key.values("slug")[:1])
    )


def localize_tags(tag_lists: list[list[ArticleTag]], locale_id) -> list[list[ArticleTag]]:
    """Each list of tags in `locale_id`: a tag's translation there if it has one, else the tag itself.
    Tags fetched through `localized()` carry their translation already; others cost one query for all
    lists, none when every tag is already in that language."""
    keys = {
        t.translation_key
        for tags in tag_lists
        for t in tags
        if t.locale_id != locale_id and not hasattr(t, "local_name")
    }
    translated = {}
    if keys:
        translated = {
            t.translation_key: t
            for t in ArticleTag.objects.filter(translation_key__in=keys, locale_id=locale_id)
        }

    def shown(tag):
        if getattr(tag, "local_name", None):
            return ArticleTag(
                pk=tag.pk,
                name=tag.local_name,
                slug=tag.local_slug,
                locale_id=locale_id,
                translation_key=tag.translation_key,
            )
        return translated.get(tag.translation_key, tag)

    return [sorted((shown(t) for t in tags), key=lambda t: t.name.casefold()) for tags in tag_lists]

"""Article tags become translatable snippets (cms_pages.models.tags): taggit's shared strings showed
Danish tags on English articles. Each tag an article had becomes an ArticleTag in that article's language,
and the article keeps it; editors (or the demo seed) then translate the tags through wagtail-localize."""

import uuid

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models
from django.utils.text import slugify


def tags_to_snippets(apps, schema_editor):
    ArticlePageTag = apps.get_model("cms_pages", "ArticlePageTag")
    ArticleTag = apps.get_model("cms_pages", "ArticleTag")
    ArticlePage = apps.get_model("cms_pages", "ArticlePage")
    through = ArticlePage.new_tags.through
    made = {}
    for item in ArticlePageTag.objects.select_related("tag", "content_object").order_by("pk"):
        article = item.content_object
        key = (article.locale_id, item.tag.slug)
        if key not in made:
            made[key] = ArticleTag.objects.create(
                name=item.tag.name,
                slug=slugify(item.tag.name, allow_unicode=True)[:100] or item.tag.slug,
                locale_id=article.locale_id,
                translation_key=uuid.uuid4(),
            )
        through.objects.get_or_create(articlepage_id=article.pk, articletag_id=made[key].pk)


class Migration(migrations.Migration):
    dependencies = [
        ("cms_pages", "0004_embed_as_link"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleTag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("slug", models.SlugField(allow_unicode=True, blank=True, max_length=100, verbose_name="slug")),
                (
                    "locale",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
            ],
            options={
                "verbose_name": "article tag",
                "verbose_name_plural": "article tags",
                "ordering": ["name"],
                "abstract": False,
                "unique_together": {("translation_key", "locale")},
            },
        ),
        migrations.AddConstraint(
            model_name="articletag",
            constraint=models.UniqueConstraint(fields=("locale", "slug"), name="cms_pages_articletag_unique_slug"),
        ),
        migrations.AddField(
            model_name="articlepage",
            name="new_tags",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True, related_name="articles", to="cms_pages.articletag", verbose_name="tags"
            ),
        ),
        migrations.RunPython(tags_to_snippets, migrations.RunPython.noop),
        migrations.RemoveField(model_name="articlepage", name="tags"),
        migrations.DeleteModel(name="ArticlePageTag"),
        migrations.RenameField(model_name="articlepage", old_name="new_tags", new_name="tags"),
    ]

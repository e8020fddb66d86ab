"""Declare the site's own necessary cookies, so the cookie policy is never empty of what is always set."""

from django.conf import settings
from django.db import migrations

from cms_pages.consent.declarations import ensure_necessary


def declare(apps, schema_editor):
    ensure_necessary(
        apps.get_model("consent", "CookieDeclaration"), apps.get_model("wagtailcore", "Locale"), settings.LANGUAGE_CODE
    )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]

"""The necessary cookies under their names since the two origins (issue #12): the public site's own CSRF
cookie, the portal's CSRF and session cookies ("__Host-" prefixed over https). The old names are no longer set,
so their declarations go."""

from django.conf import settings
from django.db import migrations

from cms_pages.consent.declarations import RETIRED, ensure_necessary


def declare(apps, schema_editor):
    CookieDeclaration = apps.get_model("consent", "CookieDeclaration")
    CookieDeclaration.objects.filter(name__in=RETIRED, provider="Ansatte", category="necessary").delete()
    ensure_necessary(CookieDeclaration, apps.get_model("wagtailcore", "Locale"), settings.LANGUAGE_CODE)


class Migration(migrations.Migration):
    dependencies = [("consent", "0006_tracking_scripts_by_url_only")]
    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]

"""Declare the site's own necessary cookies, so the cookie policy is never empty of what is always set."""

import uuid

from django.conf import settings
from django.db import migrations

NECESSARY = [
    # name, purpose (Danish, the default locale), lifetime
    ("ansatte_consent", "Husker dit valg af cookies og id'et på din samtykkekvittering.", "12 måneder"),
    ("csrftoken", "Beskytter formularer mod forfalskede indsendelser.", "1 år"),
    ("sessionid", "Holder dig logget ind i HR-portalen.", "8 timer eller til browseren lukkes"),
    ("django_language", "Husker det sprog, du har valgt.", "Sessionen"),
]


def declare(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    CookieDeclaration = apps.get_model("consent", "CookieDeclaration")
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    for name, purpose, lifetime in NECESSARY:
        if not CookieDeclaration.objects.filter(name=name, locale=locale).exists():
            CookieDeclaration.objects.create(
                name=name,
                provider="Ansatte",
                purpose=purpose,
                category="necessary",
                lifetime=lifetime,
                party="first",
                locale=locale,
                translation_key=uuid.uuid4(),
            )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]

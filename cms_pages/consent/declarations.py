"""The site's own necessary cookies: declared from the first migration on, so the cookie policy always
lists what is set without consent. Takes the model classes so the data migration can pass its own.

The names come from the settings: over https the CSRF and session cookies are "__Host-" prefixed (issue #12),
and the declaration must name what a browser (and the cookie scan) actually sees.

The Danish entries are the source; their English is a wagtail-localize translation (`translate_necessary`,
run by the demo seed), as an editor would make it, so the English banner and cookie policy read English.
"""

import uuid

from django.conf import settings

# Names the site set before the two origins (issue #12); migration 0007 retires their declarations.
RETIRED = ("csrftoken", "sessionid")


def necessary() -> list[tuple[str, str, str]]:
    """(name, purpose in Danish, the default locale, lifetime) of each cookie set without consent."""
    return [
        ("ansatte_consent", "Husker dit valg af cookies og id'et på din samtykkekvittering.", "12 måneder"),
        (
            settings.PUBLIC_CSRF_COOKIE_NAME,
            "Beskytter hjemmesidens formularer mod forfalskede indsendelser.",
            "1 år",
        ),
        (
            settings.CSRF_COOKIE_NAME,
            "Beskytter HR-portalens formularer mod forfalskede indsendelser.",
            "1 år",
        ),
        (
            settings.SESSION_COOKIE_NAME,
            "Holder dig logget ind i HR-portalen.",
            "8 timer eller til browseren lukkes",
        ),
        ("django_language", "Husker det sprog, du har valgt.", "Sessionen"),
    ]


# The English of every Danish text above (source -> translation), for wagtail-localize.
ENGLISH = {
    "Husker dit valg af cookies og id'et på din samtykkekvittering.": (
        "Remembers your choice of cookies and the id of your consent receipt."
    ),
    "12 måneder": "12 months",
    "Beskytter hjemmesidens formularer mod forfalskede indsendelser.": (
        "Protects the website's forms against forged submissions."
    ),
    "Beskytter HR-portalens formularer mod forfalskede indsendelser.": (
        "Protects the HR portal's forms against forged submissions."
    ),
    "1 år": "1 year",
    "Holder dig logget ind i HR-portalen.": "Keeps you logged in to the HR portal.",
    "8 timer eller til browseren lukkes": "8 hours or until the browser is closed",
    "Husker det sprog, du har valgt.": "Remembers the language you chose.",
    "Sessionen": "The session",
}


def ensure_necessary(CookieDeclaration, Locale, language_code: str) -> None:
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    for name, purpose, lifetime in necessary():
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


def translate_necessary(locale) -> None:
    """Translate the necessary cookies' declarations into `locale` (English) where not translated yet."""
    from cms_pages.consent.models import CookieDeclaration
    from cms_pages.translation import translate

    names = [name for name, _purpose, _lifetime in necessary()]
    for declaration in CookieDeclaration.objects.filter(name__in=names).exclude(locale=locale):
        if declaration.get_translation_or_none(locale) is None:
            translate(declaration, locale, ENGLISH)

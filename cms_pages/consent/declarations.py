"""The site's own necessary cookies: declared from the first migration on, so the cookie policy always
lists what is set without consent. Takes the model classes so the data migration can pass its own.

The names come from the settings: over https the CSRF and session cookies are "__Host-" prefixed (issue #12),
and the declaration must name what a browser (and the cookie scan) actually sees.
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

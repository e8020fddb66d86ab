"""The site's own necessary cookies: declared from the first migration on, so the cookie policy always
lists what is set without consent. Takes the model classes so the data migration can pass its own."""

import uuid

NECESSARY = [
    # name, purpose (Danish, the default locale), lifetime
    ("ansatte_consent", "Husker dit valg af cookies og id'et på din samtykkekvittering.", "12 måneder"),
    ("csrftoken", "Beskytter formularer mod forfalskede indsendelser.", "1 år"),
    ("sessionid", "Holder dig logget ind i HR-portalen.", "8 timer eller til browseren lukkes"),
    ("django_language", "Husker det sprog, du har valgt.", "Sessionen"),
]


def ensure_necessary(CookieDeclaration, Locale, language_code: str) -> None:
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
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

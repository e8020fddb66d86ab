"""Demo content for consent: two stand-in tracking scripts served from our own static files (the demo
never calls a real third party), which set cookies the declaration does not know until scan_cookies
finds them."""

from cms_pages.consent.models import Category, TrackingScript

DEMO_SCRIPTS = [
    ("Demo statistics (stand-in for Google Analytics)", Category.STATISTICS, "statistics.js"),
    ("Demo marketing (stand-in for Meta Pixel / LinkedIn Insight)", Category.MARKETING, "marketing.js"),
]


def seed():
    from django.conf import settings
    from wagtail.models import Locale

    from cms_pages.consent.declarations import ensure_necessary, translate_necessary
    from cms_pages.consent.models import CookieDeclaration

    ensure_necessary(CookieDeclaration, Locale, settings.LANGUAGE_CODE)
    english, _ = Locale.objects.get_or_create(language_code="en")
    translate_necessary(english)

    for name, category, filename in DEMO_SCRIPTS:
        TrackingScript.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "src": f"{settings.PUBLIC_ORIGIN}{settings.STATIC_URL}js/demo-trackers/{filename}",
            },
        )
    return [
        "Consent: demo tracking scripts (statistics, marketing) wait for consent; "
        "run `manage.py scan_cookies` to fill the cookie declaration"
    ]

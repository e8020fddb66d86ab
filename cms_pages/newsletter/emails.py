"""The newsletter's emails and the signed links in them.

Imports nothing else of the newsletter (the subscriber, the issue arrive as arguments), so the models (the
editor's preview), the services, the tasks and the issue sender can all build an email without importing
each other in a circle.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from config import mail

# The preview shows an issue as a subscriber gets it, with an unsubscribe link that works for nobody.
PREVIEW_ADDRESS = "subscriber@example.com"

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


def absolute(path: str) -> str:
    return settings.PUBLIC_ORIGIN.rstrip("/") + path  # the public site's pages, never the app host


def confirm_token(subscriber) -> str:
    return signing.dumps(
        {"s": subscriber.pk, "e": subscriber.email, "v": subscriber.consent_text_version}, salt=CONFIRM_SALT
    )


def unsubscribe_token(subscriber) -> str:
    # No max_age: an unsubscribe link in a two-year-old newsletter must still work.
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=UNSUBSCRIBE_SALT)


def _url(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return absolute(reverse(name, args=[token]))


def unsubscribe_url(subscriber) -> str:
    return _url("newsletter:unsubscribe", unsubscribe_token(subscriber), subscriber.language)


def signup_email(subscriber, language: str) -> EmailMultiAlternatives:
    """The answer to a signup, in the language the visitor asked in: a subscribed address is told that it
    already is (and how to leave), any other gets the confirmation link (double opt-in)."""
    with translation.override(language):
        if subscriber.status == subscriber.Status.CONFIRMED:
            context = {
                "unsubscribe_url": _url("newsletter:unsubscribe", unsubscribe_token(subscriber), language)
            }
            template = "emails/newsletter/already_subscribed"
        else:
            context = {"confirm_url": _url("newsletter:confirm", confirm_token(subscriber), language)}
            template = "emails/newsletter/confirm"
        return mail.message(template, context, to=[subscriber.email])


def newsletter_message(subscriber, subject: str, text: str) -> EmailMultiAlternatives:
    """One newsletter email, with the unsubscribe link in the text and RFC 8058 one-click headers."""
    url = unsubscribe_url(subscriber)
    with translation.override(subscriber.language):
        return mail.message(
            "emails/newsletter/issue",
            {"text": text.rstrip(), "unsubscribe_url": url},
            to=[subscriber.email],
            subject=subject,
            headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )

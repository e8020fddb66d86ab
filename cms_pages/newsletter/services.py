"""Double opt-in, unsubscribe and sending, as plain functions the views and tests call.

Signing up answers the same whatever the address's state, and mails only the address itself (from the
task worker, never inside the request), so the form tells nobody who is subscribed.
"""

from django.conf import settings
from django.core import signing
from django.utils import timezone

from cms_pages.mail_retry import queue_on_commit
from cms_pages.newsletter.emails import CONFIRM_SALT, UNSUBSCRIBE_SALT
from cms_pages.newsletter.models import Subscriber
from cms_pages.newsletter.tasks import send_signup_email


def request_subscription(email: str, language: str) -> Subscriber:
    """Record the request; once it commits, one email goes to the address, whatever its state.

    The request itself does the same work (one row written, one task queued) for every address and never
    talks to the mail server, so neither its answer nor its timing tells a stranger whether the address
    is subscribed. The email does: a confirmation link to a new or unconfirmed address, a note with an
    unsubscribe link to a subscribed one (see `signup_email`).
    """
    subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.language = language
        subscriber.status = Subscriber.Status.PENDING
        subscriber.consent_text_version = settings.NEWSLETTER_CONSENT_TEXT_VERSION
        subscriber.save()
    queue_on_commit(send_signup_email, subscriber.pk, language)
    return subscriber


def subscriber_from_token(token: str, *, salt: str, max_age=None) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return Subscriber.objects.filter(pk=data.get("s"), email=data.get("e")).first()


def confirm(token: str, ip_hash: str = "") -> Subscriber | None:
    subscriber = subscriber_from_token(token, salt=CONFIRM_SALT, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE)
    if subscriber is None:
        return None
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.consented_at = timezone.now()
        subscriber.consent_ip_hash = ip_hash
        subscriber.unsubscribed_at = None
        subscriber.save()
    return subscriber


def unsubscribe(token: str) -> Subscriber | None:
    subscriber = subscriber_from_token(token, salt=UNSUBSCRIBE_SALT)
    if subscriber is None:
        return None
    end_subscription(subscriber)
    return subscriber


def end_subscription(subscriber: Subscriber) -> bool:
    """Unsubscribe (by the subscriber's link, or an editor); False when it already was."""
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return False
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    return True

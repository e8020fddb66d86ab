"""The signup email, sent by the "jobs" worker (see cms_pages/mail_retry.py for why not in the request)."""

from django_tasks import task

from cms_pages.mail_retry import send_or_retry
from cms_pages.newsletter import emails
from cms_pages.newsletter.models import Subscriber


@task(backend="jobs")
def send_signup_email(subscriber_id: int, language: str, attempt: int = 1) -> str:
    # Built when sent, not when queued: a retry after the visitor has confirmed says "already subscribed".
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "skipped"  # deleted in the meantime (retention sweep, an editor)
    message = emails.signup_email(subscriber, language)
    return send_or_retry(message, send_signup_email, subscriber_id, language, attempt=attempt)

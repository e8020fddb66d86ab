"""The two emails a contact message causes, each its own task on the "jobs" worker, so a retry of one never
sends the other twice (see cms_pages/mail_retry.py for why not in the request)."""

from django_tasks import task

from cms_pages.contact import emails
from cms_pages.contact.models import ContactMessage
from cms_pages.mail_retry import send_or_retry


@task(backend="jobs")
def send_to_support(message_id: int, support: str, attempt: int = 1) -> str:
    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "skipped"
    email = emails.support_email(message, support)
    return send_or_retry(email, send_to_support, message_id, support, attempt=attempt)


@task(backend="jobs")
def send_acknowledgement(message_id: int, support: str, attempt: int = 1) -> str:
    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "skipped"
    email = emails.acknowledgement_email(message, support)
    return send_or_retry(email, send_acknowledgement, message_id, support, attempt=attempt)

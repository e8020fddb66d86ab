"""Receiving a message: store it, then (from the task worker) tell support and acknowledge to the sender
in the sender's language (the emails themselves: `emails.py`)."""

from django.conf import settings

from cms_pages.contact.models import ContactMessage
from cms_pages.contact.tasks import send_acknowledgement, send_to_support
from cms_pages.mail_retry import queue_on_commit
from cms_pages.models import OwnerDetails


def support_address(request=None) -> str:
    """The owner-details setting's email (public site, issue 3), else settings.CONTACT_EMAIL."""
    owner = OwnerDetails.for_request(request) if request is not None else OwnerDetails.objects.first()
    return (owner.email if owner and owner.email else "") or settings.CONTACT_EMAIL


def receive(message: ContactMessage, request=None) -> ContactMessage:
    """Store the message; once it commits, the worker tells support and acknowledges to the sender.

    A mail server that is down loses nothing and shows the visitor no error: the message is in the
    database (and in the Wagtail admin), and each email is retried on its own (cms_pages/mail_retry.py).
    """
    message.save()
    queue_on_commit(send_to_support, message.pk, support_address(request))
    queue_on_commit(send_acknowledgement, message.pk, support_address(request))
    return message

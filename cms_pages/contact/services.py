"""Receiving a message: store it, then (from the task worker) tell support and acknowledge to the sender
in the sender's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from cms_pages.contact.models import ContactMessage, SupervisoryAuthority
from cms_pages.mail_retry import queue_on_commit


def support_address(request=None) -> str:
    """The owner-details setting's email (public site, issue 3), else settings.CONTACT_EMAIL."""
    try:
        from cms_pages.models import OwnerDetails
    except ImportError:
        return settings.CONTACT_EMAIL
    owner = OwnerDetails.for_request(request) if request is not None else OwnerDetails.objects.first()
    return (owner.email if owner and owner.email else "") or settings.CONTACT_EMAIL


def receive(message: ContactMessage, request=None) -> ContactMessage:
    """Store the message; once it commits, the worker tells support and acknowledges to the sender.

    A mail server that is down loses nothing and shows the visitor no error: the message is in the
    database (and in the Wagtail admin), and each email is retried on its own (cms_pages/mail_retry.py).
    """
    from cms_pages.contact.tasks import send_acknowledgement, send_to_support

    message.save()
    queue_on_commit(send_to_support, message.pk, support_address(request))
    queue_on_commit(send_acknowledgement, message.pk, support_address(request))
    return message


def support_email(message: ContactMessage, support: str) -> EmailMessage:
    context = {"message": message}
    with translation.override(settings.LANGUAGE_CODE):  # support reads Danish
        return EmailMessage(
            render_to_string("emails/contact/support_subject.txt", context).strip(),
            render_to_string("emails/contact/support.txt", context),
            to=[support],
            reply_to=[message.email],
        )


def acknowledgement_email(message: ContactMessage, support: str) -> EmailMessage:
    # The authority as editors keep it (the snippet the privacy policy shows), not a copy in the text.
    authority = SupervisoryAuthority.objects.first()
    context = {
        "message": message,
        "authority": authority,
        "authority_name": authority.display_name(message.language) if authority else "",
    }
    with translation.override(message.language):
        return EmailMessage(
            render_to_string("emails/contact/acknowledgement_subject.txt", context).strip(),
            render_to_string("emails/contact/acknowledgement.txt", context),
            to=[message.email],
            reply_to=[support],
        )

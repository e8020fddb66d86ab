"""Receiving a message: store it, tell support, acknowledge to the sender in the sender's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from cms_pages.contact.models import ContactMessage


def support_address(request=None) -> str:
    """The owner-details setting's email (public site, issue 3), else settings.CONTACT_EMAIL."""
    try:
        from cms_pages.models import OwnerDetails
    except ImportError:
        return settings.CONTACT_EMAIL
    owner = OwnerDetails.for_request(request) if request is not None else OwnerDetails.objects.first()
    return (owner.email if owner and owner.email else "") or settings.CONTACT_EMAIL


def receive(message: ContactMessage, request=None) -> ContactMessage:
    message.save()
    context = {"message": message}
    with translation.override(settings.LANGUAGE_CODE):  # support reads Danish
        EmailMessage(
            render_to_string("emails/contact/support_subject.txt", context).strip(),
            render_to_string("emails/contact/support.txt", context),
            to=[support_address(request)],
            reply_to=[message.email],
        ).send()
    with translation.override(message.language):
        EmailMessage(
            render_to_string("emails/contact/acknowledgement_subject.txt", context).strip(),
            render_to_string("emails/contact/acknowledgement.txt", context),
            to=[message.email],
            reply_to=[support_address(request)],
        ).send()
    return message

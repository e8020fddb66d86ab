"""The two emails a contact message causes, built from the stored message (the tasks send them)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from cms_pages.contact.models import ContactMessage, SupervisoryAuthority
from config import mail


def support_email(message: ContactMessage, support: str) -> EmailMessage:
    context = {"message": message}
    with translation.override(settings.LANGUAGE_CODE):  # support reads Danish
        return mail.message("emails/contact/support", context, to=[support], reply_to=[message.email])


def acknowledgement_email(message: ContactMessage, support: str) -> EmailMessage:
    # The authority as editors keep it (the snippet the privacy policy shows), not a copy in the text.
    authority = SupervisoryAuthority.objects.first()
    context = {
        "message": message,
        "authority": authority,
        "authority_name": authority.display_name(message.language) if authority else "",
    }
    with translation.override(message.language):
        return mail.message("emails/contact/acknowledgement", context, to=[message.email], reply_to=[support])

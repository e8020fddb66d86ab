"""Every e-mail to a person (not the admins' error reports) leaves through here, as text plus HTML.

Why one module: each kind of e-mail has a text template `NAME.txt` and an HTML template `NAME.html` (extending
`templates/emails/base.html`) rendered from the same context, so the two parts cannot drift apart, and the
product's look, the language attribute and "no remote images, no tracking" are decided once, in the layout.
It lives in `config` because both the public site (which must not import the portal) and the portal send.

The language is the active one: callers that write in the recipient's or the document's language wrap the
call in `translation.override`, as before. Error e-mails to the admins (`mail_admins`, the logging handler)
stay plain text and do not come here (tests/config/test_emails_html.py keeps that list).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

PRODUCT_NAME = "Ansatte"


def render_text(template_name: str, context: dict) -> str:
    """A text template without HTML escaping: in a text part "Hansen & Søn ApS" must not read "&amp;"."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def message(
    template: str,
    context: dict | None = None,
    *,
    to: list[str],
    subject: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """The e-mail `template` (a name without extension) in the active language: the text part from
    `template.txt`, the HTML alternative from `template.html`, the subject given or from
    `template_subject.txt`."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    context = {**(context or {}), "email_language": language, "product_name": PRODUCT_NAME}
    if subject is None:
        subject = render_text(f"{template}_subject.txt", context)
    subject = " ".join(str(subject).split())  # a header has no line breaks
    text = render_text(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", {**context, "subject": subject})
    email = EmailMultiAlternatives(
        subject, text, None, to, reply_to=reply_to, headers=headers, connection=connection
    )
    email.attach_alternative(html, "text/html")
    return email


def send(template: str, context: dict | None = None, **kwargs) -> int:
    """Build and send at once (what `send_mail` did for the callers); returns the number sent."""
    return message(template, context, **kwargs).send()

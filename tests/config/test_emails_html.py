"""Every e-mail to a person is text plus HTML (issue 17), says the same in both, links only to the site.

`EMAILS` names every e-mail template with a context like its sender's; each is rendered in Danish and English
through `config.mail` and checked as a mail client would: one text/plain and one text/html part, the HTML in
the recipient's language, one button whose link is the link in the text, no images (nothing is fetched when
the mail is opened), every link on the site's own hosts, and every line of the text in the HTML. A new
template without an entry, or a sender that builds its e-mail past `config.mail`, fails here.
"""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone, translation

from config import mail
from config.origins import app_host, public_host

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["da", "en"]


def app(path: str) -> str:
    return settings.APP_ORIGIN + path


def public(path: str) -> str:
    return settings.PUBLIC_ORIGIN + path


def _contact_message(subject="complaint"):
    from cms_pages.contact.models import ContactMessage

    return ContactMessage(
        name="Søren & Co",
        email="soren@example.com",
        subject=subject,
        message='Hej,\n<script>alert("x")</script> se https://evil.example/',
        language=translation.get_language(),
        created_at=timezone.now(),
    )


def _scan(failed=False):
    from cms_pages.consent.models import CookieScan

    now = timezone.now()
    return CookieScan(
        started_at=now,
        finished_at=now,
        pages=["/", "/om/"],
        new_cookies=["_ga"],
        unclassified_cookies=["_ga", "tracker"],
        declared_not_seen=["old"],
        undeclared_hosts=["cdn.evil.example"],
        third_party_requests=["cdn.evil.example"],
        error="" if not failed else "Chromium crashed",
        failed=failed,
    )


EXPIRES = datetime.datetime(2027, 1, 31, 12, 0, tzinfo=datetime.UTC)


def _employee_request(closed=False):
    from hrportal.privacy.models import DataSubjectRequest

    return DataSubjectRequest(
        kind="erasure",
        received_on=datetime.date(2027, 1, 31),
        due_on=datetime.date(2027, 2, 28),
        closed_on=datetime.date(2027, 2, 10) if closed else None,
        requester_name="Søren & Co",
    )


# template -> (context, whether it has a button, subject when the sender gives it rather than a template)
EMAILS = {
    "emails/invite": (
        lambda: {
            "company": "Hansen & Søn ApS",
            "inviter": "Mette Hansen",
            "link": app("/portal/invite/tok/"),
            "has_account": False,
        },
        True,
        "Invitation",
    ),
    "emails/signup_confirm_email": (
        lambda: {
            "name": "Mette",
            "company": "Hansen & Søn ApS",
            "link": app("/portal/signup/confirm-email/t/"),
        },
        True,
        "Confirm",
    ),
    "emails/signup_email_taken": (lambda: {"login": app("/portal/login/")}, True, "Someone"),
    "emails/password_reset": (lambda: {"link": app("/portal/password-reset/MQ/tok/")}, True, None),
    "emails/second_factor_changed": (
        lambda: {
            "email": "a@example.com",
            "change": "Backup codes generated",
            "url": app("/portal/password/"),
        },
        True,
        "Changed",
    ),
    "emails/contact/support": (lambda: {"message": _contact_message()}, False, None),
    "emails/contact/acknowledgement": (
        lambda: {
            "message": _contact_message(),
            "authority": SimpleNamespace(website="https://www.datatilsynet.dk/"),
            "authority_name": "Datatilsynet",
        },
        False,
        None,
    ),
    "emails/consent/scan": (lambda: {"scan": _scan(), "admin_url": app("/admin/")}, True, None),
    "emails/newsletter/confirm": (lambda: {"confirm_url": public("/nyhedsbrev/bekraeft/t/")}, True, None),
    "emails/newsletter/already_subscribed": (
        lambda: {"unsubscribe_url": public("/nyhedsbrev/afmeld/t/")},
        True,
        None,
    ),
    "emails/newsletter/issue": (
        lambda: {
            "text": "Nyt i januar\n\nLæs mere på https://elsewhere.example/ & <b>nu</b>",
            "unsubscribe_url": public("/nyhedsbrev/afmeld/t/"),
        },
        False,
        "Nyhedsbrev",
    ),
    "hrportal/jobs/emails/export_ready": (
        lambda: {"company": "Hansen & Søn ApS", "expires": EXPIRES, "url": app("/portal/jobs/1/")},
        True,
        "Export",
    ),
    "hrportal/privacy/emails/dpa_changed": (
        lambda: {
            "company": "Hansen & Søn ApS",
            "agreement": SimpleNamespace(version="2026-01"),
            "processors_changed": False,
            "url": app("/portal/settings/dpa/"),
        },
        True,
        "DPA",
    ),
    "hrportal/privacy/emails/processor_planned": (
        lambda: {
            "company": "Hansen & Søn ApS",
            "processor": "Sky & Co",
            "purpose": "Hosting",
            "country": "USA",
            "starts": datetime.date(2027, 2, 1),
            "url": app("/portal/settings/dpa/"),
        },
        True,
        "planned",
    ),
    "hrportal/privacy/emails/processor_objection": (
        lambda: {
            "company": "Hansen & Søn ApS",
            "cvr": "12345674",
            "processor": "Sky & Co",
            "starts": datetime.date(2027, 2, 1),
            "reason": "Vi ønsker ikke data uden for EU.\nVenlig hilsen",
            "by": "Mette Hansen",
            "url": app("/admin/"),
        },
        True,
        "Objection",
    ),
    "hrportal/documents/emails/sign_request": (
        lambda: {"company": "Hansen & Søn ApS", "link": app("/sign/tok/"), "expires": EXPIRES},
        True,
        None,
    ),
    "hrportal/documents/emails/signed_copy": (
        lambda: {
            "company": "Hansen & Søn ApS",
            "kind": "Contract",
            "link": app("/sign/tok/copy/"),
            "expires": EXPIRES,
        },
        True,
        "Signed",
    ),
    "hrportal/documents/emails/signed_copy_company": (
        lambda: {"company": "Hansen & Søn ApS", "kind": "Contract", "link": app("/portal/documents/1/")},
        True,
        "Signed",
    ),
    "emails/employee_request_code": (
        lambda: {"name": "Mette", "company": "Hansen & Søn ApS", "code": "123456", "minutes": 30},
        False,
        "Your code",
    ),
    "emails/employee_request_received": (
        lambda: {"dsr": _employee_request(), "company": "Hansen & Søn ApS", "link": app("/rights/follow/t/")},
        True,
        "Received",
    ),
    "emails/employee_request_closed": (
        lambda: {
            "dsr": _employee_request(closed=True),
            "company": "Hansen & Søn ApS",
            "link": app("/rights/follow/t/"),
        },
        True,
        "Closed",
    ),
    "hrportal/documents/emails/signing_code": (
        lambda: {
            "company": "Hansen & Søn ApS",
            "code_message": "Your code for signing the document from Hansen & Søn ApS: 123456.",
            "code": "123456",
        },
        False,
        "Your signing code",
    ),
}


class _Html(HTMLParser):
    """What a reader of the HTML part meets: its links, images, button, language and visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.srcs, self.buttons, self.lang, self.text = [], [], [], None, []
        self.tags, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])
        if tag == "a" and "data-email-button" in attrs:
            self.buttons.append(attrs["href"])
        if tag in ("head", "title", "style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("head", "title", "style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _words(text: str) -> str:
    return " ".join(text.split())


def check_email(message, language: str, *, button: bool):
    """The checks a mail of any kind must pass; returns the parsed HTML part."""
    mime = message.message()
    assert mime.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in mime.get_payload()] == ["text/plain", "text/html"]
    assert len(message.alternatives) == 1
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<html" not in message.body and "&amp;" not in message.body  # the text part is text

    page = _Html()
    page.feed(html)
    assert page.lang == language
    assert "img" not in page.tags and not page.srcs, "no images: opening the mail fetches nothing"
    assert not {"script", "link", "iframe", "form"} & set(page.tags)
    assert "url(" not in html  # no background images in inline CSS either
    own_hosts = {app_host(), public_host()}
    for href in page.hrefs:
        parts = urlsplit(href)
        assert parts.scheme in ("http", "https") and parts.netloc in own_hosts, href

    if button:
        assert len(page.buttons) == 1, page.buttons
        assert page.buttons[0] in message.body.split(), "the button goes where the text's link goes"
    else:
        assert page.buttons == []

    shown = _words(" ".join(page.text))
    for line in message.body.splitlines():
        # A link at the end of a sentence in the text is the button (or its address) under it in the HTML.
        line = line.removeprefix("- ")
        for part in [*re.findall(r"https?://\S+", line), *re.split(r"https?://\S+", line)]:
            part = _words(part)
            if re.search(r"\w", part):
                assert part in shown, f"the HTML part lacks {part!r}"
    return page


def render(template: str, language: str):
    context, _button, subject = EMAILS[template]
    with translation.override(language):
        return mail.message(template, context(), to=["someone@example.com"], subject=subject)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", sorted(EMAILS))
def test_every_email_is_text_and_html_saying_the_same(template, language):
    message = render(template, language)
    check_email(message, language, button=EMAILS[template][1])
    assert message.subject and "\n" not in message.subject


@pytest.mark.django_db
def test_the_layout_names_the_product_and_the_company():
    page = _Html()
    page.feed(render("hrportal/documents/emails/sign_request", "da").alternatives[0][0])
    shown = _words(" ".join(page.text))
    assert shown.startswith("Ansatte · Hansen & Søn ApS")


@pytest.mark.django_db
@pytest.mark.parametrize("template", sorted(t for t, (_c, button, _s) in EMAILS.items() if button))
def test_the_button_speaks_the_recipients_language(template):
    labels = {}
    for language in LANGUAGES:
        page = _Html()
        page.feed(render(template, language).alternatives[0][0])
        labels[language] = _words(" ".join(page.text))
    assert labels["da"] != labels["en"]
    assert "If the button does not work" in labels["en"] and "Virker knappen ikke" in labels["da"]


@pytest.mark.django_db
def test_untrusted_text_is_escaped_in_html_and_plain_in_text():
    message = render("emails/contact/support", "da")
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<script>alert("x")</script>' in message.body
    assert "Søren & Co" in message.body


def _mail_templates() -> set[str]:
    found = set()
    for path in (ROOT / "templates").glob("**/emails/**/*.txt"):
        name = str(path.relative_to(ROOT / "templates").with_suffix(""))
        if name.endswith("_subject") or name == "emails/newsletter/footer":
            continue  # a subject, or the newsletter's footer the issue template includes
        found.add(name)
    return found


def test_every_email_template_is_checked_and_has_an_html_part():
    assert _mail_templates() == set(EMAILS)
    for name in EMAILS:
        assert (ROOT / "templates" / f"{name}.html").is_file(), name


# --- the senders -------------------------------------------------------------------------------------

DIRECT_SEND = re.compile(
    r"(?<!def )\b(send_mail|send_mass_mail|mail_admins|EmailMessage|EmailMultiAlternatives)\("
)
# Plain-text reports to the operators, not e-mails to a person: they stay outside the helper.
ADMIN_REPORTS = {
    "config/admin_email.py",  # the logging handler's error e-mails
    "hrportal/jobs/tasks.py",  # a background job that failed for good
    "hrportal/employees/unreadable.py",  # an employee row that no key decrypts
}


def direct_senders(path: str, source: str) -> list[str]:
    """`path:line` of each e-mail built or sent past `config.mail` (admin reports only in their files)."""
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        match = DIRECT_SEND.search(line)
        if match and not (match.group(1) == "mail_admins" and path in ADMIN_REPORTS):
            found.append(f"{path}:{number}: {line.strip()}")
    return found


def test_the_bypass_check_finds_a_direct_sender():
    assert direct_senders("hrportal/x.py", "    send_mail(subject, body, None, [to])\n")
    assert direct_senders("cms_pages/x.py", "return EmailMultiAlternatives(s, b, to=[a])")
    assert direct_senders("hrportal/x.py", 'mail_admins("x", "y")')
    assert not direct_senders("hrportal/jobs/tasks.py", 'mail_admins("x", "y")')
    assert not direct_senders("hrportal/x.py", "    def send_mail(self, subject):")


def test_no_sender_bypasses_the_mail_helper():
    found = []
    for package in ("cms_pages", "hrportal", "config"):
        for path in sorted((ROOT / package).glob("**/*.py")):
            name = str(path.relative_to(ROOT))
            if name == "config/mail.py" or "/migrations/" in name:
                continue
            found += direct_senders(name, path.read_text(encoding="utf-8"))
    assert not found, "send e-mails through config.mail:\n" + "\n".join(found)


def test_password_reset_sends_through_the_helper():
    from hrportal.accounts.views.passwords import PasswordResetForm, PasswordResetView

    assert PasswordResetView.form_class is PasswordResetForm


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_password_reset_email_as_sent(admin_user, client, mailoutbox, language):
    client.post("/portal/password-reset/", {"email": admin_user.email}, HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        check_email(mailoutbox[-1], translation.get_language(), button=True)
    assert urlsplit(re.search(r"https?://\S+", mailoutbox[-1].body).group()).netloc == app_host()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_newsletter_emails_as_built(language):
    from cms_pages.newsletter.emails import newsletter_message, signup_email
    from cms_pages.newsletter.models import Subscriber

    subscriber = Subscriber(pk=7, email="reader@example.com", language=language)
    check_email(signup_email(subscriber, language), language, button=True)
    subscriber.status = Subscriber.Status.CONFIRMED
    check_email(signup_email(subscriber, language), language, button=True)
    issue = newsletter_message(subscriber, "Januar", "Se https://elsewhere.example/")
    check_email(issue, language, button=False)
    assert issue.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_complaint_acknowledgement_as_built(language):
    from cms_pages.contact.emails import acknowledgement_email
    from cms_pages.contact.models import SupervisoryAuthority

    SupervisoryAuthority.objects.create(
        name="Datatilsynet",
        name_en="The Danish Data Protection Agency",
        address="Carl Jacobsens Vej 35",
        postal_code="2500",
        city="Valby",
        phone="33 19 32 00",
        email="dt@datatilsynet.dk",
        website="https://www.datatilsynet.dk/",
    )
    with translation.override(language):
        message = _contact_message()
    message.save()
    email = acknowledgement_email(message, "support@ansatte.dk")
    check_email(email, language, button=False)
    assert "https://www.datatilsynet.dk" in email.body  # named in both parts, a link in neither
    assert email.reply_to == ["support@ansatte.dk"] and email.to == [message.email]

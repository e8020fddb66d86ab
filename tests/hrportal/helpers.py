import re

from django.core import mail

from hrportal.accounts import sms


def last_email_link(pattern=r"https?://\S+"):
    assert mail.outbox, "no email was sent"
    return re.search(pattern, mail.outbox[-1].body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def last_sms_code():
    assert sms.outbox, "no SMS was sent"
    return re.search(r"\b(\d{6})\b", sms.outbox[-1]["message"]).group(1)

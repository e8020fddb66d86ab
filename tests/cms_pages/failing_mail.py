"""A mail server that refuses everything, for proving that a visitor never sees it fail."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

FAILING_BACKEND = "tests.cms_pages.failing_mail.RefusingEmailBackend"


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPException("421 Service not available")


def _put_off():
    """Tasks the worker will take later, not now: the retries of failed emails."""
    return DBTaskResult.objects.filter(
        status="READY", run_after__gt=timezone.now(), run_after__lt=get_date_max()
    )


def waiting_retries() -> list[str]:
    return sorted(_put_off().values_list("task_path", flat=True))


def make_retries_due() -> int:
    """Let the worker take the retries now (in real life they wait minutes)."""
    return _put_off().update(run_after=timezone.now())

"""Sending a newsletter issue: an editor queues it, the "jobs" worker mails it.

`queue()` moves a draft to "sending" and queues `send_issue` in one transaction (the database backend's task
row commits or rolls back with it), so a double click or two editors at once queue it once. The task mails
every confirmed subscriber in their language through `emails.newsletter_message()` (own unsubscribe link,
List-Unsubscribe headers), in batches, and writes the counts on the issue after each batch.

Nobody gets an issue twice: before a mail is sent its `IssueDelivery` row is inserted (unique per issue and
subscriber), so a retried, duplicated or concurrent run skips everyone already claimed. A subscriber who
unsubscribes while the issue goes out is skipped. A failing address is counted as failed and not retried;
the others go on. An issue that stopped half-way (a worker died) is finished by queueing the task again
(`manage.py resume_newsletter_issues`).
"""

import logging

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from cms_pages.newsletter import emails
from cms_pages.newsletter.models import IssueDelivery, NewsletterIssue, Subscriber

logger = logging.getLogger(__name__)

BATCH_SIZE = 100


class CannotSend(Exception):
    """Why an issue cannot be sent, for the editor."""


def recipients():
    """Confirmed subscribers with the proof of their confirmation: a row that says "confirmed" without the
    time of its double opt-in (written by hand, or by a bug) is never mailed."""
    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, consented_at__isnull=False)


def recipients_by_language() -> dict[str, int]:
    counts = dict(recipients().values_list("language").annotate(n=Count("pk")).order_by())
    return {code: counts.get(code, 0) for code, _name in settings.LANGUAGES}


def check_sendable(issue: NewsletterIssue, total: int) -> None:
    if not issue.is_draft:
        raise CannotSend(_("This issue has already been sent or is being sent."))
    if total == 0:
        raise CannotSend(_("There are no confirmed subscribers to send to."))


def queue(issue: NewsletterIssue, user) -> int:
    """Start sending a draft; returns the number of recipients, or raises CannotSend."""
    with transaction.atomic():
        total = recipients().count()
        check_sendable(issue, total)
        started = NewsletterIssue.objects.filter(pk=issue.pk, status=NewsletterIssue.Status.DRAFT).update(
            status=NewsletterIssue.Status.SENDING, queued_at=timezone.now(), recipients_total=total
        )
        if not started:  # someone else sent it since the page was loaded
            raise CannotSend(_("This issue has already been sent or is being sent."))
        send_issue.enqueue(issue.pk)
        log(instance=issue, action="newsletter.send", user=user, data={"recipients": total})
    return total


def resume_all() -> int:
    """Queue the task again for every issue still "sending" (a second run is harmless); returns how many."""
    pks = list(
        NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENDING).values_list("pk", flat=True)
    )
    for pk in pks:
        send_issue.enqueue(pk)
    return len(pks)


@task(backend="jobs")
def send_issue(issue_id: int) -> str:
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status != NewsletterIssue.Status.SENDING:
        return "skipped"  # deleted, or already sent: a task delivered twice changes nothing
    while _still_sending(issue) and (batch := _next_batch(issue)):
        with get_connection() as connection:  # one mail-server session per batch
            for subscriber_id in batch:
                _deliver(issue, subscriber_id, connection)
        _update_counts(issue)
    finished = NewsletterIssue.objects.filter(pk=issue.pk, status=NewsletterIssue.Status.SENDING).update(
        status=NewsletterIssue.Status.SENT, sent_at=timezone.now()
    )
    counts = _update_counts(issue)
    if finished:
        log(instance=issue, action="newsletter.sent", data=counts)
    return "sent"


def _still_sending(issue) -> bool:
    return NewsletterIssue.objects.filter(pk=issue.pk, status=NewsletterIssue.Status.SENDING).exists()


def _next_batch(issue) -> list[int]:
    return list(_not_yet_delivered(issue).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])


def _not_yet_delivered(issue):
    return recipients().exclude(pk__in=IssueDelivery.objects.filter(issue=issue).values("subscriber_id"))


def _deliver(issue, subscriber_id, connection) -> None:
    try:
        with transaction.atomic():
            delivery = IssueDelivery.objects.create(issue=issue, subscriber_id=subscriber_id)
    except IntegrityError:
        return  # another run has this subscriber (or the subscriber was just deleted)
    subscriber = recipients().filter(pk=subscriber_id).first()
    if subscriber is None:  # unsubscribed since the batch was read
        delivery.delete()
        return
    message = emails.newsletter_message(subscriber, *issue.content_for(subscriber.language))
    message.connection = connection
    try:
        sent = message.send() == 1
    except Exception:
        # The traceback goes to the operators' log; the issue only counts the failure.
        logger.exception("Newsletter issue %s: sending to subscriber %s failed", issue.pk, subscriber.pk)
        connection.close()  # the next mail opens a fresh session, should this one be broken
        sent = False
    IssueDelivery.objects.filter(pk=delivery.pk).update(
        status=IssueDelivery.Status.SENT if sent else IssueDelivery.Status.FAILED,
        sent_at=timezone.now() if sent else None,
    )


def _update_counts(issue) -> dict[str, int]:
    counts = IssueDelivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=IssueDelivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=IssueDelivery.Status.FAILED)),
    )
    total = counts["total"] + _not_yet_delivered(issue).count()
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        recipients_total=total, sent_count=counts["sent"], failed_count=counts["failed"]
    )
    return {"recipients": total, "sent": counts["sent"], "failed": counts["failed"]}

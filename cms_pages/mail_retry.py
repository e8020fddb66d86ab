"""Emails a visitor's form causes (newsletter confirmation, contact acknowledgement) leave the request.

The request only writes its rows and, once they are committed, queues one task per email on the "jobs"
backend (`manage.py db_worker --backend jobs`). The mail server is then never part of the visitor's answer:
a server that is down or slow cannot turn a signup into an error page, cannot make a new address answer
differently from a known one, and cannot lose a contact message.

django-tasks retries nothing by itself, so a task whose mail server refuses queues itself again, later
(`RETRY_DELAYS`), and after the last attempt gives up with an error in the log. The log names the task and
its row id; the traceback (which may quote an address) stays in the operators' log, like every other
failed job's.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd, ... attempt: about a day of trying in all.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60, 16 * 60 * 60)


def queue_on_commit(task, *args) -> None:
    """Queue `task(*args)` once the surrounding transaction commits: a rolled-back request mails nobody, and
    the worker never looks for a row that is not there yet."""
    transaction.on_commit(lambda: task.enqueue(*args))


def send_or_retry(message, task, *args, attempt: int) -> str:
    """Send `message`; when that fails, queue `task(*args, attempt=attempt + 1)` for later, or give up."""
    try:
        message.send()
    except Exception:
        if attempt > len(RETRY_DELAYS):
            logger.exception("%s%r: giving up after %s attempts", task.name, args, attempt)
            return "failed"
        delay = RETRY_DELAYS[attempt - 1]
        logger.warning(
            "%s%r: sending failed (attempt %s), trying again in %s s",
            task.name,
            args,
            attempt,
            delay,
            exc_info=True,
        )
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
        return "retrying"
    return "sent"

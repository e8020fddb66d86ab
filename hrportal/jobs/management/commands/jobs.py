"""List background jobs for operators: what failed, and what looks stuck (a worker stopped mid-job), the
newsletter issues that the same worker sends included."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from cms_pages.newsletter.models import NewsletterIssue
from hrportal.jobs.lookup import jobs_for_operators


class Command(BaseCommand):
    help = "List failed and stuck background jobs (ids for `retry_job`); exit code 1 when there are any."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stuck-after", type=int, default=30, help="minutes without progress before a job is stuck"
        )

    def handle(self, *args, stuck_after=30, **options):
        now = timezone.now()
        limit = now - datetime.timedelta(minutes=stuck_after)
        failed, running, queued = jobs_for_operators(limit)
        stuck = [j for j in running if (j.updated_at or j.started_at or j.created_at) < limit]
        rows = [("failed", j) for j in failed] + [("stuck", j) for j in stuck]
        rows += [("waiting", j) for j in queued]
        for state, job in rows:
            self.stdout.write(
                f"{state:8} job={job.pk} company={job.company_id} kind={job.kind} "
                f"created={job.created_at:%Y-%m-%d %H:%M} progress={job.done}/{job.total}"
            )
        # Newsletter issues go out on the same worker (cms_pages/newsletter/issues.py).
        issues = NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENDING, queued_at__lt=limit)
        for issue in issues.order_by("pk"):
            self.stdout.write(
                f"sending  newsletter_issue={issue.pk} queued={issue.queued_at:%Y-%m-%d %H:%M} "
                f"progress={issue.sent_count + issue.failed_count}/{issue.recipients_total}"
            )
        if not rows and not issues:
            self.stdout.write("no failed, stuck or long-waiting jobs")
            return
        if issues:
            self.stdout.write(
                "a newsletter issue still sending after that long: manage.py resume_newsletter_issues"
            )
        if failed or stuck:
            self.stdout.write("queue a failed or stuck job again with: manage.py retry_job <job>")
        if queued:
            self.stdout.write("jobs wait long: is the worker running? (manage.py db_worker --backend jobs)")
        raise SystemExit(1)

"""Daily job: delete what is past its retention date (employees, records kept by law, invoices, exports, and
the public site's newsletter, consent, contact and login records).

By default it queues one background job per company (run by `manage.py db_worker --backend jobs`), so a
large company's sweep shows its progress on the company's retention page; `--now` sweeps in this process.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from cms_pages.retention import purge_public_data
from hrportal.jobs import tasks
from hrportal.jobs.exports import delete_expired_exports
from hrportal.jobs.models import Job
from hrportal.privacy.retention import companies_to_sweep, sweep


class Command(BaseCommand):
    help = "Delete employees, records kept by law and invoices past their retention date; print counts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="sweep in this process instead of queueing jobs"
        )
        parser.add_argument("--date", help="with --now: run as of this date (YYYY-MM-DD); default today")

    def handle(self, *args, now=False, date=None, **options):
        if date and not now:
            raise CommandError("--date needs --now (queued jobs run as of the day they run)")
        if now:
            result = sweep(today=datetime.date.fromisoformat(date) if date else None)
            self.stdout.write(
                f"deleted employees={result.employees} retained_records={result.retained_records} "
                f"invoices={result.invoices} orphan_files={result.orphan_files} "
                f"companies_removed={result.companies_removed} "
                f"exports={result.exports} public={result.public}"
            )
            return
        queued = skipped = 0
        for company in companies_to_sweep():
            if tasks.active_job(company, Job.Kind.RETENTION_SWEEP):
                skipped += 1  # yesterday's is still queued or running: one at a time
                continue
            tasks.start(company, Job.Kind.RETENTION_SWEEP)
            queued += 1
        exports = delete_expired_exports()
        public = purge_public_data()  # bulk deletes of the public site's data: quick, done here
        self.stdout.write(
            f"queued sweeps={queued} already_queued={skipped} expired_exports_deleted={exports} "
            f"public={public}"
        )

"""Queue a failed (or stuck) background job again: the long jobs are idempotent and finish what is left."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hrportal.jobs import tasks
from hrportal.jobs.lookup import job_by_id
from hrportal.jobs.models import Job
from hrportal.tenancy import company_scope


class Command(BaseCommand):
    help = "Queue a background job again by its id (a failed one, or one whose worker died while running)."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id, **options):
        with transaction.atomic():
            job = job_by_id(job_id, lock=True)
            if job is None:
                raise CommandError(f"No job {job_id}")
            if job.status == Job.Status.DONE:
                raise CommandError(f"Job {job_id} is done; nothing to retry")
            with company_scope(job.company):
                Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, finished_at=None)
            tasks.queue(job)
        self.stdout.write(f"queued job {job_id} ({job.kind}) again")

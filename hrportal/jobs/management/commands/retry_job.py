"""Queue a failed (or stuck) background job again: the long jobs are idempotent and finish what is left."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hrportal.jobs import tasks
from hrportal.jobs.models import Job


class Command(BaseCommand):
    help = "Queue a background job again by its id (a failed one, or one whose worker died while running)."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id, **options):
        with transaction.atomic():
            job = Job.unscoped.select_for_update().filter(pk=job_id).first()
            if job is None:
                raise CommandError(f"No job {job_id}")
            if job.status == Job.Status.DONE:
                raise CommandError(f"Job {job_id} is done; nothing to retry")
            Job.unscoped.filter(pk=job.pk).update(status=Job.Status.QUEUED, finished_at=None)
            tasks.queue(job)
        self.stdout.write(f"queued job {job_id} ({job.kind}) again")

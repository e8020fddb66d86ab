"""The one task of the "jobs" backend: run a `Job` row by its kind, recording status and progress on it.

Requests never do the long work: they create the `Job` and queue `run_job` in the same transaction (the
database backend's task row commits or rolls back with it), and `manage.py db_worker --backend jobs`
runs it. A job that is already finished is not run again (a task delivered twice changes nothing); the
long jobs themselves are idempotent, so a failed deletion or sweep can be queued again and finishes
what is left (`manage.py retry_job <id>`).
"""

import logging

from django.core.mail import mail_admins
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from hrportal.jobs.lookup import job_by_id
from hrportal.jobs.models import Job
from hrportal.jobs.progress import JobProgress
from hrportal.tenancy import company_scope

logger = logging.getLogger(__name__)


def _runner(kind):
    from hrportal.jobs import exports
    from hrportal.privacy import deletion, retention

    return {
        Job.Kind.COMPANY_EXPORT: exports.run_company_export,
        Job.Kind.COMPANY_DELETION: deletion.run_deletion_job,
        Job.Kind.RETENTION_SWEEP: retention.run_sweep_job,
    }[kind]


@task(backend="jobs")
def run_job(job_id: int) -> str:
    job = job_by_id(job_id)
    if job is None or job.is_finished:
        return "skipped"
    with company_scope(job.company):
        return _run(job)


def _run(job: Job) -> str:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), finished_at=None
    )
    try:
        result = _runner(job.kind)(job, JobProgress(job)) or {}
    except Exception:
        # The traceback goes to the operators' log; the row and the task result get a fixed word only,
        # since an exception message may quote a personal value.
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=timezone.now())
        mail_admins(
            f"Background job {job.pk} failed",
            f"Job {job.pk} ({job.kind}) of company {job.company_id} failed. The traceback is in the worker's "
            f"log. When the cause is fixed: manage.py retry_job {job.pk}",
        )
        return "failed"
    # A sweep that removes a deleted company's last row also removes its jobs: updating nothing is fine.
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, finished_at=timezone.now(), updated_at=timezone.now(), result=result
    )
    return "done"


def queue(job: Job) -> Job:
    """Queue a saved job: the task row commits, or rolls back, with the surrounding transaction."""
    run_job.enqueue(job.pk)
    return job


def start(company, kind, *, user=None) -> Job:
    with company_scope(company), transaction.atomic():
        job = Job.objects.create(company=company, kind=kind, created_by=user)
        queue(job)
    return job


def active_job(company, kind):
    """The company's queued or running job of this kind, if any (one at a time per company and kind)."""
    with company_scope(company):
        return (
            Job.objects.filter(kind=kind, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
            .order_by("-pk")
            .first()
        )

"""Finding jobs before their company is known: the worker has a job id, an operator a list, a status page
a signed uuid, the sweep the expired exports of every company. The one cross-company module of the jobs app;
everything done to a job once found runs in its company's scope."""

from hrportal.jobs.models import Job
from hrportal.tenancy import cross_company


def job_by_id(job_id: int, *, lock: bool = False) -> Job | None:
    with cross_company(reason="the job runner has a job id, not its company"):
        rows = Job.objects.select_related("company")
        if lock:
            rows = rows.select_for_update(of=("self",))
        return rows.filter(pk=job_id).first()


def deletion_job(job_uuid) -> Job | None:
    with cross_company(reason="a deletion's status page is found by its signed uuid"):
        return (
            Job.objects.select_related("company")
            .filter(uuid=job_uuid, kind=Job.Kind.COMPANY_DELETION)
            .first()
        )


def jobs_for_operators(limit) -> tuple[list[Job], list[Job], list[Job]]:
    """(failed, running, queued before `limit`) over all companies, for `manage.py jobs`."""
    with cross_company(reason="operators list failed and stuck jobs of every company"):
        failed = list(Job.objects.filter(status=Job.Status.FAILED).order_by("pk"))
        running = list(Job.objects.filter(status=Job.Status.RUNNING).order_by("pk"))
        queued = list(Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=limit).order_by("pk"))
    return failed, running, queued


def clear_expired_exports(now, delete_file) -> int:
    """Delete every company's export files past their date (the retention sweep); returns how many."""
    deleted = 0
    with cross_company(reason="the retention sweep deletes expired exports of every company"):
        expired = Job.objects.filter(kind=Job.Kind.COMPANY_EXPORT, expires_at__lte=now).exclude(file_name="")
        for job_id, name in expired.values_list("pk", "file_name"):
            delete_file(name)
            Job.objects.filter(pk=job_id).update(file_name="", file_size=0)
            deleted += 1
    return deleted

"""Portal views of the background jobs: the company's job list, a job's progress page (HTML, or JSON for the
page's script), starting a company export, downloading it, and the deletion status page.

Company members only (`member_required`): provider staff act under a mandate for contracts, warnings and
terminations, not for taking out the whole company. An export is downloadable by the user who started it
(the one who entered a fresh authenticator code for it), until it expires.

The deletion status page needs no login: by the time the job is done, the admin who asked for it is deleted
with the company. It is reached by a signed, expiring token and shows progress only.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from hrportal.accounts.middleware import two_factor_exempt
from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.jobs import exports, tasks
from hrportal.jobs.lookup import deletion_job
from hrportal.jobs.models import Job
from hrportal.jobs.status_links import job_uuid_from_token
from hrportal.privacy.forms import FreshCodeForm
from hrportal.responses import own_object
from hrportal.tenancy import member_required


def _status_json(job) -> JsonResponse:
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.is_finished,
        }
    )


def _wants_json(request) -> bool:
    return request.GET.get("format") == "json"


@member_required
def job_list(request):
    page = Paginator(Job.objects.select_related("created_by").order_by("-created_at", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "hrportal/jobs/job_list.html", {"page": page})


@member_required
def job_detail(request, job_id):
    job, denied = own_object(request, Job, job_id)
    if denied:
        return denied
    if _wants_json(request):
        return _status_json(job)
    return render(
        request,
        "hrportal/jobs/job_detail.html",
        {"job": job, "may_download": job.download_available and job.created_by_id == request.user.pk},
    )


@member_required
def company_export(request):
    running = tasks.active_job(request.company, Job.Kind.COMPANY_EXPORT)
    form = FreshCodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and running is None and form.is_valid():
        job = tasks.start(request.company, Job.Kind.COMPANY_EXPORT, user=request.user)
        record(Action.COMPANY_EXPORT_STARTED, request=request, target=job)
        return redirect("portal:job_detail", job_id=job.pk)
    return render(
        request,
        "hrportal/jobs/company_export.html",
        {"form": form, "running": running, "keep_days": settings.JOB_EXPORT_KEEP_DAYS},
    )


@member_required
def job_download(request, job_id):
    job, denied = own_object(request, Job, job_id)
    if denied:
        return denied
    if request.method != "POST":  # a GET (a link, a prefetch) never hands out the company's data
        return redirect("portal:job_detail", job_id=job.pk)
    if not (job.download_available and job.created_by_id == request.user.pk):
        return render(request, "404.html", status=404)
    archive = exports.open_export(job)
    record(Action.COMPANY_EXPORT_DOWNLOADED, request=request, target=job)
    name = f"ansatte-export-{request.company.cvr}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")


@two_factor_exempt
def deletion_status(request, token):
    job_uuid = job_uuid_from_token(token)
    if job_uuid is None:
        return render(request, "404.html", status=404)
    job = deletion_job(job_uuid)
    if job is None:
        return render(request, "404.html", status=404)
    if _wants_json(request):
        return _status_json(job)
    return render(request, "hrportal/jobs/deletion_status.html", {"job": job})

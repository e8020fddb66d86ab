"""Background jobs: the company export, company deletion and the retention sweep run in the task worker,
with their progress on the job's row and in the portal, and nothing personal in the job or task tables."""

import datetime
import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from hrportal.audit.models import Action, AuditEvent
from hrportal.companies.models import Company
from hrportal.documents import storage
from hrportal.employees.models import Employee
from hrportal.jobs import exports, tasks
from hrportal.jobs.models import Job
from hrportal.jobs.progress import JobProgress
from hrportal.privacy.restriction import place_restriction
from hrportal.privacy.retention import sweep
from hrportal.tenancy import company_scope
from tests.conftest import login_verified, make_admin, next_code, run_jobs
from tests.factories import gdpr_employee, make_document, make_finished_export, make_job

FULL_CPR = "150372-1234"


def start_export(client, user):
    response = client.post(reverse("portal:company_export"), {"code": next_code(user.totp)})
    assert response.status_code == 302, response.content[:800]
    return Job.unscoped.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def status_of(client, job):
    return client.get(reverse("portal:job_detail", args=[job.pk]) + "?format=json").json()


@pytest.mark.django_db
def test_company_export_runs_in_the_background_and_holds_every_employee_but_nothing_else(
    company, other_company, admin_client, admin_user
):
    with company_scope(company):
        anna = gdpr_employee(company, name="Anna Exportsen", cpr=FULL_CPR, address="Eksportvej 1")
        make_document(company, anna)
        restricted = gdpr_employee(company, name="Rita Restricted")
        place_restriction(restricted, reason="asked for it")
    gdpr_employee(other_company, name="Otto Outsider")

    assert admin_client.post(reverse("portal:company_export"), {}).status_code == 200
    assert not Job.unscoped.exists()  # no fresh code, no export
    job = start_export(admin_client, admin_user)
    assert status_of(admin_client, job)["status"] == "queued"  # the request only queued it
    page = admin_client.get(reverse("portal:job_detail", args=[job.pk])).content.decode()
    assert "job-progress.js" in page and "<progress" in page

    mail.outbox.clear()
    assert run_jobs() == 1
    assert [m.to for m in mail.outbox] == [[admin_user.email]]  # told it is ready: a link, no data
    ready = mail.outbox[0]
    assert reverse("portal:job_detail", args=[job.pk]) in ready.body and "klar" in ready.subject
    assert "Anna" not in ready.body and FULL_CPR not in ready.body
    status = status_of(admin_client, job)
    assert status == {
        "status": "done",
        "status_label": status["status_label"],
        "done": 1,  # the restricted employee is not counted: left out
        "total": 1,
        "percent": 100,
        "finished": True,
    }

    job.refresh_from_db()
    assert job.result == {"employees": 1, "files": 1, "restricted_left_out": 1}
    sealed = storage.raw_bytes(job.file_name)
    assert not sealed.startswith(b"PK") and b"employees.csv" not in sealed  # encrypted at rest

    assert admin_client.get(reverse("portal:job_download", args=[job.pk])).status_code == 302  # GET: no data
    response = admin_client.post(reverse("portal:job_download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {"README.txt", "employees.csv", "employees.xlsx", f"employees/{anna.pk}/data.json"} <= names
    assert any(n.startswith(f"employees/{anna.pk}/files/") for n in names)
    data = json.loads(archive.read(f"employees/{anna.pk}/data.json"))
    assert data["subject"]["fields"]["name"] == "Anna Exportsen"
    assert data["subject"]["fields"]["cpr"] == "150372-XXXX"
    everything = b"".join(archive.read(n) for n in names if not n.endswith((".xlsx", ".pdf")))
    assert b"Anna Exportsen" in everything
    assert FULL_CPR.encode() not in everything and b"1503721234" not in everything
    assert b"Rita Restricted" not in everything and b"Otto Outsider" not in everything
    assert not any(n.startswith(f"employees/{restricted.pk}/") for n in names)

    actions = list(
        AuditEvent.objects.filter(company_id=company.pk, target_type="jobs.job")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        Action.COMPANY_EXPORT_STARTED,
        Action.COMPANY_EXPORT_CREATED,
        Action.COMPANY_EXPORT_DOWNLOADED,
    ]


@pytest.mark.django_db
def test_progress_is_written_batch_by_batch(company, monkeypatch):
    with company_scope(company):
        for n in range(5):
            gdpr_employee(company, name=f"Batch Person {n}")
    job = tasks.start(company, Job.Kind.COMPANY_EXPORT)
    monkeypatch.setattr(exports, "BATCH", 2)
    seen = []
    advance = JobProgress.advance

    def watching(self, count=1):
        advance(self, count)
        row = Job.unscoped.get(pk=self.job_id)
        seen.append((row.status, row.done, row.total))

    monkeypatch.setattr(JobProgress, "advance", watching)
    run_jobs()
    assert seen == [("running", 2, 5), ("running", 4, 5), ("running", 5, 5)]
    assert Job.unscoped.get(pk=job.pk).status == Job.Status.DONE


@pytest.mark.django_db
def test_a_failing_job_is_marked_failed_without_its_error_text_and_can_be_retried(
    company, monkeypatch, caplog, settings
):
    settings.ADMINS = [("Ops", "ops@ansatte.test")]
    with company_scope(company):
        gdpr_employee(company, name="Secret Failname")
    job = tasks.start(company, Job.Kind.COMPANY_EXPORT)

    def explode(employee):
        raise ValueError("could not export Secret Failname")

    monkeypatch.setattr(exports, "_employee_json", explode)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.file_name == ""
    stored = json.dumps(list(Job.unscoped.values()), default=str) + json.dumps(
        list(DBTaskResult.objects.values()), default=str
    )
    assert "Secret Failname" not in stored  # neither the job row nor the task result quotes the error
    assert "Job" in caplog.text or "failed" in caplog.text  # the operators' log has it
    told = [m for m in mail.outbox if m.to == ["ops@ansatte.test"]]
    assert len(told) == 1 and f"retry_job {job.pk}" in told[0].body  # operators are told, by id only
    assert "Secret Failname" not in told[0].body + told[0].subject

    monkeypatch.undo()
    call_command("retry_job", str(job.pk))
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["employees"] == 1


@pytest.mark.django_db
def test_only_one_export_at_a_time_and_only_its_starter_downloads(company, admin_client, admin_user):
    job = start_export(admin_client, admin_user)
    page = admin_client.get(reverse("portal:company_export")).content.decode()
    assert reverse("portal:job_detail", args=[job.pk]) in page  # "already running: follow it"
    admin_client.post(reverse("portal:company_export"), {"code": next_code(admin_user.totp)})
    assert Job.unscoped.count() == 1
    run_jobs()

    colleague = make_admin(company)
    other = login_verified(Client(), colleague)
    assert other.get(reverse("portal:job_detail", args=[job.pk])).status_code == 200  # sees it ...
    assert other.post(reverse("portal:job_download", args=[job.pk])).status_code == 404  # ... cannot take it


@pytest.mark.django_db
def test_expired_exports_are_refused_and_deleted_by_the_sweep(company, admin_user, admin_client):
    job = make_finished_export(company, admin_user)
    assert admin_client.post(reverse("portal:job_download", args=[job.pk])).status_code == 200
    Job.unscoped.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert admin_client.post(reverse("portal:job_download", args=[job.pk])).status_code == 404
    name = job.file_name
    assert storage.document_storage().exists(name)
    assert sweep().exports == 1
    assert not storage.document_storage().exists(name)
    assert Job.unscoped.get(pk=job.pk).file_name == ""


@pytest.mark.django_db
def test_a_company_being_deleted_is_closed_to_its_other_users_at_once(company, admin_user, admin_client):
    colleague_client = login_verified(Client(), make_admin(company))
    assert colleague_client.get(reverse("portal:employees:list")).status_code == 200
    admin_client.post(
        reverse("portal:company_delete"), {"company_name": company.name, "code": next_code(admin_user.totp)}
    )
    assert Company.objects.get(pk=company.pk).status == Company.Status.DELETING
    assert colleague_client.get(reverse("portal:employees:list")).status_code != 200  # before the job ran
    assert sweep().employees == 0  # the sweep leaves a company being deleted to its deletion job


@pytest.mark.django_db
def test_a_deletion_that_stopped_half_way_finishes_when_retried(
    company, admin_user, admin_client, monkeypatch
):
    from hrportal.privacy import deletion, hooks

    monkeypatch.setattr(deletion, "BATCH", 2)
    with company_scope(company):
        for n in range(5):
            gdpr_employee(company, name=f"Half Way {n}")
    response = admin_client.post(
        reverse("portal:company_delete"), {"company_name": company.name, "code": next_code(admin_user.totp)}
    )
    status_url = response["Location"]
    calls = []

    def crash_on_the_third(employee):
        calls.append(employee.pk)
        if len(calls) == 3:
            raise OSError("disk went away")
        return 0

    monkeypatch.setattr(hooks, "_erasure_handlers", [crash_on_the_third])
    run_jobs()
    job = Job.unscoped.get(kind=Job.Kind.COMPANY_DELETION)
    assert job.status == Job.Status.FAILED
    assert Employee.unscoped.filter(company_id=company.pk).count() == 3  # the first batch is gone for good
    assert Company.objects.get(pk=company.pk).status == Company.Status.DELETING  # and the company stays shut
    assert "alert" in Client().get(status_url).content.decode()

    monkeypatch.setattr(hooks, "_erasure_handlers", [])
    call_command("retry_job", str(job.pk))
    run_jobs()
    assert Job.unscoped.get(pk=job.pk).status == Job.Status.DONE
    assert not Employee.unscoped.filter(company_id=company.pk).exists()
    assert Company.objects.get(pk=company.pk).status == Company.Status.DELETED


@pytest.mark.django_db
def test_the_deletion_status_page_needs_a_valid_token_for_a_deletion_job(company, admin_user):
    from hrportal.jobs.status_links import deletion_status_token

    export = make_job(company, kind=Job.Kind.COMPANY_EXPORT)
    deletion = make_job(company, kind=Job.Kind.COMPANY_DELETION)
    client = Client()
    assert (
        client.get(reverse("portal:deletion_status", args=[deletion_status_token(deletion)])).status_code
        == 200
    )
    assert (
        client.get(reverse("portal:deletion_status", args=[deletion_status_token(export)])).status_code == 404
    )
    genuine = deletion_status_token(deletion)
    forged = genuine[:-2] + ("yy" if genuine.endswith("xx") else "xx")
    assert client.get(reverse("portal:deletion_status", args=[forged])).status_code == 404
    assert client.get(reverse("portal:deletion_status", args=[str(deletion.uuid)])).status_code == 404
    with freeze_time(timezone.now() + datetime.timedelta(days=8)):
        token_page = client.get(reverse("portal:deletion_status", args=[deletion_status_token(deletion)]))
        assert token_page.status_code == 200  # a fresh token works ...
    old = deletion_status_token(deletion)
    with freeze_time(timezone.now() + datetime.timedelta(days=8)):
        assert (
            client.get(reverse("portal:deletion_status", args=[old])).status_code == 404
        )  # ... an old one not


@pytest.mark.django_db
def test_the_daily_command_queues_one_sweep_per_company_and_the_retention_page_shows_it(
    company, other_company, admin_client
):
    with company_scope(company):
        gdpr_employee(company, name="Long Gone", end_date=datetime.date(2015, 1, 31))
    call_command("retention_sweep")
    call_command("retention_sweep")  # yesterday's still queued: not twice
    sweeps = Job.unscoped.filter(kind=Job.Kind.RETENTION_SWEEP)
    assert sorted(sweeps.values_list("company_id", flat=True)) == sorted([company.pk, other_company.pk])

    page = admin_client.get(reverse("portal:retention")).content.decode()
    assert "<progress" in page and "job-progress.js" in page
    assert run_jobs() == 2
    with company_scope(company):
        assert not Employee.objects.exists()
        job = Job.objects.get(kind=Job.Kind.RETENTION_SWEEP)
    assert job.result["employees"] == 1
    detail = admin_client.get(reverse("portal:job_detail", args=[job.pk])).content.decode()
    assert "1 personalemappe slettet." in detail
    page = admin_client.get(reverse("portal:retention")).content.decode()
    assert "<progress" not in page and reverse("portal:job_detail", args=[job.pk]) in page


@pytest.mark.django_db
def test_the_job_list_is_paginated_and_its_queries_do_not_grow(
    company, admin_user, admin_client, django_assert_max_num_queries
):
    for _ in range(3):
        make_job(company, created_by=admin_user)
    with django_assert_max_num_queries(15) as small:
        assert admin_client.get(reverse("portal:jobs")).status_code == 200
    for _ in range(40):
        make_job(company, created_by=make_admin(company))
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = admin_client.get(reverse("portal:jobs")).content.decode()
    assert page.count("<tr><td><a href") == 25 and "page=2" in page


@pytest.mark.django_db
def test_operators_list_failed_stuck_and_waiting_jobs(company, capsys):
    now = timezone.now()
    failed = make_job(company, status=Job.Status.FAILED)
    stuck = make_job(company, status=Job.Status.RUNNING, updated_at=now - datetime.timedelta(hours=2))
    make_job(company, status=Job.Status.RUNNING, updated_at=now)  # making progress
    waiting = make_job(company, created_at=now - datetime.timedelta(hours=1))
    make_job(company, status=Job.Status.DONE)
    with pytest.raises(SystemExit) as exit_info:
        call_command("jobs")
    assert exit_info.value.code == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if " job=" in line]
    assert [line.split()[:2] for line in lines] == [
        ["failed", f"job={failed.pk}"],
        ["stuck", f"job={stuck.pk}"],
        ["waiting", f"job={waiting.pk}"],
    ]
    Job.unscoped.filter(pk__in=[failed.pk, stuck.pk, waiting.pk]).delete()
    from cms_pages.newsletter.models import NewsletterIssue

    issue = NewsletterIssue.objects.create(
        subject_da="Nyt",
        body_da="Tekst",
        status=NewsletterIssue.Status.SENDING,
        queued_at=now - datetime.timedelta(hours=1),
        recipients_total=10,
    )
    with pytest.raises(SystemExit):
        call_command("jobs")
    out = capsys.readouterr().out
    assert f"newsletter_issue={issue.pk}" in out and "resume_newsletter_issues" in out
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT)
    call_command("jobs")  # nothing to report: exit code 0
    assert "no failed" in capsys.readouterr().out

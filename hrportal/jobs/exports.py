"""The export of a whole company: every employee's registered fields and files, in one encrypted zip.

It runs as a background job (a company may have 10,000 employees and their documents), writes the zip to
a temporary file entry by entry (memory stays bounded), then stores it encrypted with the company's data
key in the company's document storage folder under a random name, bound by its associated data to this
job. The admin downloads it for `JOB_EXPORT_KEEP_DAYS`; then the retention sweep deletes the file, and
company deletion deletes it with the rest of the folder.

What is in it: `employees.csv` and `employees.xlsx` (the list as in the portal, CPR masked), one JSON file
per employee with every registered personal field and related record (CPR masked there too: the full
number is shown only through the audited reveal), and the employee's documents. Employees whose
processing is restricted are left out (the restriction allows exports to the person only); README.txt
says how many.
"""

import datetime
import json
import tempfile
import zipfile

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config import mail
from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.documents import storage
from hrportal.employees import exporting
from hrportal.jobs.models import Job
from hrportal.jobs.progress import batches
from hrportal.privacy import hooks
from hrportal.privacy.export import export_data
from hrportal.privacy.restriction import restricted_employee_ids
from hrportal.tenancy import company_scope, require_scope_of

BATCH = 100


def aad_for(job) -> bytes:
    return f"company-export|{job.company_id}|{job.uuid}".encode()


def _write_files(archive, employee) -> int:
    files = 0
    for name, content in hooks.employee_files(employee):
        with archive.open(f"employees/{employee.pk}/files/{name}", "w") as entry:
            for chunk in [content] if isinstance(content, bytes) else content:
                entry.write(chunk)
        files += 1
    return files


def _employee_json(employee) -> str:
    data = export_data(employee)
    fields = data["subject"]["fields"]
    if fields.get("cpr"):
        fields["cpr"] = employee.cpr_masked
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)


def build_company_export(company, archive_file, progress) -> dict:
    """Write the company's export zip into `archive_file`; returns counts (for the job and the audit log)."""
    with company_scope(company):
        employees = exporting.employees_for_export()  # restricted employees left out
        progress.begin("employees", len(employees))
        counts = {"employees": 0, "files": 0, "restricted_left_out": len(restricted_employee_ids(company))}
        with zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as archive:
            for batch in batches(employees, BATCH):
                for employee in batch:
                    archive.writestr(f"employees/{employee.pk}/data.json", _employee_json(employee))
                    counts["files"] += _write_files(archive, employee)
                    counts["employees"] += 1
                progress.advance(len(batch))
            archive.writestr("employees.csv", exporting.to_csv(employees))
            archive.writestr("employees.xlsx", exporting.to_xlsx(employees))
            archive.writestr("README.txt", _readme(company, counts))
    return counts


def _readme(company, counts) -> str:
    return (
        f"{company.name} (CVR {company.cvr}) - export {timezone.localtime():%Y-%m-%d %H:%M %Z}\n\n"
        f"Medarbejdere / employees: {counts['employees']}\n"
        f"Filer / files: {counts['files']}\n"
        f"Udeladt pga. begrænsning af behandling / left out, processing restricted: "
        f"{counts['restricted_left_out']}\n\n"
        "employees.csv, employees.xlsx: medarbejderlisten (CPR maskeret) / the employee list (CPR masked)\n"
        "employees/<id>/data.json: alle registrerede personoplysninger / every registered personal field\n"
        "employees/<id>/files/: dokumenter / documents\n"
    )


def run_company_export(job, progress) -> dict:
    company = job.company
    with tempfile.TemporaryFile() as archive_file:
        counts = build_company_export(company, archive_file, progress)
        archive_file.seek(0)
        name, _sha256, size = storage.store_encrypted(company.pk, archive_file, aad_for(job))
    expires = timezone.now() + datetime.timedelta(days=settings.JOB_EXPORT_KEEP_DAYS)
    try:
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk).update(  # the runner's scope: the job's company
                file_name=name, file_size=size, expires_at=expires
            )
            record(
                Action.COMPANY_EXPORT_CREATED,
                company_id=company.pk,
                target_type="jobs.job",
                target_id=str(job.pk),
                details=counts,
            )
    except BaseException:
        storage.delete_quietly(name)  # no row points at it: the retry makes a new one
        raise
    if not updated:  # the company was deleted meanwhile: keep nothing
        storage.delete_quietly(name)
    else:
        _tell_the_starter(job, expires)
    return counts


def _tell_the_starter(job, expires) -> None:
    """Email the admin who started the export that it is ready: a link to the job page, no data."""
    user = job.created_by
    if user is None or not user.is_active:
        return
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        mail.send(
            "hrportal/jobs/emails/export_ready",
            {
                "company": job.company.name,
                "expires": expires,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("portal:job_detail", args=[job.pk]),
            },
            subject=_("Your export of %(company)s is ready") % {"company": job.company.name},
            to=[user.email],
        )


def open_export(job):
    """The decrypted zip in a temporary file (authenticated before the first byte is served)."""
    return storage.decrypt_to_tempfile(job.company_id, job.file_name, aad_for(job))


def export_file_names(company_id):
    """Storage names of the company's export files (the retention sweep keeps these files)."""
    require_scope_of(company_id)
    return Job.objects.values_list("file_name", flat=True)


def delete_expired_exports(*, now=None) -> int:
    """Delete export files past their date (run by the retention sweep). Returns files deleted."""
    from hrportal.jobs.lookup import clear_expired_exports

    return clear_expired_exports(now or timezone.now(), storage.delete_quietly)

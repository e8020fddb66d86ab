"""Long-job benchmark: what a request costs to start a job, and how long the worker takes for a big company.

`python -m benchmarks.jobs` (run by `make bench`). On a throw-away test database, for a company of 1,000 and
of 5,000 employees (each tenth with one stored PDF document), it measures:

* the request that starts a company export (it only queues the job): time and queries;
* the worker running the export (JSON per employee, CSV/XLSX, documents, encryption of the zip): time,
  zip size, and how many progress updates the page could show;
* the worker running the company deletion (employees in batches, files, key destruction).

The results are written to docs/performance.md between the JOBS-BENCHMARK markers.
"""

import time

from benchmarks import measured_on, throwaway_database, write_block

START, END = "<!-- JOBS-BENCHMARK:START -->", "<!-- JOBS-BENCHMARK:END -->"
SIZES = (1000, 5000)


def seed(size):
    from benchmarks.__main__ import make_employees
    from hrportal.employees.models import Employee
    from hrportal.tenancy import company_scope
    from tests.factories import CompanyFactory, make_document

    company = CompanyFactory(name=f"Bench {size} ApS")
    make_employees(company, size)
    with company_scope(company):
        employees = list(Employee.objects.order_by("pk")[::10])
    for employee in employees:
        make_document(company, employee)
    return company, len(employees)


def run_worker():
    from tests.conftest import run_jobs

    t0 = time.perf_counter()
    assert run_jobs() == 1
    return time.perf_counter() - t0


def bench(size):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hrportal.jobs import tasks
    from hrportal.jobs.models import Job
    from hrportal.jobs.progress import JobProgress
    from hrportal.privacy.deletion import begin_deletion
    from hrportal.tenancy import company_scope
    from tests.conftest import login_verified, make_admin, next_code

    company, documents = seed(size)
    admin = make_admin(company)
    client = login_verified(Client(), admin)
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = client.post("/portal/settings/export/", {"code": next_code(admin.totp)})
        start_ms = (time.perf_counter() - t0) * 1000
    assert response.status_code == 302, response.status_code

    updates = []
    original = JobProgress.advance

    def counting(self, count=1):
        updates.append(count)
        original(self, count)

    JobProgress.advance = counting
    try:
        export_s = run_worker()
    finally:
        JobProgress.advance = original
    with company_scope(company):
        job = Job.objects.get(kind=Job.Kind.COMPANY_EXPORT)
    assert job.status == Job.Status.DONE, job.status

    # What the deletion view does once the form is valid (a third fresh code would be out of the TOTP window).
    begin_deletion(company, actor=admin)
    tasks.start(company, Job.Kind.COMPANY_DELETION, user=admin)
    delete_s = run_worker()
    with company_scope(company):
        deletion = Job.objects.get(kind=Job.Kind.COMPANY_DELETION)
    assert deletion.status == Job.Status.DONE, deletion.status
    return {
        "size": size,
        "documents": documents,
        "start_ms": start_ms,
        "start_queries": len(queries.captured_queries),
        "export_s": export_s,
        "zip_mb": job.file_size / 1024 / 1024,
        "updates": len(updates),
        "delete_s": delete_s,
    }


def main():
    rows = []
    with throwaway_database("bench_jobs") as vendor:
        print(f"Database: {vendor}")
        for size in SIZES:
            row = bench(size)
            rows.append(row)
            print(
                f"{size:>6,} employees: start {row['start_ms']:.0f} ms ({row['start_queries']} queries), "
                f"export {row['export_s']:.1f} s ({row['zip_mb']:.1f} MB, {row['updates']} updates), "
                f"deletion {row['delete_s']:.1f} s"
            )
    write_doc(vendor, rows)


def write_doc(vendor, rows):
    lines = [
        measured_on("python -m benchmarks.jobs", vendor) + " Each tenth employee has one stored PDF.",
        "",
        "| employees | request starting the export | export job | zip (encrypted) | progress updates "
        "| deletion job |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['size']:,} | {r['start_ms']:.0f} ms, {r['start_queries']} queries | {r['export_s']:.1f} s "
        f"| {r['zip_mb']:.1f} MB | {r['updates']} | {r['delete_s']:.1f} s |"
        for r in rows
    ]
    write_block(START, END, lines, SECTION)


SECTION = """## Long jobs: company export and deletion

A company's export and its deletion run in the background worker (`hrportal/jobs`), so the request that
starts one only writes a row and queues a task, whatever the company's size. The worker reports progress
after each batch (100 employees for the export, 50 for the deletion), which the job's page polls.

"""


if __name__ == "__main__":
    main()

"""Field encryption and employee list benchmarks.

Runs on a throw-away test database (SQLite in memory, or `test_<name>` on PostgreSQL when DATABASE_URL
is set), with the fixed test keys. Measures AES-GCM encrypt/decrypt per field value, then the employee
list page (time and query count) at 1,000 and 10,000 employees in one company with 100 other companies
present, and writes the table into docs/performance.md between the BENCHMARK markers.
"""

import statistics
import time

from benchmarks import measured_on, throwaway_database, write_block

START, END = "<!-- BENCHMARK:START -->", "<!-- BENCHMARK:END -->"


def timed(fn, repeat, before=None):
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def bench_fields(company, n=20000):
    from hrportal.employees.models import Employee
    from hrportal.encryption import datakeys

    field = Employee._meta.get_field("name")
    aad = field.aad(company.pk, "00000000-0000-0000-0000-000000000000")
    plain = "Karoline Østergaard Sørensen".encode()
    datakeys.encrypt(company.pk, plain, aad)  # warm the key cache
    t0 = time.perf_counter()
    tokens = [datakeys.encrypt(company.pk, plain, aad) for _ in range(n)]
    enc = (time.perf_counter() - t0) / n * 1e6
    t0 = time.perf_counter()
    for token in tokens:
        field.decrypt_raw(token, company.pk, "00000000-0000-0000-0000-000000000000")
    dec = (time.perf_counter() - t0) / n * 1e6
    return enc, dec


def make_employees(company, count, start_at=0):
    import datetime
    import uuid

    from hrportal.employees.cpr import birth_date_from_cpr, cpr_index
    from hrportal.employees.models import Employee
    from hrportal.tenancy import company_scope

    first = [
        "Mette",
        "Lars",
        "Sofie",
        "Anders",
        "Camilla",
        "Rasmus",
        "Ida",
        "Mikkel",
        "Emma",
        "Frederik",
        "Åse",
    ]
    last = [
        "Jensen",
        "Nielsen",
        "Hansen",
        "Pedersen",
        "Andersen",
        "Christensen",
        "Larsen",
        "Sørensen",
        "Østergaard",
    ]
    batch = []
    with company_scope(company):
        for i in range(start_at, start_at + count):
            cpr = f"{1 + i % 28:02d}{1 + (i // 28) % 12:02d}{50 + (i // 336) % 40:02d}-{i % 10000:04d}"
            batch.append(
                Employee(
                    company=company,
                    uuid=uuid.uuid4(),
                    name=f"{first[i % len(first)]} {last[(i // 7) % len(last)]} {i}",
                    cpr=cpr,
                    cpr_index=cpr_index(company.pk, cpr),
                    birth_date=birth_date_from_cpr(cpr),
                    address=f"Vestergade {i % 200}",
                    postal_code="8000",
                    city="Aarhus C",
                    email=f"person{i}@example.test",
                    phone="+45 12 34 56 78",
                    position="Medarbejder",
                    department="Drift",
                    start_date=datetime.date(2000 + i % 24, 1 + i % 12, 1),
                    end_date=datetime.date(2024, 1, 1) if i % 10 == 0 else None,
                )
            )
            if len(batch) == 1000:
                Employee.objects.bulk_create(batch)
                batch = []
        if batch:
            Employee.objects.bulk_create(batch)


def bench_list(client, cpr, company):
    from django.db import connection

    from hrportal.employees.models import Employee, bump_list_version
    from hrportal.tenancy import company_scope

    def change():  # what a bulk write (an import) does: the next request rebuilds the list snapshot
        bump_list_version([company.pk])

    def edit_one():  # what the portal's add/edit/end does: the cached snapshot is patched on commit
        with company_scope(company):
            employee = Employee.objects.order_by("pk").first()
            employee.name = "Rasmus Østergaard " + employee.name.rsplit(" ", 1)[-1]
            employee.save()

    cases = [
        ("list, sorted by name, page 1", {}, None),
        ("list, sorted by name, page 100", {"page": "100"}, None),
        ("list, sorted by start date", {"sort": "start"}, None),
        ("search by name ('sørensen')", {"q": "sørensen"}, None),
        ("search by CPR", {"q": cpr}, None),
        ("list, sorted by name, first request after a bulk change", {}, change),
        ("list, sorted by name, first request after editing one", {}, edit_one),
    ]
    results = []
    for label, params, before in cases:
        if before is not None:
            before()
        client.get("/portal/employees/", params)  # warm up
        if before is not None:
            before()
        executed = []

        def count(execute, sql, params_, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params_, many, context)

        with connection.execute_wrapper(count):
            response = client.get("/portal/employees/", params)
        assert response.status_code == 200, response.status_code
        ms = timed(lambda p=params: client.get("/portal/employees/", p), 7, before) * 1000
        results.append((label, ms, len(executed)))
    return results


def main():
    with throwaway_database("bench") as vendor:
        from django.test import Client

        from tests.conftest import login_verified, make_admin
        from tests.factories import CompanyFactory

        print(f"Database: {vendor}")
        company = CompanyFactory(name="Bench ApS")
        others = [CompanyFactory() for _ in range(100)]
        for other in others:
            make_employees(other, 20)
        enc, dec = bench_fields(company)
        print(f"encrypt {enc:.2f} µs/value, decrypt {dec:.2f} µs/value")
        admin = make_admin(company)
        client = login_verified(Client(), admin)
        rows = []
        make_employees(company, 1000)
        for label, ms, q in bench_list(client, "0101500000", company):
            rows.append((1000, label, ms, q))
            print(f"1,000  {label:40} {ms:7.1f} ms {q:3} queries")
        make_employees(company, 9000, start_at=1000)
        for label, ms, q in bench_list(client, "0101500000", company):
            rows.append((10000, label, ms, q))
            print(f"10,000 {label:40} {ms:7.1f} ms {q:3} queries")
    write_doc(vendor, enc, dec, rows)


def write_doc(vendor, enc, dec, rows):
    lines = [
        measured_on("make bench", vendor) + " 100 other companies with 20 employees each present.",
        "",
        "| measurement | value |",
        "|---|---|",
        f"| encrypt one field value (AES-256-GCM, cached data key) | {enc:.2f} µs |",
        f"| decrypt one field value | {dec:.2f} µs |",
        "",
        "| employees in the company | page | median time | queries |",
        "|---|---|---|---|",
    ]
    lines += [f"| {n:,} | {label} | {ms:.1f} ms | {q} |" for n, label, ms, q in rows]
    write_block(START, END, lines)


if __name__ == "__main__":
    main()

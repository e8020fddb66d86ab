"""No plaintext at rest (SQL and pg_dump), no full CPR on any page, another company's ids are 404."""

import os
import re
import shutil
import subprocess

import pytest
from django.db import connection

from hrportal.employees.models import Employee
from hrportal.tenancy import company_scope
from tests.factories import make_employee

KNOWN = {
    "name": "Ingeborg Skjoldbjærg",
    "cpr": "240386-1357",
    "email": "ingeborg.skjold@example.dk",
    "address": "Vesterbrogade 117",
    "phone": "+45 28 44 19 73",
    "notes": "Særlige hensyn ved ferie",
}
PLAINTEXTS = [
    "Ingeborg",
    "Skjoldbj",
    "240386-1357",
    "2403861357",
    "ingeborg.skjold",
    "Vesterbrogade",
    "28 44 19 73",
    "Særlige hensyn",
]


@pytest.fixture
def known_employee(company):
    return make_employee(company, **KNOWN)


def test_raw_sql_of_the_employee_table_has_no_plaintext(known_employee):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM employees_employee")
        dump = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM encryption_datakey")
        dump += repr(cursor.fetchall())
    for value in PLAINTEXTS:
        assert value not in dump
        assert value.encode().hex() not in dump
    with company_scope(known_employee.company):
        assert Employee.objects.get().name == KNOWN["name"]  # and it is still readable


@pytest.mark.django_db(transaction=True)
def test_pg_dump_has_no_plaintext(company, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL (set DATABASE_URL); SQLite is covered by the raw SQL test")
    pg_dump = shutil.which("pg_dump") or "/usr/bin/pg_dump"
    make_employee(company, **KNOWN)  # committed: transactional test
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    out = tmp_path / "dump.sql"
    subprocess.run(
        [
            pg_dump,
            "--host",
            settings.get("HOST") or "127.0.0.1",
            "--port",
            str(settings.get("PORT") or 5432),
            "--username",
            settings.get("USER") or "postgres",
            "--no-password",
            "--file",
            str(out),
            settings["NAME"],
        ],
        check=True,
        env=env,
        timeout=120,
    )
    dump = out.read_text(encoding="utf-8", errors="replace")
    assert "employees_employee" in dump and "v1.dk" in dump  # the data is there, sealed
    for value in PLAINTEXTS:
        assert value not in dump


FULL_CPR = re.compile(r"\b\d{6}-?\d{4}\b")


def test_crawl_employee_pages_as_admin_shows_no_full_cpr(admin_client, company):
    employees = [
        make_employee(company, name="Crawl One", cpr="010170-1234"),
        make_employee(company, name="Crawl Two", cpr="020280-4321", end_date=None),
    ]
    cprs = ["010170-1234", "0101701234", "020280-4321", "0202804321"]
    seen, queue = set(), ["/portal/", "/portal/employees/"]
    pages = 0
    while queue:
        url = queue.pop()
        if url in seen or "/logout" in url or "/language" in url:
            continue
        seen.add(url)
        response = admin_client.get(url)
        if response.status_code != 200:
            continue
        pages += 1
        body = response.content.decode("utf-8", errors="replace")
        for cpr in cprs:
            assert cpr not in body, f"full CPR on {url}"
        if response["Content-Type"].startswith("text/html"):
            for link in re.findall(r'href="(/portal/employees/[^"#]*)"', body):
                queue.append(link.replace("&amp;", "&"))
    assert pages >= 8
    for employee in employees:
        assert f"/portal/employees/{employee.pk}/cpr/" in seen


def employee_urls(pk):
    return [
        ("get", f"/portal/employees/{pk}/", None),
        ("get", f"/portal/employees/{pk}/edit/", None),
        ("post", f"/portal/employees/{pk}/edit/", {"name": "Hacked", "cpr": "", "start_date": "2020-01-01"}),
        ("get", f"/portal/employees/{pk}/end/", None),
        ("post", f"/portal/employees/{pk}/end/", {"end_date": "2024-01-01"}),
        ("get", f"/portal/employees/{pk}/cpr/", None),
        ("post", f"/portal/employees/{pk}/cpr/", {"code": "123456", "reason": "payroll"}),
    ]


def test_other_companys_employee_ids_are_404_get_and_post(other_admin_client, company):
    victim = make_employee(company, name="Victim Person", cpr="010170-1234")
    for method, url, data in employee_urls(victim.pk):
        response = getattr(other_admin_client, method)(url, data or {}, follow=True)
        assert response.status_code == 404, (method, url)
        assert "Victim" not in response.content.decode()
    with company_scope(company):
        fresh = Employee.objects.get(pk=victim.pk)
    assert fresh.name == "Victim Person" and fresh.end_date is None
    body = other_admin_client.post("/portal/employees/", {"q": "010170-1234"}, follow=True).content.decode()
    assert "Victim" not in body
    assert "Victim" not in other_admin_client.get("/portal/employees/export.csv").content.decode("utf-8-sig")


def test_nonexistent_ids_are_404(admin_client, company):
    for method, url, data in employee_urls(999999):
        assert getattr(admin_client, method)(url, data or {}, follow=True).status_code == 404


def test_anonymous_and_unverified_users_get_no_employee_page(client, admin_user, company):
    from tests.conftest import login_password_only

    employee = make_employee(company, name="Private Person")
    for url in ("/portal/employees/", f"/portal/employees/{employee.pk}/", "/portal/employees/export.csv"):
        assert "Private Person" not in client.get(url, follow=True).content.decode("utf-8", "replace")
    login_password_only(client, admin_user)
    for url in ("/portal/employees/", f"/portal/employees/{employee.pk}/"):
        assert "Private Person" not in client.get(url, follow=True).content.decode()

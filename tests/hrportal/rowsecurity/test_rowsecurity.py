"""The second wall (issue #13): PostgreSQL row-level security, tried with raw SQL as the application role.

These tests run without the suite's harness (`strict_rls`): like a request or a job, they see the
database through the application role and the scope they open, nothing else. PostgreSQL only.
"""

import subprocess

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.documents.models import ContractCoverage
from hrportal.employees.snapshot import current_version
from hrportal.rowsecurity.policies import EXCLUDED_TABLES, OTHER_TABLES, row_secured_tables
from hrportal.tenancy import TenantModel, company_scope
from tests.factories import (
    CompanyFactory,
    InvitationFactory,
    gdpr_acceptance,
    gdpr_invoice,
    gdpr_request,
    make_document,
    make_employee,
    make_job,
)

pytestmark = [
    pytest.mark.strict_rls,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="row-level security is PostgreSQL's (SQLite has the scoped manager only)",
    ),
]


def company_tables():
    """The table of every concrete model with a field named `company` (a key to companies.Company) or
    `company_id`, whether or not it is a TenantModel: what must be under the policies or excluded."""
    from hrportal.companies.models import Company

    tables = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            to_company = field.name == "company" and field.is_relation and field.related_model is Company
            if to_company or field.name == "company_id" or field.attname == "company_id":
                tables.add(model._meta.db_table)
    return tables


def tenant_tables():
    """Every TenantModel's table, and the other tables under the same policies (policies.OTHER_TABLES)."""
    tables = {m._meta.db_table for m in apps.get_models() if issubclass(m, TenantModel) and not m._meta.proxy}
    assert tables | set(OTHER_TABLES) == set(row_secured_tables())  # what check_row_security checks too
    return sorted(tables | set(OTHER_TABLES))


def test_every_table_with_a_company_column_is_row_secured_or_excluded_with_a_reason():
    """A new model with a `company` or `company_id` field, TenantModel or not, fails here until it has
    `EnableRowSecurity` in a hrportal.rowsecurity migration (and is in row_secured_tables()) or is listed in
    policies.EXCLUDED_TABLES with the reason it cannot be."""
    secured, excluded = set(row_secured_tables()), set(EXCLUDED_TABLES)
    unaccounted = sorted(company_tables() - secured - excluded)
    assert not unaccounted, (
        f"tables with a company column but no row-level security and no reason: {unaccounted}; add "
        "EnableRowSecurity(...) in a hrportal.rowsecurity migration or a reason in policies.EXCLUDED_TABLES"
    )
    assert not secured & excluded, f"both secured and excluded: {sorted(secured & excluded)}"
    assert excluded <= company_tables(), f"stale exclusions: {sorted(excluded - company_tables())}"
    assert all(len(reason) > 40 for reason in EXCLUDED_TABLES.values())  # a reason, not a placeholder


@pytest.mark.django_db
def test_the_excluded_tables_have_no_row_security_and_every_other_company_table_has_it():
    """pg_class agrees with the lists: excluded tables are plainly readable, none is half-secured."""
    flags = {
        name: (enabled, forced)
        for name, enabled, forced in raw(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY(%s)",
            [sorted(company_tables())],
        )
    }
    assert {t: flags[t] for t in EXCLUDED_TABLES} == dict.fromkeys(EXCLUDED_TABLES, (False, False))
    assert all(flags[t] == (True, True) for t in company_tables() - set(EXCLUDED_TABLES))


def fill(company):
    """One row or more of the company in most tenant tables, written in its scope as the portal does."""
    with company_scope(company):
        employee = make_employee(company, name=f"Ansat i {company.name}")
        document = make_document(company, employee=employee)
        ContractCoverage.objects.create(document=document, items=["parties"])
        gdpr_request(company, employee=employee)
        gdpr_acceptance(company)
        gdpr_invoice(company)
        InvitationFactory(company=company)
        make_job(company)
        record(Action.EMPLOYEE_CREATED, company=company, target=employee)  # an event and its chain's anchor
        current_version(company.pk)  # the employee list version, created on the list's first read
    record(Action.LOGIN_FAILED)  # an event of no company, written through the audit log's door
    return employee


@pytest.fixture
def two_companies(db):
    a, b = CompanyFactory(name="A ApS"), CompanyFactory(name="B ApS")
    return a, b, fill(a), fill(b)


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rows_per_company(table):
    column = OTHER_TABLES.get(table, "company_id")
    return dict(raw(f'SELECT "{column}", count(*) FROM "{table}" GROUP BY "{column}"'))


@pytest.mark.django_db
def test_the_suite_runs_as_the_application_role_not_as_owner_or_superuser():
    (user, superuser, bypass), *_ = raw(
        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )
    assert user == settings.DATABASE_APP_ROLE
    assert (superuser, bypass) == (False, False)
    owners = raw("SELECT DISTINCT tableowner FROM pg_tables WHERE tablename = ANY(%s)", [tenant_tables()])
    assert user not in {owner for (owner,) in owners}


@pytest.mark.django_db
def test_every_tenant_table_has_forced_row_security_and_its_policies():
    """A new TenantModel without `EnableRowSecurity` in a hrportal.rowsecurity migration fails here."""
    tables = tenant_tables()
    flags = {
        name: (enabled, forced)
        for name, enabled, forced in raw(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY(%s)",
            [tables],
        )
    }
    policies = {}
    for table, name, cmd, qual, check in raw(
        "SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies WHERE tablename = ANY(%s)",
        [tables],
    ):
        policies.setdefault(table, {})[name] = (cmd, qual, check)
    missing = [
        t
        for t in tables
        if flags.get(t) != (True, True) or set(policies.get(t, {})) != {"tenant_isolation", "cross_company"}
    ]
    assert not missing, f"add EnableRowSecurity(...) in a hrportal.rowsecurity migration for: {missing}"
    for table in tables:
        cmd, qual, check = policies[table]["tenant_isolation"]
        assert cmd == "ALL" and "ansatte.company_id" in qual and "ansatte.company_id" in check, table


@pytest.mark.django_db
def test_without_a_company_every_tenant_table_shows_no_rows(two_companies):
    for table in tenant_tables():
        assert raw(f'SELECT count(*) FROM "{table}"') == [(0,)], table


@pytest.mark.django_db
def test_with_company_a_only_as_rows_are_visible(two_companies):
    a, b, _ea, _eb = two_companies
    seen = {}
    with company_scope(a):
        for table in tenant_tables():
            per_company = rows_per_company(table)
            assert set(per_company) <= {a.pk}, f"{table} shows another company's rows: {per_company}"
            seen[table] = per_company.get(a.pk, 0)
    filled = {
        "employees_employee",
        "documents_document",
        "documents_contractcoverage",
        "privacy_datasubjectrequest",
        "billing_invoice",
        "privacy_dpaacceptance",
        "companies_invitation",
        "jobs_job",
        "audit_auditevent",
        "audit_auditchainanchor",
        "employees_employeelistversion",
    }
    assert all(seen[table] > 0 for table in filled), (
        seen
    )  # A's rows are there: it is isolation, not emptiness


@pytest.mark.django_db
def test_inserting_or_moving_a_row_into_another_company_is_refused(two_companies):
    a, b, employee_a, employee_b = two_companies
    with company_scope(a):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            raw(
                "INSERT INTO jobs_job (uuid, company_id, kind, status, step, total, done, result, file_name,"
                " file_size, created_at) VALUES (gen_random_uuid(), %s, 'company_export', 'queued', '', 0, 0,"
                " '{}', '', 0, now()) RETURNING id",
                [b.pk],
            )
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            raw(
                "UPDATE employees_employee SET company_id = %s WHERE id = %s RETURNING id",
                [b.pk, employee_a.pk],
            )
        # B's row cannot even be found to change or delete: 0 rows, and it is unchanged.
        assert (
            raw("UPDATE employees_employee SET end_date = now() WHERE id = %s RETURNING id", [employee_b.pk])
            == []
        )
        assert raw("DELETE FROM employees_employee WHERE id = %s RETURNING id", [employee_b.pk]) == []
    with company_scope(b):
        assert raw("SELECT end_date FROM employees_employee WHERE id = %s", [employee_b.pk]) == [(None,)]


@pytest.mark.django_db
def test_a_raw_cursor_that_forgot_company_scope_reads_and_writes_nothing(two_companies):
    a, _b, employee_a, _eb = two_companies
    with company_scope(a):
        assert raw("SELECT count(*) FROM employees_employee WHERE id = %s", [employee_a.pk]) == [(1,)]
    # The scope has ended (as at the end of a request): the same SQL now finds nothing, and writes nothing.
    assert raw("SELECT count(*) FROM employees_employee WHERE id = %s", [employee_a.pk]) == [(0,)]
    assert raw("DELETE FROM employees_employee WHERE id = %s RETURNING id", [employee_a.pk]) == []
    with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        raw(
            "INSERT INTO privacy_retentionpolicy (company_id, years_after_employment, updated_at)"
            " VALUES (%s, 5, now())",
            [a.pk],
        )


@pytest.mark.django_db(transaction=True)
def test_the_job_runner_works_under_row_security_through_its_listed_door():
    """The worker has only a job id: it finds the job through cross_company, then runs in its scope."""
    from hrportal.jobs.lookup import job_by_id
    from hrportal.jobs.tasks import run_job

    company = CompanyFactory()
    with company_scope(company):
        job = make_job(company, kind="retention_sweep")
    assert run_job.call(job.pk) == "done"
    assert job_by_id(job.pk).status == "done"


@pytest.mark.django_db
def test_pg_dump_as_the_application_role_fails():
    """Backups need a role with BYPASSRLS (docs/security.md): as the application role pg_dump refuses."""
    db = connection.settings_dict
    result = subprocess.run(
        [
            "pg_dump",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            f"--role={settings.DATABASE_APP_ROLE}",
            "--data-only",
            "-t",
            "employees_employee",
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "row-level security" in result.stderr or "permission denied" in result.stderr, result.stderr


@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads them from its own connection
def test_backups_run_as_the_backup_role_which_reads_every_company_and_writes_nothing():
    """The backup role (BYPASSRLS, SELECT only; docs/security.md) dumps both companies' rows, still sealed."""
    import psycopg

    from hrportal.rowsecurity.roles import BACKUP_ROLE, setup_backup_role
    from tests.conftest import as_database_owner

    a, b = CompanyFactory(name="A ApS"), CompanyFactory(name="B ApS")
    employee_a, employee_b = fill(a), fill(b)
    with transaction.atomic(), connection.cursor() as cursor, as_database_owner(cursor):
        setup_backup_role(cursor)  # as a DBA does once (a superuser creates BYPASSRLS roles)
    db = connection.settings_dict
    result = subprocess.run(
        ["pg_dump", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", BACKUP_ROLE]
        + ["--no-password", "--data-only", "-t", "employees_employee", db["NAME"]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    copied = result.stdout.split("COPY public.employees_employee ", 1)[1].split("\n\\.\n", 1)[0]
    ids = {int(line.split("\t", 1)[0]) for line in copied.splitlines()[1:]}
    assert {employee_a.pk, employee_b.pk} <= ids  # every company's rows: a backup that can be restored
    assert "Ansat i" not in result.stdout  # names stay sealed under the companies' keys
    with (
        psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=BACKUP_ROLE, dbname=db["NAME"]
        ) as backup,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        backup.execute("DELETE FROM employees_employee")


@pytest.mark.django_db(transaction=True)  # as in production: the view's transaction is ATOMIC_REQUESTS' own
def test_after_a_portal_request_the_connection_has_no_company_and_the_application_role(company, admin_user):
    """The connection the next request (or job) gets shows no company's rows and has the application role."""
    from django.test import Client

    from tests.conftest import login_verified

    with company_scope(company):
        make_employee(company, name="Ansat")
        current_version(company.pk)
    client = login_verified(Client(), admin_user)
    response = client.get("/portal/employees/")
    assert response.status_code == 200
    assert "Ansat" in response.content.decode()  # the request saw its company's rows
    assert raw("SELECT coalesce(current_setting('ansatte.company_id', true), ''), current_user") == [
        ("", settings.DATABASE_APP_ROLE)
    ]
    assert raw("SELECT count(*) FROM employees_employee") == [(0,)]
    assert raw("SELECT count(*) FROM employees_employeelistversion") == [(0,)]


@pytest.mark.django_db(transaction=True)
def test_a_requests_company_ends_with_its_transaction_even_without_the_reset(
    company, admin_user, monkeypatch
):
    """The middleware opens the request's transaction before the scope, so the company is set
    transaction-locally: with the scope's reset taken away (as if it had been skipped), nothing of the
    request's company is left on the connection. Set for the session, it would still be there."""
    from django.test import Client

    from hrportal.rowsecurity import session
    from tests.conftest import login_verified

    with company_scope(company):
        make_employee(company, name="Ansat")
    client = login_verified(Client(), admin_user)
    real_execute, seen = session._execute, []

    def without_reset(connection, state, local):
        seen.append((state, local))
        if state != session.NO_COMPANY:
            real_execute(connection, state, local)

    monkeypatch.setattr(session, "_execute", without_reset)
    response = client.get("/portal/employees/")
    assert response.status_code == 200
    assert "Ansat" in response.content.decode()
    assert (("app", str(company.pk)), True) in seen  # set inside the request's transaction
    assert raw("SELECT coalesce(current_setting('ansatte.company_id', true), ''), current_user") == [
        ("", settings.DATABASE_APP_ROLE)
    ]
    assert raw("SELECT count(*) FROM employees_employee") == [(0,)]

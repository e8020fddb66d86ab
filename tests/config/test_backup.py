"""The backup and the verified restore (issue 15): the real scripts against this test database.

A backup is only a backup once it restores: `scripts/restore_check.py` must pass on a fresh dump, and must
fail, naming the step, when the master key is wrong or an audit event was altered.
"""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from hrportal.audit.log import record
from hrportal.audit.models import Action
from tests.factories import CompanyFactory, make_employee

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="backups are pg_dump/pg_restore: PostgreSQL only"
    ),
    # The tests only run the scripts, but `dumps` commits rows and flushes the database at the end, which
    # also removes what the migrations wrote (the Wagtail Site, the locales). Marked transactional, the
    # module is ordered with the transactional tests, after every test that reads those rows (pytest-django
    # runs them last): as a plain django_db module it ran mid-suite and broke the tests after it (CI).
    pytest.mark.django_db(transaction=True),
]


def _url(user: str) -> str:
    db = connection.settings_dict
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(**extra) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_OWNER_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        ENCRYPTION_MASTER_KEYS=settings.ENCRYPTION_MASTER_KEYS,
        BLIND_INDEX_MASTER_KEY=settings.BLIND_INDEX_MASTER_KEY,
        AUDIT_CHAIN_KEY=settings.AUDIT_CHAIN_KEY,
    )
    env.update(extra)
    return env


def _backup(target: Path) -> Path:
    """Run the real backup script as the backup role; returns the one dump it wrote into `target`."""
    from hrportal.rowsecurity.roles import BACKUP_ROLE

    env = _env(BACKUP_DATABASE_URL=_url(BACKUP_ROLE), BACKUP_DIR=str(target))
    backup = subprocess.run(
        [sys.executable, "scripts/backup.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert backup.returncode == 0, backup.stderr
    (dump,) = target.glob("ansatte-*.dump")
    return dump


def _restore_check(dump: Path, **extra):
    owner = connection.settings_dict["USER"]
    env = _env(DATABASE_OWNER_URL=_url(owner), **extra)
    return subprocess.run(
        [sys.executable, "scripts/restore_check.py", str(dump)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def dumps(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two backups by the real script of one company's committed rows (pg_dump reads them from its own
    connection): `clean` as the data was written, `forged` after one audit event was altered in the database.
    Made once for the module: each test restores the dump it needs, the backups are the same every time.
    The rows are flushed at the end, as a transactional test's would be."""
    from django.core.management import call_command

    from hrportal.rowsecurity.roles import setup_backup_role
    from hrportal.tenancy import company_scope
    from tests.conftest import as_database_owner

    with django_db_blocker.unblock():
        try:
            company = CompanyFactory(name="Backup ApS")
            make_employee(company)
            with company_scope(company):
                record(Action.EMPLOYEE_CREATED, company=company, target_type="employee", target_id="1")
            with transaction.atomic(), connection.cursor() as cursor, as_database_owner(cursor):
                setup_backup_role(cursor)
            clean = _backup(tmp_path_factory.mktemp("clean"))
            with transaction.atomic(), connection.cursor() as cursor, as_database_owner(cursor):
                cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
                cursor.execute(
                    "UPDATE audit_auditevent SET target_id = 'forged' "
                    "WHERE id = (SELECT max(id) FROM audit_auditevent)"
                )
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
            forged = _backup(tmp_path_factory.mktemp("forged"))
            yield {"clean": clean, "forged": forged}
        finally:
            # What a transactional test's teardown runs (TransactionTestCase._fixture_teardown).
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False)


def test_restore_check_passes_on_a_fresh_backup(dumps):
    result = _restore_check(dumps["clean"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "restore check: passed" in result.stdout
    assert "encrypted values opened" in result.stdout


def test_restore_check_fails_with_a_wrong_master_key(dumps):
    key_id = settings.ENCRYPTION_MASTER_KEYS.split(",")[0].split(":")[0]
    wrong = f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"
    result = _restore_check(dumps["clean"], ENCRYPTION_MASTER_KEYS=wrong)
    assert result.returncode != 0
    assert "FAILED at step: sample rows decrypt" in result.stderr


def test_restore_check_fails_when_an_audit_event_was_altered(dumps):
    result = _restore_check(dumps["forged"])
    assert result.returncode != 0
    assert "FAILED at step: verify_audit_log" in result.stderr

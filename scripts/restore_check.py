#!/usr/bin/env python3
"""Verify a backup by restoring it (issue 15): a dump that was never restored is not a backup.

    DATABASE_OWNER_URL=postgres://postgres@127.0.0.1:5432/postgres  (a role that may CREATE DATABASE)
    ENCRYPTION_MASTER_KEYS=... BLIND_INDEX_MASTER_KEY=... AUDIT_CHAIN_KEY=...  (from the key holders)
    .venv/bin/python scripts/restore_check.py var/backups/ansatte-20261204T020000Z.dump [--sample 20]

Steps, each named when it fails (exit code 1): create a scratch database, pg_restore the dump into it,
`migrate --check` (the dump matches this code's migrations), open every encrypted field of up to N rows of
every company with the configured master keys (a wrong or missing key fails), `verify_audit_log` (an event
altered in the dump breaks its chain), then drop the scratch database whatever happened.
"""

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SAMPLE_CODE = """
from hrportal.companies.models import Company
from hrportal.encryption.fields import encrypted_fields
from hrportal.encryption.rotation import tenant_models_with_encrypted_fields
from hrportal.tenancy import company_scope
opened = 0
for company in Company.objects.order_by("pk"):
    with company_scope(company):
        for model in tenant_models_with_encrypted_fields():
            for row in model.objects.order_by("pk")[:{sample}]:
                for field in encrypted_fields(model):
                    getattr(row, field.attname)  # raises DecryptionError on a wrong key or altered value
                    opened += 1
print(f"restore check: {{opened}} encrypted values opened")
"""


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def app_url(admin_url: str, name: str) -> str:
    """The scratch database as the application role (RESTORE_APP_ROLE, default ansatte_app; its password,
    if the cluster asks for one, in RESTORE_APP_PASSWORD)."""
    parts = urlsplit(admin_url)
    user = os.environ.get("RESTORE_APP_ROLE", "ansatte_app")
    password = os.environ.get("RESTORE_APP_PASSWORD", "")
    host = parts.hostname or "127.0.0.1"
    netloc = f"{user}{':' + password if password else ''}@{host}{':' + str(parts.port) if parts.port else ''}"
    return urlunsplit(parts._replace(netloc=netloc, path="/" + name))


def step(name: str, args: list[str], env: dict) -> None:
    print(f"restore check: {name}", flush=True)
    result = subprocess.run(args, cwd=ROOT, env=env)  # noqa: S603 - fixed arguments
    if result.returncode != 0:
        raise SystemExit(f"restore check FAILED at step: {name} (exit code {result.returncode})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", type=Path)
    parser.add_argument("--sample", type=int, default=20, help="rows per model and company to decrypt")
    options = parser.parse_args(argv)
    admin_url = os.environ.get("DATABASE_OWNER_URL", "")
    if not admin_url.startswith("postgres"):
        sys.exit("restore check FAILED at step: configuration (set DATABASE_OWNER_URL, a role with CREATEDB)")
    if not options.dump.is_file():
        sys.exit(f"restore check FAILED at step: configuration (no dump at {options.dump})")
    scratch = f"ansatte_restore_{secrets.token_hex(4)}"
    maintenance = with_database(admin_url, "postgres")
    scratch_url = with_database(admin_url, scratch)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_OWNER_URL"}
    env["DATABASE_URL"] = scratch_url
    # The checks run as the application role, under row-level security, as production reads the data.
    app_env = dict(env, DATABASE_URL=app_url(admin_url, scratch))
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    step("create scratch database", ["psql", maintenance, "-qc", f'CREATE DATABASE "{scratch}"'], env)
    try:
        step(
            "pg_restore",
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                f"--dbname={scratch_url}",
                str(options.dump),
            ],
            env,
        )
        # The dump carries no grants (--no-acl): give the scratch database the role split again.
        owner_env = dict(app_env, DATABASE_OWNER_URL=scratch_url)
        step("setup_database_roles", [PYTHON, "manage.py", "setup_database_roles"], owner_env)
        step("migrate --check", [PYTHON, "manage.py", "migrate", "--check", "--noinput"], owner_env)
        step(
            "sample rows decrypt",
            [PYTHON, "manage.py", "shell", "-c", SAMPLE_CODE.format(sample=options.sample)],
            app_env,
        )
        step("verify_audit_log", [PYTHON, "manage.py", "verify_audit_log"], app_env)
    finally:
        subprocess.run(  # noqa: S603
            ["psql", maintenance, "-qc", f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'],  # noqa: S607
            cwd=ROOT,
            env=env,
        )
    print("restore check: passed")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Verify a backup by restoring it (issue 15): a dump that was never restored is not a backup.

    DATABASE_OWNER_URL=postgres://postgres@127.0.0.1:5432/postgres  (a role that may CREATE DATABASE)
    ENCRYPTION_MASTER_KEYS=... BLIND_INDEX_MASTER_KEY=... AUDIT_CHAIN_KEY=...  (from the key holders)
    .venv/bin/python scripts/restore_check.py var/backups/ansatte-20261204T020000Z.dump [--sample 20]

Steps, each named when it fails (exit code 1): create a scratch database, pg_restore the dump into it,
`migrate --check` (the dump matches this code's migrations), open every encrypted field of up to N rows of
every company with the configured master keys (a wrong or missing key fails), `verify_audit_log` (an event
altered in the dump breaks its chain), then drop the scratch database whatever happened.

The four Django steps run in two processes, one per role (the owner's two, then the application role's
two), not one `manage.py` each: starting Django is most of a step's time.
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

OWNER_STEPS = ("setup_database_roles", "migrate --check")
APP_STEPS = ("sample rows decrypt", "verify_audit_log")


def sample_rows_decrypt(sample: int) -> None:
    from hrportal.companies.models import Company
    from hrportal.encryption.fields import encrypted_fields
    from hrportal.encryption.rotation import tenant_models_with_encrypted_fields
    from hrportal.tenancy import company_scope

    opened = 0
    for company in Company.objects.order_by("pk"):
        with company_scope(company):
            for model in tenant_models_with_encrypted_fields():
                for row in model.objects.order_by("pk")[:sample]:
                    for field in encrypted_fields(model):
                        getattr(row, field.attname)  # raises DecryptionError on a wrong key or altered value
                        opened += 1
    print(f"restore check: {opened} encrypted values opened")


def run_django_steps(names: tuple[str, ...], sample: int) -> None:
    """In the child process: set Django up once and run `names` in order, stopping at the first failure."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    actions = {
        "setup_database_roles": lambda: call_command("setup_database_roles"),
        "migrate --check": lambda: call_command("migrate", check_unapplied=True, interactive=False),
        "sample rows decrypt": lambda: sample_rows_decrypt(sample),
        "verify_audit_log": lambda: call_command("verify_audit_log"),
    }
    for name in names:
        print(f"restore check: {name}", flush=True)
        try:
            actions[name]()
        except SystemExit as exc:  # migrate --check exits 1 on an unapplied migration
            if exc.code not in (None, 0):
                raise SystemExit(f"restore check FAILED at step: {name} (exit code {exc.code})") from None
        except Exception as exc:  # the step's name and the error are the report
            print(f"{type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            raise SystemExit(f"restore check FAILED at step: {name} ({type(exc).__name__})") from None


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


def django_steps(names: tuple[str, ...], sample: int, env: dict) -> None:
    """Run Django steps in one child process; it names its own failed step (on stderr) and exits 1."""
    args = [PYTHON, __file__, "--django-steps", ",".join(names), "--sample", str(sample), "-"]
    result = subprocess.run(args, cwd=ROOT, env=env)  # noqa: S603 - fixed arguments
    if result.returncode != 0:
        raise SystemExit(1)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", type=Path)
    parser.add_argument("--sample", type=int, default=20, help="rows per model and company to decrypt")
    parser.add_argument("--django-steps", help=argparse.SUPPRESS)  # internal: the child process
    options = parser.parse_args(argv)
    if options.django_steps:
        run_django_steps(tuple(options.django_steps.split(",")), options.sample)
        return
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
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    # The checks run as the application role, under row-level security, as production reads the data.
    app_env = dict(env, DATABASE_URL=app_url(admin_url, scratch))
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
        django_steps(OWNER_STEPS, options.sample, owner_env)
        django_steps(APP_STEPS, options.sample, app_env)
    finally:
        subprocess.run(  # noqa: S603
            ["psql", maintenance, "-qc", f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'],  # noqa: S607
            cwd=ROOT,
            env=env,
        )
    print("restore check: passed")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Nightly backup (issue 15): pg_dump as the read-only BYPASSRLS role `ansatte_backup`, timestamped.

    BACKUP_DATABASE_URL=postgres://ansatte_backup:...@127.0.0.1:5432/ansatte BACKUP_DIR=/var/backups/ansatte \
        .venv/bin/python scripts/backup.py

Why the backup role and not the owner: the owner is under FORCE ROW LEVEL SECURITY (pg_dump refuses or
silently needs a superuser), and a backup must never be able to write; `ansatte_backup` reads every row and
writes nothing (`manage.py setup_database_roles --backup-role`). The dump holds ciphertext and wrapped data
keys only: the master keys (ENCRYPTION_MASTER_KEYS, BLIND_INDEX_MASTER_KEY, AUDIT_CHAIN_KEY) live in the
environment file, never in the database, so they are never in a dump. With DOCUMENTS_S3_BUCKET the HR files'
backup is the bucket's versioning and lifecycle; with local files, PRIVATE_STORAGE_ROOT is copied beside the
dump (the files are encrypted). Dumps older than BACKUP_KEEP_DAYS (35) are deleted.
"""

import datetime
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def fail(step: str, detail: str = "") -> None:
    sys.exit(f"backup FAILED at step: {step}{': ' + detail if detail else ''}")


def main() -> Path:
    url = os.environ.get("BACKUP_DATABASE_URL", "")
    if not url.startswith("postgres"):
        fail("configuration", "set BACKUP_DATABASE_URL (postgres://ansatte_backup@host:port/db)")
    target = Path(os.environ.get("BACKUP_DIR", "var/backups"))
    keep_days = int(os.environ.get("BACKUP_KEEP_DAYS", "35"))
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    dump = target / f"ansatte-{stamp}.dump"
    print(f"backup: pg_dump into {dump}", flush=True)
    partial = dump.with_suffix(".dump.partial")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={partial}", url]  # noqa: S607
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        fail("pg_dump", f"exit code {result.returncode}")
    partial.rename(dump)
    private = os.environ.get("PRIVATE_STORAGE_ROOT", "")
    if private and not os.environ.get("DOCUMENTS_S3_BUCKET") and Path(private).is_dir():
        print(f"backup: copying encrypted files from {private}", flush=True)
        shutil.copytree(private, target / f"ansatte-{stamp}.files")
    cutoff = time.time() - keep_days * 86400
    for old in target.glob("ansatte-*"):
        if old.stat().st_mtime < cutoff:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    print(f"backup: done {dump}")
    return dump


if __name__ == "__main__":
    main()

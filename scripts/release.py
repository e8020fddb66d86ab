#!/usr/bin/env python3
"""The one step an operator runs on each release, from the new checkout, with the production environment:

    set -a; . /etc/ansatte/ansatte.env; set +a
    DATABASE_OWNER_URL=postgres://ansatte_owner:...@127.0.0.1:5432/ansatte .venv/bin/python scripts/release.py
    ... scripts/release.py --first-editor ops@example.com     # the first release, once

In order: compile translations, collect static files, migrate as the owner role (DATABASE_OWNER_URL; the
project's `migrate` connects as the owner and refreshes the application role's grants), on PostgreSQL
`check_row_security` as the application role, then `check --deploy`.
With `--first-editor` (first release): point the Wagtail Site at PUBLIC_ORIGIN's host and port, and create
the first editor with an authenticator enrolled, so nobody ever logs in without two factors (password and
TOTP secret printed once). `--site-only` just sets the Site's host names again. Each step is its own
manage.py process; the first that fails stops the release and is named.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run(step, *args, env):
    print(f"release: {step}", flush=True)
    result = subprocess.run([PYTHON, *args], cwd=ROOT, env=env)  # noqa: S603 - fixed arguments
    if result.returncode != 0:
        sys.exit(f"release FAILED at step: {step} (exit code {result.returncode})")


def first_release(option: str, env, argument: str = "") -> None:
    code = f"from scripts.first_release import {option}; {option}({argument!r})"
    run(f"first release: {option.replace('_', ' ')}", "manage.py", "shell", "-c", code, env=env)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first-editor", metavar="EMAIL", help="first release: create this editor")
    parser.add_argument("--site-only", action="store_true", help="only set the Wagtail Site's host names")
    options = parser.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    if options.site_only:
        first_release("set_site", env)
        return
    if env.get("DATABASE_URL", "").startswith("postgres") and not env.get("DATABASE_OWNER_URL"):
        sys.exit("release FAILED: set DATABASE_OWNER_URL, the owner role migrate runs as (this command only)")

    run("compile translations", "scripts/compile_translations.py", env=env)
    run("collectstatic", "manage.py", "collectstatic", "--noinput", "--verbosity", "0", env=env)
    run("migrate (as the owner role)", "manage.py", "migrate", "--noinput", env=env)
    # The running app never holds the owner's URL: the checks run as the app will.
    app_env = {k: v for k, v in env.items() if k != "DATABASE_OWNER_URL"}
    if env.get("DATABASE_URL", "").startswith("postgres"):
        run("check_row_security (as the app role)", "manage.py", "check_row_security", env=app_env)
    run("check --deploy", "manage.py", "check", "--deploy", "--fail-level", "ERROR", env=app_env)
    if options.first_editor:
        first_release("set_site", app_env)
        first_release("create_first_editor", app_env, options.first_editor)
    print("release: done")


if __name__ == "__main__":
    main()

"""Benchmarks run by `make bench` (`python -m benchmarks`); results go into docs/performance.md."""

import contextlib
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"


@contextlib.contextmanager
def throwaway_database(prefix: str):
    """Set Django up and run inside a new test database (never the suite's); yields the vendor name."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_{prefix}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def measured_on(command: str, vendor: str) -> str:
    machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    today = time.strftime("%Y-%m-%d")
    return f"Measured by `{command}` on {vendor} ({machine}, {os.cpu_count()} CPUs), {today}."


def write_block(start: str, end: str, lines: list[str], section: str = "") -> None:
    """Replace the text between the markers in docs/performance.md (or append `section` and the block)."""
    block = "\n".join([start, *lines, end])
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + block + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(f"Wrote {DOC.relative_to(ROOT)}")


def free_port() -> int:
    """A TCP port free on the loopback now (other work shares this machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of the worker processes of `pid` (an nginx or gunicorn master, whose
    workers do the requests' work), from Linux /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    ticks = 0
    for child in children:
        with open(f"/proc/{child}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks / os.sysconf("SC_CLK_TCK")


def in_rehearsal(module: str, argv=None) -> int | None:
    """Outside the rehearsal's stack: boot it (scripts/rehearsal.sh CMD) with `python -m module` in place of
    its checks and return that run's exit code. Inside it (REHEARSAL_NGINX_DIR set): None, measure here."""
    if "REHEARSAL_NGINX_DIR" in os.environ:
        return None
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    args = argv if argv is not None else sys.argv[1:]
    command = ["bash", "scripts/rehearsal.sh", sys.executable, "-m", module, *args]
    return subprocess.run(command, cwd=ROOT).returncode  # noqa: S603

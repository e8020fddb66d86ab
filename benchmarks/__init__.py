"""Benchmarks run by `make bench` (`python -m benchmarks`); results go into docs/performance.md."""

import contextlib
import os
import platform
import socket
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

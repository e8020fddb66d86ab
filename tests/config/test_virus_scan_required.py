"""Production needs a virus scanner: no CLAMAV_SOCKET means no start, unless VIRUS_SCAN=off says so, and then
`check --deploy` warns (documents.W001) on every run."""

import subprocess
import sys

from tests.config.test_settings import FULL_ENV, ROOT, load_production, production_environment

WITHOUT_SOCKET = {k: v for k, v in FULL_ENV.items() if k != "CLAMAV_SOCKET"}


def check_deploy(env):
    clean = production_environment(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_scanner_and_says_how_to_opt_out():
    result = load_production(WITHOUT_SOCKET)
    assert result.returncode != 0
    assert "CLAMAV_SOCKET (or VIRUS_SCAN=off to run without a virus scan)" in result.stderr


def test_anything_but_off_is_no_opt_out():
    for value in ("", "no", "false", "OFF "):
        result = load_production({**WITHOUT_SOCKET, "VIRUS_SCAN": value})
        assert result.returncode != 0, value
        assert "CLAMAV_SOCKET" in result.stderr


def test_virus_scan_off_starts_and_check_deploy_warns_every_time():
    env = {**WITHOUT_SOCKET, "VIRUS_SCAN": "off"}
    assert load_production(env).returncode == 0
    result = check_deploy(env)
    output = result.stdout + result.stderr
    assert "documents.W001" in output and "not scanned for viruses" in output and "VIRUS_SCAN=off" in output


def test_with_a_socket_check_deploy_has_no_virus_warning():
    result = check_deploy(FULL_ENV)
    assert "documents.W001" not in result.stdout + result.stderr
    assert "System check identified" in result.stdout + result.stderr  # the checks did run

"""The shipped deploy files (site/deploy/) agree with the code: the environment example starts the production
settings and names every variable they require or read (and none they do not), the backup's own example
names every variable the backup script reads; nginx accepts nginx.conf."""

import ast
import re
import shutil
import subprocess

import pytest

from tests.config.nginx_site import nginx_command, shipped_nginx
from tests.config.test_settings import ROOT, SEAL_CERT_FILE, SEAL_KEY_FILE, load_production
from tests.config.test_virus_scan_required import check_deploy

DEPLOY = ROOT / "site" / "deploy"
EXAMPLE = DEPLOY / "ansatte.env.example"
# ansatte-backup.service reads /etc/ansatte/backup.env only (not the master keys' file).
BACKUP_EXAMPLE = DEPLOY / "backup.env.example"
BACKUP_SCRIPT = ROOT / "scripts" / "backup.py"
SETTINGS = ROOT / "config" / "settings"
# What config.settings.production reads: itself, base.py and product.py (imported with *) and the
# documents' storage.
PRODUCTION_SOURCES = ("base.py", "product.py", "production.py", "document_storage.py")
# Read by base.py but overridden by production.py, so an operator's value would change nothing.
IGNORED_IN_PRODUCTION = {"DJANGO_DEBUG": "production.py sets DEBUG = False"}
ENV_READ = re.compile(r"""\benv\.(?:str|bool|int|float|list|db|url|json)\(\s*["']([A-Z][A-Z0-9_]+)["']""")
NAME = re.compile(r"""["']([A-Z][A-Z0-9]*_[A-Z0-9_]+)["']""")


def example_values(example=EXAMPLE) -> dict[str, str]:
    """The variables the example sets (its uncommented NAME=value lines), read as systemd's EnvironmentFile
    reads them."""
    values = {}
    for line in example.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, sep, value = line.partition("=")
            assert sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), f"not NAME=value: {line!r}"
            values[name] = value.strip()
    return values


def example_values_with_seal() -> dict[str, str]:
    """The example's values, with the seal files it names (/etc/ansatte/seal/...) made for this test."""
    values = example_values()
    assert values["SIGNING_SEAL_KEY_FILE"] == "/etc/ansatte/seal/seal.key"
    return {**values, "SIGNING_SEAL_KEY_FILE": SEAL_KEY_FILE, "SIGNING_SEAL_CERT_FILE": SEAL_CERT_FILE}


def example_names(example=EXAMPLE) -> set[str]:
    """Every variable the example names, set or shown commented out with its default ("# NAME=...")."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example.read_text(), flags=re.MULTILINE))


def required_in_production() -> set[str]:
    """What production.py refuses to start without: REQUIRED_ENVIRONMENT, each name it appends to `_missing`
    (CLAMAV_SOCKET, unless VIRUS_SCAN=off) and each env.<type>("NAME") read without a default."""
    tree = ast.parse((SETTINGS / "production.py").read_text())
    required = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "REQUIRED_ENVIRONMENT" for t in node.targets
        ):
            required |= {element.value for element in node.value.elts}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            first = node.args[0]
            if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
                continue
            owner = node.func.value
            if node.func.attr == "append" and isinstance(owner, ast.Name) and owner.id == "_missing":
                required.add(first.value.split()[0])
            elif isinstance(owner, ast.Name) and owner.id == "env" and not node.keywords:
                required.add(first.value)
    return required


def read_by_production() -> set[str]:
    """Every variable name the production settings read (env.<type>("NAME"), and the names they list, such as
    REQUIRED_ENVIRONMENT and the S3 options)."""
    names = required_in_production()
    for source in PRODUCTION_SOURCES:
        names |= set(ENV_READ.findall((SETTINGS / source).read_text()))
    # document_storage.py reads the S3 options through a table of their names.
    return names | set(NAME.findall((SETTINGS / "document_storage.py").read_text()))


def test_the_required_variables_are_found_in_production_py():
    # Guards the parser: were it to find nothing, the tests below would pass on an empty example.
    required = required_in_production()
    assert {"PUBLIC_ORIGIN", "APP_ORIGIN", "CLAMAV_SOCKET", "DJANGO_SECRET_KEY", "DATABASE_URL"} <= required


def test_the_example_sets_every_variable_production_requires():
    values = example_values()
    unset = sorted(name for name in required_in_production() if not values.get(name))
    assert not unset, f"set these in site/deploy/ansatte.env.example (production requires them): {unset}"


def test_the_example_names_every_variable_the_production_settings_read():
    missing = sorted(read_by_production() - set(IGNORED_IN_PRODUCTION) - example_names())
    assert not missing, f"add to site/deploy/ansatte.env.example (set, or '# NAME=default'): {missing}"


def test_the_example_names_no_variable_the_settings_do_not_read():
    unread = sorted(example_names() - read_by_production() - {"DJANGO_SETTINGS_MODULE"})
    assert not unread, f"nothing reads these; drop them from site/deploy/ansatte.env.example: {unread}"


def test_production_starts_with_the_example_on_two_origins_with_a_virus_scan():
    values = example_values_with_seal()
    assert values["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    names = ["PUBLIC_ORIGIN", "APP_ORIGIN", "WAGTAILADMIN_BASE_URL", "ALLOWED_HOSTS", "CLAMAV_SOCKET"]
    result = load_production(values, show="repr([" + ", ".join(f"settings.{n}" for n in names) + "])")
    assert result.returncode == 0, result.stderr
    public, app, admin, hosts, socket = ast.literal_eval(result.stdout.strip())
    assert public == "https://ansatte.dk" and app == "https://app.ansatte.dk"
    assert admin == app
    assert {"ansatte.dk", "app.ansatte.dk"} <= set(hosts)
    assert socket == "/run/clamav/clamd.ctl"


def test_check_deploy_with_the_example_warns_only_about_the_placeholder_secret():
    result = check_deploy(example_values_with_seal())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # W009: the example's secret key is a placeholder to replace. W003: CSRF is checked by
    # config.middleware.PerHostCsrfViewMiddleware, a subclass Django's check does not recognise.
    # documents.W003: this test's seal certificate is self-signed (an operator's comes from a provider).
    found = set(re.findall(r"\(([a-z_]+\.[EW]\d+)\)", output))
    assert found <= {"security.W009", "security.W003", "documents.W003"}, output


@pytest.mark.skipif(
    not shutil.which("nginx"), reason="nginx is not on PATH: site/deploy/nginx.conf not checked"
)
@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not on PATH: no certificate for nginx -t")
def test_nginx_accepts_the_shipped_config(tmp_path):
    """`nginx -t` on nginx.conf inside an http { } block, with a self-signed certificate where certbot's would
    be and the logs in tmp_path; nothing is started and no port is bound."""
    main = shipped_nginx(tmp_path)
    conf = (tmp_path / "ansatte.conf").read_text()
    result = subprocess.run(
        nginx_command(tmp_path, "-t", "-c", str(main)), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    # One server block per host, the public and the app host, both proxied to the app server.
    server_names = re.findall(r"^\s*server_name ([^;]+);", conf, flags=re.MULTILINE)
    assert "ansatte.dk" in server_names and "app.ansatte.dk" in server_names
    # Both hosts' server blocks (the public one twice: cached pages, never-cached app paths) and the
    # loopback cache refresh proxy to the app server.
    assert conf.count("proxy_pass http://ansatte_app;") == 4


def test_every_unit_reads_the_one_environment_file_and_the_app_server_wants_clamd():
    units = sorted(DEPLOY.glob("*.service"))
    assert units
    for unit in units:
        text = unit.read_text()
        if "manage.py" in text or "gunicorn" in text:
            assert "EnvironmentFile=/etc/ansatte/ansatte.env" in text, unit.name
    app = (DEPLOY / "ansatte-web@.service").read_text()
    # One instance per port, and nginx's upstream lists a port for each of the two the README enables.
    assert "--bind 127.0.0.1:%i" in app
    upstream = re.search(r"upstream ansatte_app \{(.*?)\}", (DEPLOY / "nginx.conf").read_text(), re.DOTALL)
    assert re.findall(r"server 127\.0\.0\.1:(\d+);", upstream.group(1)) == ["8001", "8002"]
    assert "Wants=clamav-daemon.service" in app
    assert re.search(r"^After=.*\bclamav-daemon\.service\b", app, flags=re.MULTILINE)
    for doc in (DEPLOY / "README.md", ROOT / "README.md"):
        text = doc.read_text()
        assert "/etc/ansatte/environment" not in text, doc
    assert "systemctl enable --now clamav-daemon" in (DEPLOY / "README.md").read_text()


# Every command an operator must run on a schedule (issue #15): a missing timer means the duty silently
# never happens (sessions pile up, signups are never purged, a broken audit chain goes unnoticed).
SCHEDULED_COMMANDS = {
    "publish_scheduled",
    "retention_sweep",
    "scan_cookies",
    "purge_pending_signups",
    "create_monthly_invoices",
    "verify_audit_log",
    "jobs",
    "prune_db_task_results",
    "clearsessions",
    "dpa_notices",
}
EXEC_MANAGE = re.compile(r"^ExecStart=\S+ manage\.py (\S+)", flags=re.MULTILINE)
# Scheduled scripts that are not management commands (the backup reads no Django settings' database).
SCHEDULED_SCRIPTS = {"scripts/backup.py"}
EXEC_SCRIPT = re.compile(r"^ExecStart=\S+ (scripts/\S+\.py)", flags=re.MULTILINE)


def _timed_commands():
    """{command: (service text, timer text)}: each timer in site/deploy and the command its service runs."""
    timed = {}
    for timer in sorted(DEPLOY.glob("*.timer")):
        service = timer.with_suffix(".service")
        assert service.exists(), f"{timer.name} has no {service.name} to start"
        match = EXEC_MANAGE.search(service.read_text()) or EXEC_SCRIPT.search(service.read_text())
        assert match, f"{service.name} runs no manage.py command or script"
        timed[match.group(1)] = (service.read_text(), timer.read_text())
    return timed


def test_every_scheduled_command_has_a_timer_and_exists():
    from django.core.management import get_commands

    timed = _timed_commands()
    assert set(timed) >= SCHEDULED_COMMANDS, f"no timer for {sorted(SCHEDULED_COMMANDS - set(timed))}"
    # A unit naming a command Django does not have fails at 3 a.m., not here, unless this checks it.
    commands = set(get_commands()) | SCHEDULED_SCRIPTS
    assert set(timed) >= SCHEDULED_SCRIPTS, f"no timer for {sorted(SCHEDULED_SCRIPTS - set(timed))}"
    assert all((ROOT / script).is_file() for script in SCHEDULED_SCRIPTS)
    assert not set(timed) - set(commands), f"timers run unknown commands {sorted(set(timed) - set(commands))}"
    # The cookie scan and the invoices are monthly (the first of the month), not daily.
    for monthly in ("scan_cookies", "create_monthly_invoices"):
        assert re.search(r"^OnCalendar=\*-\*-01 ", timed[monthly][1], flags=re.MULTILINE), monthly


def test_every_unit_has_a_private_tmp_and_every_timer_is_persistent():
    for unit in sorted(DEPLOY.glob("*.service")):
        text = unit.read_text()
        if "manage.py" in text or "gunicorn" in text:
            assert re.search(r"^PrivateTmp=yes$", text, flags=re.MULTILINE), unit.name
    for timer in sorted(DEPLOY.glob("*.timer")):
        text = timer.read_text()
        # Persistent: a run missed while the host was down happens at boot instead of waiting a month.
        assert "Persistent=true" in text and "WantedBy=timers.target" in text, timer.name


OS_ENV_READ = re.compile(r"""os\.(?:environ\.get\(|environ\[|getenv\()\s*["']([A-Z][A-Z0-9_]+)["']""")


def read_by_backup() -> set[str]:
    """Every variable scripts/backup.py reads (os.environ.get, os.environ[...], os.getenv)."""
    return set(OS_ENV_READ.findall(BACKUP_SCRIPT.read_text()))


def test_the_backup_variables_are_found_in_the_script():
    # Guards the parser: were it to find nothing, the tests below would pass on an empty example.
    assert {
        "BACKUP_DATABASE_URL",
        "BACKUP_DIR",
        "BACKUP_KEEP_DAYS",
        "PRIVATE_STORAGE_ROOT",
    } <= read_by_backup()


def test_the_backup_example_names_every_variable_the_backup_reads_and_no_other():
    names = example_names(BACKUP_EXAMPLE)
    missing = sorted(read_by_backup() - names)
    assert not missing, f"add to site/deploy/backup.env.example (set, or '# NAME=default'): {missing}"
    unread = sorted(names - read_by_backup())
    assert not unread, f"scripts/backup.py does not read these; drop them from backup.env.example: {unread}"
    # Every line of it is a comment or NAME=value (systemd's EnvironmentFile reads nothing else).
    values = example_values(BACKUP_EXAMPLE)
    assert values["BACKUP_DATABASE_URL"].startswith("postgres://ansatte_backup"), "not the backup role"
    # Shared with ansatte.env: one value, two files, so the same example value in both.
    shared = read_by_backup() & example_names()
    assert shared == {"PRIVATE_STORAGE_ROOT", "DOCUMENTS_S3_BUCKET"}, shared
    assert values["PRIVATE_STORAGE_ROOT"] == example_values()["PRIVATE_STORAGE_ROOT"]


def test_the_backup_service_reads_backup_env_only_and_writes_only_its_folder():
    unit = (DEPLOY / "ansatte-backup.service").read_text()
    files = re.findall(r"^EnvironmentFile=(\S+)$", unit, flags=re.MULTILINE)
    # Not ansatte.env: the master keys never reach the process that writes the dumps.
    assert files == ["/etc/ansatte/backup.env"], files
    assert "/etc/ansatte/backup.env" in BACKUP_EXAMPLE.read_text().splitlines()[0]
    assert re.search(r"^PrivateTmp=yes$", unit, flags=re.MULTILINE)
    assert re.search(r"^ProtectSystem=strict$", unit, flags=re.MULTILINE)
    (writable,) = re.findall(r"^ReadWritePaths=(\S+)$", unit, flags=re.MULTILINE)
    assert example_values(BACKUP_EXAMPLE)["BACKUP_DIR"] == writable
    for doc in (DEPLOY / "README.md", ROOT / "README.md"):
        assert "backup.env" in doc.read_text(), f"{doc} does not say where the backup's environment goes"

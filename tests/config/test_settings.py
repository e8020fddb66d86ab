"""Production settings refuse to start without each secret, naming what is missing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _seal_files() -> tuple[str, str]:
    """A key and certificate for the production seal, made once per test process."""
    import tempfile

    from hrportal.documents.signing.pades import make_self_signed_certificate

    directory = Path(tempfile.mkdtemp(prefix="ansatte-seal-"))
    key_pem, cert_pem = make_self_signed_certificate("Ansatte production test seal")
    (directory / "seal.key").write_bytes(key_pem)
    (directory / "seal.crt").write_bytes(cert_pem)
    return str(directory / "seal.key"), str(directory / "seal.crt")


SEAL_KEY_FILE, SEAL_CERT_FILE = _seal_files()
FULL_ENV = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "ansatte.dk,app.ansatte.dk",
    "DATABASE_URL": "postgres://u@localhost/db",
    "ENCRYPTION_MASTER_KEYS": "k1:" + "A" * 43 + "=",
    "BLIND_INDEX_MASTER_KEY": "B" * 43 + "=",
    "AUDIT_CHAIN_KEY": "C" * 43 + "=",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PUBLIC_ORIGIN": "https://ansatte.dk",
    "APP_ORIGIN": "https://app.ansatte.dk",
    "CLAMAV_SOCKET": "/run/clamav/clamd.ctl",
    "SIGNING_SEAL_KEY_FILE": SEAL_KEY_FILE,
    "SIGNING_SEAL_CERT_FILE": SEAL_CERT_FILE,
}


def production_environment(env):
    """The environment of a fresh production process: the machine's (PATH, HOME, ...) without what the
    settings read, without any DJANGO_* variable of the test process (the browser tests set
    DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly refuses) and without VIRUS_SCAN*, then `env`."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in FULL_ENV and not k.startswith(("DJANGO_", "VIRUS_SCAN"))
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return clean


def load_production(env, show="settings.DEBUG"):
    """Import the production settings in a fresh process that sees only `env`; it prints `show`."""
    clean = production_environment(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({show})",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(FULL_ENV))
def test_production_refuses_to_start_without_each_secret(missing):
    env = {k: v for k, v in FULL_ENV.items() if k != missing}
    result = load_production(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_all_secrets_and_debug_off():
    result = load_production(FULL_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"APP_ORIGIN": "http://app.ansatte.dk"}, "APP_ORIGIN must be https"),
        ({"PUBLIC_ORIGIN": "https://ansatte.dk/da/"}, "PUBLIC_ORIGIN must be https"),
        ({"APP_ORIGIN": "https://ansatte.dk:8443"}, "must name different hosts"),
        ({"DJANGO_ALLOWED_HOSTS": "ansatte.dk"}, "DJANGO_ALLOWED_HOSTS must include app.ansatte.dk"),
    ],
)
def test_production_refuses_origins_that_would_not_separate_the_portal(change, complaint):
    result = load_production({**FULL_ENV, **change})
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_cookies_are_host_only_secure_and_prefixed():
    names = [
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "PUBLIC_CSRF_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "PUBLIC_CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_DOMAIN",
        "CSRF_COOKIE_DOMAIN",
    ]
    result = load_production(FULL_ENV, show=", ".join(f"settings.{name}" for name in names))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-ansatte_session",
        "__Host-ansatte_csrf",
        "__Host-ansatte_public_csrf",
        "True",
        "True",
        "True",
        "None",
        "None",
    ]


BASE_ENV_NAMES = ("DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL")


def read_base_settings(env, *names):
    """The values of `names` in config.settings.base, imported in a fresh process that sees only `env`
    (and no DJANGO_DEBUG or DATABASE_URL of the machine running the suite)."""
    clean = {k: v for k, v in os.environ.items() if k not in BASE_ENV_NAMES}
    clean.update(env)
    code = (
        "import json; from config.settings import base; "
        "print(json.dumps({n: getattr(base, n) for n in %r}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code % (names,)],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_base_settings_are_secure_by_default():
    from config.settings import base

    assert read_base_settings({}, "DEBUG")["DEBUG"] is False
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert base.DATABASES["default"]["ATOMIC_REQUESTS"] is True
    assert base.SESSION_COOKIE_HTTPONLY
    assert base.AUTH_USER_MODEL == "accounts.User"
    assert "wagtail_localize.locales" in base.INSTALLED_APPS
    assert "wagtail.locales" not in base.INSTALLED_APPS


def test_database_and_cache_follow_the_environment():
    local = read_base_settings({}, "DATABASES", "CACHES")
    assert local["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert local["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    server = read_base_settings(
        {"DATABASE_URL": "postgres://u@db.internal/ansatte", "REDIS_URL": "redis://cache.internal:6379/1"},
        "DATABASES",
        "CACHES",
    )
    database = server["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql" and database["HOST"] == "db.internal"
    assert database["CONN_MAX_AGE"] > 0 and database["CONN_HEALTH_CHECKS"] is True
    assert database["ATOMIC_REQUESTS"] is True
    # One Redis, two caches: "default" degrades to no cache when Redis is down, "shared" fails closed.
    assert server["CACHES"]["default"]["BACKEND"] == "config.cache.DegradingRedisCache"
    assert server["CACHES"]["shared"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    for alias in ("default", "shared"):
        assert server["CACHES"][alias]["LOCATION"] == "redis://cache.internal:6379/1"
        assert server["CACHES"][alias]["OPTIONS"]["socket_connect_timeout"] <= 1


def test_dev_settings_create_local_secrets_file(tmp_path):
    from config.settings.local_secrets import load_local_secrets

    path = tmp_path / "secrets.env"
    saved = {
        k: os.environ.pop(k, None) for k in ("DJANGO_SECRET_KEY", "BLIND_INDEX_MASTER_KEY", "AUDIT_CHAIN_KEY")
    }
    try:
        load_local_secrets(path)
        first = path.read_text()
        assert "DJANGO_SECRET_KEY=" in first and "ENCRYPTION_MASTER_KEYS=dev1:" in first
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        load_local_secrets(path)
        assert path.read_text() == first  # created once, then reused
        # A file from before AUDIT_CHAIN_KEY existed gets it added; the other secrets stay as they were.
        older = "\n".join(line for line in first.splitlines() if not line.startswith("AUDIT_CHAIN_KEY="))
        path.write_text(older + "\n")
        load_local_secrets(path)
        updated = path.read_text()
        assert updated.startswith(older) and "AUDIT_CHAIN_KEY=" in updated
    finally:
        for k, v in saved.items():
            if v is not None:
                os.environ[k] = v


def test_production_refuses_to_start_when_the_seal_files_are_not_there():
    result = load_production({**FULL_ENV, "SIGNING_SEAL_CERT_FILE": "/nonexistent/seal.crt"})
    assert result.returncode != 0
    assert "SIGNING_SEAL_CERT_FILE (no file at /nonexistent/seal.crt)" in result.stderr

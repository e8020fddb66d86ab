"""Production: refuses to start without its secrets and says which are missing."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env
from config.settings.document_storage import documents_storage_from_env

REQUIRED_ENVIRONMENT = [
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "ENCRYPTION_MASTER_KEYS",
    "BLIND_INDEX_MASTER_KEY",
    "AUDIT_CHAIN_KEY",
    # Throttles, lockouts and SMS codes must be shared by every worker process: a real cache.
    "REDIS_URL",
    # The two origins (config/origins.py): absolute links in emails, on signed PDFs ("verify at ..."),
    # between the two sites, and which host answers which path. WAGTAILADMIN_BASE_URL is APP_ORIGIN.
    "PUBLIC_ORIGIN",
    "APP_ORIGIN",
    # The PAdES seal on signed PDFs (hrportal/documents/signing/pades.py): never a self-signed stand-in.
    "SIGNING_SEAL_KEY_FILE",
    "SIGNING_SEAL_CERT_FILE",
]
_missing = [name for name in REQUIRED_ENVIRONMENT if not env.str(name, default="").strip()]
# Every upload is scanned by clamd; running without a scanner must be a decision (VIRUS_SCAN=off), which
# `manage.py check --deploy` then reports (documents.W001), never an oversight.
if not env.str("CLAMAV_SOCKET", default="").strip() and env.str("VIRUS_SCAN", default="").strip() != "off":
    _missing.append("CLAMAV_SOCKET (or VIRUS_SCAN=off to run without a virus scan)")
_missing += [
    f"{name} (no file at {env.str(name)})"
    for name in ("SIGNING_SEAL_KEY_FILE", "SIGNING_SEAL_CERT_FILE")
    if env.str(name, default="").strip() and not os.path.isfile(env.str(name))
]
if _missing:
    raise ImproperlyConfigured(
        "Production settings refuse to start: missing environment variable(s): " + ", ".join(_missing)
    )

DEBUG = False
SIGNING_SEAL_SELF_SIGNED_DIR = ""  # production seals only with the configured key and certificate
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")


def _check_origins():
    """Both origins https and on different hosts, each one allowed: otherwise the split protects nothing."""
    from urllib.parse import urlsplit

    problems = []
    hosts = {}
    for name in ("PUBLIC_ORIGIN", "APP_ORIGIN"):
        parts = urlsplit(globals()[name])
        if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/"):
            problems.append(f"{name} must be https://host[:port] (got {globals()[name]!r})")
        hosts[name] = parts.hostname or ""
    if hosts["PUBLIC_ORIGIN"] and hosts["PUBLIC_ORIGIN"] == hosts["APP_ORIGIN"]:
        problems.append("PUBLIC_ORIGIN and APP_ORIGIN must name different hosts")
    for name, host in hosts.items():
        if host and host not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
            problems.append(f"DJANGO_ALLOWED_HOSTS must include {host} ({name})")
    if problems:
        raise ImproperlyConfigured("Production settings refuse to start: " + "; ".join(problems))


_check_origins()

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# https origins (checked above) make base.py's cookies "__Host-" prefixed and Secure; said again here.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
PUBLIC_CSRF_COOKIE_SECURE = True

STORAGES = {
    "default": {
        "BACKEND": env.str("DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Encrypted HR documents: an S3-compatible bucket when DOCUMENTS_S3_BUCKET is set, else PRIVATE_STORAGE_ROOT.
_documents_storage = documents_storage_from_env(env)
if _documents_storage:
    STORAGES["documents"] = _documents_storage

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
SMS_BACKEND = env.str("SMS_BACKEND", default="hrportal.accounts.sms.HTTPGatewaySMSBackend")

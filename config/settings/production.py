"""Production: refuses to start without its secrets and says which are missing."""

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
    # Absolute links in emails and on signed PDFs ("verify at ...") must point at the real site.
    "WAGTAILADMIN_BASE_URL",
]
_missing = [name for name in REQUIRED_ENVIRONMENT if not env.str(name, default="").strip()]
# Every upload is scanned by clamd; running without a scanner must be a decision (VIRUS_SCAN=off), which
# `manage.py check --deploy` then reports (documents.W001), never an oversight.
if not env.str("CLAMAV_SOCKET", default="").strip() and env.str("VIRUS_SCAN", default="").strip() != "off":
    _missing.append("CLAMAV_SOCKET (or VIRUS_SCAN=off to run without a virus scan)")
if _missing:
    raise ImproperlyConfigured(
        "Production settings refuse to start: missing environment variable(s): " + ", ".join(_missing)
    )

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

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

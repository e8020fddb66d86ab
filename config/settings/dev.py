"""Local development: DEBUG on, console email and SMS, secrets generated on first run."""

from config.settings.local_secrets import load_local_secrets

load_local_secrets()

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import env  # noqa: E402

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ENCRYPTION_MASTER_KEYS = env.str("ENCRYPTION_MASTER_KEYS")
BLIND_INDEX_MASTER_KEY = env.str("BLIND_INDEX_MASTER_KEY")
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The admin's preview panel and autosave write at the same moment; SQLite's default deferred transactions
    # then fail with "database is locked". Taking the write lock at BEGIN (and waiting) serialises them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

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

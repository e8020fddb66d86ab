"""Test settings: fixed keys, in-memory email and SMS, a fast password hasher.

The database is SQLite unless DATABASE_URL points at PostgreSQL (as .ci/run does); both must pass.
"""

import os

# Fixed, public test keys: they protect nothing but make ciphertexts in tests reproducible.
os.environ.setdefault("ENCRYPTION_MASTER_KEYS", "test1:" + "dGVzdC1tYXN0ZXIta2V5LTAwMDAwMDAwMDAwMDAwMDA=")
os.environ.setdefault("BLIND_INDEX_MASTER_KEY", "dGVzdC1ibGluZC1pbmRleC1rZXktMDAwMDAwMDAwMDA=")
os.environ.setdefault("AUDIT_CHAIN_KEY", "dGVzdC1hdWRpdC1jaGFpbi1rZXktMDAwMDAwMDAwMDAwMDA=")
# Two origins, as in production: the test client's default host "testserver" is the app (portal, admin,
# signing), so portal tests need nothing; public-site tests use the `public_client` fixture (or
# HTTP_HOST="public.testserver"). Set, not defaulted: a developer's own environment must not change them.
os.environ["APP_ORIGIN"] = "http://testserver"
os.environ["PUBLIC_ORIGIN"] = "http://public.testserver"
os.environ.pop("CONSENT_SCAN_BASE_URL", None)

from config.cache import caches_for
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, DATABASE_OWNER, DATABASES, STATIC_ROOT, env

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
ENCRYPTION_MASTER_KEYS = env.str("ENCRYPTION_MASTER_KEYS")
BLIND_INDEX_MASTER_KEY = env.str("BLIND_INDEX_MASTER_KEY")
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY")
ALLOWED_HOSTS = ["testserver", "public.testserver", "localhost", "127.0.0.1"]
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "hrportal.accounts.sms.LocmemSMSBackend"
CACHES = caches_for("")
# Per pytest-xdist worker: each worker's database numbers its companies from 1, so a shared folder would let
# one worker's company deletion remove another worker's files of "company 1" (c1/).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{_WORKER}"
PRIVATE_STORAGE_ROOT = BASE_DIR / "var" / f"test-private-{_WORKER}"
SIGNING_SEAL_SELF_SIGNED_DIR = str(BASE_DIR / "var" / "test-signing")  # one self-signed seal for every worker
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # pytest-django creates and migrates the test database as the owner; tests/conftest.py then switches every
    # connection to the application role (no superuser, no BYPASSRLS), so row-level security is exercised.
    if DATABASE_OWNER:
        DATABASE_APP_ROLE = DATABASES["default"]["USER"]
        DATABASES["default"].update({k: DATABASE_OWNER[k] for k in ("USER", "PASSWORD", "HOST", "PORT")})
    else:
        DATABASE_APP_ROLE = "ansatte_app"
    DATABASE_OWNER = None
else:
    # A file, not the in-memory default: the browser tests' live server thread then has its own connection
    # instead of sharing the test thread's, which randomly broke transactions (on_commit) under load.
    # pytest-xdist workers get their own file (pytest-django appends the worker id).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
AXES_COOLOFF_TIME = 0.25
# Tests that count queries or change content without signals see every render; the page cache's own tests
# turn it on (tests/cms_pages/test_app_page_cache.py).
PUBLIC_PAGE_APP_CACHE = False
DEMO_SEED_ALLOWED = True  # fixtures seed the demo with DEBUG off; its own test turns this off again

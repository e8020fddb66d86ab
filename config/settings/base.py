"""Settings shared by every environment.

Secure by default: DEBUG is off, cookies are HttpOnly/SameSite, passwords hash with Argon2 and nothing
secret has a default here. Environments only loosen what they must (dev) or demand what they need
(production refuses to start without its secrets).
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config.cache import caches_for
from config.log_settings import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Two origins (issue #12, config/origins.py): the Wagtail public site on PUBLIC_ORIGIN; the portal, /sign/,
# /verify/ and the Wagtail admin on APP_ORIGIN. Full "scheme://host[:port]"; production requires both (https).
# The development defaults are two names of one runserver, so `make run` has two origins without set-up.
PUBLIC_ORIGIN = env.str("PUBLIC_ORIGIN", default="http://127.0.0.1:8000").rstrip("/")
APP_ORIGIN = env.str("APP_ORIGIN", default="http://localhost:8000").rstrip("/")

# --- Applications -----------------------------------------------------------------------------------

DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]
WAGTAIL_APPS = [
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_localize",
    "wagtail_localize.locales",  # instead of wagtail.locales
    "modelcluster",
    "taggit",
]
THIRD_PARTY_APPS = [
    "django_otp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]
LOCAL_APPS = [
    "hrportal.accounts",
    "hrportal.audit",
    "hrportal.companies",
    "hrportal.encryption",
    "hrportal.employees",
    "hrportal.privacy",
    "hrportal.billing",
    "hrportal.documents",
    "hrportal.jobs",
    "hrportal.rowsecurity",
    "cms_pages",
    "cms_pages.dpa",
    "cms_pages.consent",
    "cms_pages.newsletter",
    "cms_pages.contact",
]
INSTALLED_APPS = DJANGO_APPS + WAGTAIL_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: every log line of the request, and its response, carry the request id (nginx's, or a new one).
    "config.request_id.RequestIdMiddleware",
    # An anonymous public page from the app's own cache, before any other work (cms_pages/page_cache.py);
    # outside the security headers, so a kept page carries them.
    "cms_pages.page_cache.AppPageCacheMiddleware",
    # Outermost: CSP, Permissions-Policy and the app host's headers reach every response, redirects and
    # error pages included.
    "config.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Each path answers on its own host only (404, or a redirect to the right host for GET).
    "config.middleware.HostRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the view's transaction: deletes files a rolled-back request had stored.
    "hrportal.documents.middleware.StoredFilesCleanupMiddleware",
    # Sessions exist on the app host only: the public host neither reads nor sets a session cookie.
    "config.middleware.AppHostSessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Each host its own host-only CSRF cookie (CSRF_COOKIE_NAME on the app host, PUBLIC_CSRF_COOKIE_NAME).
    "config.middleware.PerHostCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hrportal.accounts.sessions.SessionTimeoutMiddleware",
    "hrportal.accounts.middleware.RequireVerifiedSessionMiddleware",
    "hrportal.accounts.middleware.UserLanguageMiddleware",
    "hrportal.companies.access.TenantScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: a refused action because the shared cache is down is a 503 page with a message, not a 500.
    "config.cache.SharedStateUnavailableMiddleware",
    # Wagtail's page routing remembered per content generation: one query instead of 7-10 (issue #20).
    "cms_pages.routing.RememberedRoutesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "hrportal.privacy.context_processors.privacy_notices",
                "config.origins.context",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------
# SQLite file by default (zero set-up); PostgreSQL when DATABASE_URL is set.

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Row-level security (issue #13, docs/security.md): DATABASE_URL is the application role, DATABASE_OWNER_URL
# the owner that `migrate` and `setup_database_roles` connect as (hrportal.rowsecurity).
DATABASE_OWNER = env.db("DATABASE_OWNER_URL") if env.str("DATABASE_OWNER_URL", default="") else None
DATABASE_APP_ROLE = DATABASES["default"].get("USER", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------------

# Public pages carry no per-visitor data, so a caching proxy may keep them; once a publish or unpublish
# commits, the app asks it to fetch the page's URLs again (the shipped nginx's refresh listener, a GET) or,
# with FRONTEND_CACHE_METHOD=PURGE, sends Wagtail's PURGE (Varnish). cms_pages/frontend_cache.py says why.
FRONTEND_CACHE_PURGE_URL = env.str("FRONTEND_CACHE_PURGE_URL", default="")
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "cms_pages.frontend_cache.CommittedHTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
            "METHOD": env.str("FRONTEND_CACHE_METHOD", default="GET"),
        }
    }
# Purge the URLs a page really has (cms_pages/signals.py adds its translations'), instead of Wagtail's
# default of repeating each path under every language prefix (/en/ + the Danish slug: no such page).
WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []

# Two caches on one Redis (config/cache.py): "default" may be lost and degrades to no cache when Redis is
# down; "shared" (rate limits, SMS codes) fails closed with a message instead.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = caches_for(REDIS_URL)

# --- Authentication ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# django-axes: lock a username+IP pair after repeated failures, with a cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "hrportal.accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "hrportal/accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.requests.client_ip"
# Beside axes' per-account lockout: an IP with this many failed logins (any accounts) within the cool-off
# is refused for every account (hrportal/accounts/lockout.py). High enough for an office behind one NAT.
LOGIN_FAILURES_PER_IP = env.int("LOGIN_FAILURES_PER_IP", default=20)
# Password reset emails per hour: per typed address (whether or not it has an account) and per IP.
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = env.int("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", default=3)
PASSWORD_RESET_PER_IP_PER_HOUR = env.int("PASSWORD_RESET_PER_IP_PER_HOUR", default=10)
# Reverse proxies whose X-Real-IP header is believed (site/deploy/nginx.conf sets it), e.g. "127.0.0.1".
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# django-otp
OTP_TOTP_ISSUER = "Ansatte"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- Sessions and security headers --------------------------------------------------------------------

# The app host's cookies are host-only (no Domain) and, over https, "__Host-" prefixed and Secure: no other
# host (the public site, a sibling subdomain) can set, overwrite or receive them. Browsers refuse "__Host-"
# cookies over plain http, so `make run` (http) uses the same names without the prefix. The public host has
# no session at all, and a CSRF cookie of its own (PUBLIC_CSRF_COOKIE_NAME) for its forms.
_HTTPS = APP_ORIGIN.startswith("https://")
_PREFIX = "__Host-" if _HTTPS else ""
SESSION_COOKIE_NAME = f"{_PREFIX}ansatte_session"
SESSION_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_DOMAIN = None
SESSION_COOKIE_PATH = "/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
# Portal and admin (hrportal/accounts/sessions.py): logged out after this long without activity, with a
# warning this long before; and SESSION_ABSOLUTE_TIMEOUT after the password step whatever the activity.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_IDLE_WARNING = env.int("SESSION_IDLE_WARNING", default=2 * 60)
SESSION_ABSOLUTE_TIMEOUT = SESSION_COOKIE_AGE
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_NAME = f"{_PREFIX}ansatte_csrf"
CSRF_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_DOMAIN = None
CSRF_COOKIE_PATH = "/"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: the admin and consent.js get the token from HTML/JSON
CSRF_COOKIE_SAMESITE = "Lax"
PUBLIC_CSRF_COOKIE_NAME = ("__Host-" if PUBLIC_ORIGIN.startswith("https://") else "") + "ansatte_public_csrf"
PUBLIC_CSRF_COOKIE_SECURE = PUBLIC_ORIGIN.startswith("https://")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation -----------------------------------------------------------------------------

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as "3 December 2026", never "12/03/2026" (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# HR documents are encrypted and kept apart from MEDIA_ROOT: never reachable through MEDIA_URL.
# --- Background tasks -------------------------------------------------------------------------------
# Long jobs of the portal (a company's export, company deletion, the retention sweep) go to the "jobs"
# backend: rows in the database (django-tasks-db) that `manage.py db_worker --backend jobs` runs, so the
# request only queues the job and the page shows its progress (hrportal/jobs). Wagtail's own small tasks
# (reference index, search index) stay on "default", which runs them at once in the request.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "jobs": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Company exports stay downloadable this long, then the retention sweep deletes the file.
JOB_EXPORT_KEEP_DAYS = env.int("JOB_EXPORT_KEEP_DAYS", default=7)

PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private")))
# Files at the root of the site (security.txt, favicon) are served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "site" / "public"

# --- Email ------------------------------------------------------------------------------------------------

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ansatte <no-reply@ansatte.dk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Operators told by email when a background job fails (ids only, never the error text: see hrportal/jobs).
ADMINS = [("Ansatte operations", address) for address in env.list("DJANGO_ADMINS", default=[])]

# --- Wagtail ----------------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Ansatte"
# No shared-password pages or document collections: the public host keeps no session to remember a passed
# password in (config/middleware.py), and a restricted page is not served there at all (cms_pages hooks).
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# The admin lives on the app host: its emails and links (and signed PDFs' "verify at") use APP_ORIGIN.
WAGTAILADMIN_BASE_URL = APP_ORIGIN
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatar requests from the admin (its CSP allows none)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Two editors on one page or snippet: the edit view pings every 10 s and tells each who else is editing
# and when a newer revision was saved; pages and the editable snippets (LockableMixin) can be locked.
WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10_000
# Public documents are served from the public site: office formats, text and images only. No .html, .svg,
# .xml or scripts, which a browser would run on our origin.
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "txt",
    "csv",
    "png",
    "jpg",
    "jpeg",
]
WAGTAILADMIN_LOGIN_URL = "portal:login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are changed in the portal, where 2FA is enforced
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Timestamp, level and request id on every line; error e-mails without personal data (config/log_settings.py).
LOGGING = logging_config(env.str("LOG_LEVEL", default="INFO"))

# The cookie scan crawls this site; the scheduler may pass --base-url instead.
CONSENT_SCAN_BASE_URL = env.str("CONSENT_SCAN_BASE_URL", default=PUBLIC_ORIGIN)

# The product's own knobs (portal, encryption, employees, privacy, documents, public site): their defaults
# are written once, there.
from config.settings.product import *  # noqa: E402, F403

"""The product's own settings: the portal's, the encryption's, the employees', privacy's, the documents'
and the public site's knobs, each with its one default and why (imported by base.py, so every environment
has them; Django's, Wagtail's and the libraries' settings stay in base.py).
"""

from pathlib import Path

import environ

env = environ.Env()

# --- Encryption keys ----------------------------------------------------------------------------------------
# Master keys come from the environment (never the database): "id:base64key,id:base64key", first = current.

ENCRYPTION_MASTER_KEYS = env.str("ENCRYPTION_MASTER_KEYS", default="")
BLIND_INDEX_MASTER_KEY = env.str("BLIND_INDEX_MASTER_KEY", default="")
# Keys the audit log's hash chain (base64, >= 32 bytes): without it a rebuilt chain cannot verify.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")

# --- Portal -------------------------------------------------------------------------------------------------

SMS_BACKEND = env.str("SMS_BACKEND", default="hrportal.accounts.sms.ConsoleSMSBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SIGNUP_EMAIL_LINK_MAX_AGE = 60 * 60 * 24  # seconds
SMS_CODE_MAX_AGE = 10 * 60
SMS_CODE_MAX_ATTEMPTS = 5
SMS_CODE_MAX_SENDS_PER_HOUR = 5

# `seed_demo` creates public logins (a superuser among them): it runs only with DEBUG on, with this
# setting (the test settings, whose DEBUG is off) or with --allow-production-demo.
DEMO_SEED_ALLOWED = False
# Demo content seeders run by `manage.py seed_demo`, in order.
DEMO_SEEDERS = [
    "cms_pages.demo.seed",
    "cms_pages.dpa.demo.seed",
    "cms_pages.consent.demo.seed",
    "hrportal.demo.seed",
    "hrportal.employees.demo.seed",
    "hrportal.documents.demo.seed",
    "hrportal.billing.demo.seed",
]

# --- Field encryption (hrportal.encryption) -------------------------------------------------------------
# Unwrapped company data keys are cached per process: at most this many, for at most this long (a destroyed
# key is forgotten by every process within ENCRYPTION_KEY_CACHE_SECONDS). A rotated company key becomes
# the one used for new values in every process within ENCRYPTION_CURRENT_KEY_CACHE_SECONDS.
ENCRYPTION_KEY_CACHE_SIZE = env.int("ENCRYPTION_KEY_CACHE_SIZE", default=512)
ENCRYPTION_KEY_CACHE_SECONDS = env.int("ENCRYPTION_KEY_CACHE_SECONDS", default=300)
ENCRYPTION_CURRENT_KEY_CACHE_SECONDS = 60

# --- Employees ------------------------------------------------------------------------------------------
EMPLOYEES_PER_PAGE = 25
EMPLOYEES_IMPORT_MAX_BYTES = 1024 * 1024  # the dry run round-trips the sealed file through the form
EMPLOYEES_IMPORT_MAX_AGE = 60 * 60  # seconds between dry run and confirmation
# A CPR search is kept in the session under an opaque id (never in a URL) this many seconds
# (hrportal/employees/searches.py).
EMPLOYEE_SEARCH_MAX_AGE = 15 * 60
# The sealed name-order snapshot of a company's employee list stays cached at most this long; a change of
# the employees replaces it sooner (hrportal/employees/snapshot.py), so this only bounds the cache's memory.
EMPLOYEE_LIST_SNAPSHOT_SECONDS = 60 * 60
# Employee photos (hrportal/employees/photos.py): larger uploads are refused; so is an image declaring more
# pixels than this in its header, before any pixel is decoded (decompression bombs).
EMPLOYEE_PHOTO_MAX_BYTES = env.int("EMPLOYEE_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
EMPLOYEE_PHOTO_MAX_PIXELS = 40_000_000

# --- Privacy: data-subject rights, retention, company deletion (hrportal.privacy), billing ------------------
# New rows of these models are refused for an employee whose processing is restricted (GDPR art. 18).
PRIVACY_RESTRICTED_MODELS = ["documents.Document"]
# (month, day) the financial year ends: invoices, and the pay records an erasure keeps, are bookkeeping
# material, kept 5 years from the end of the financial year they concern (bogføringsloven).
BOOKKEEPING_FINANCIAL_YEAR_END = (12, 31)
BILLING_PLAN_PRICES = {"basic": "199.00", "standard": "499.00", "plus": "999.00"}  # DKK/month excl. VAT
BILLING_DEFAULT_PLAN = "standard"
BILLING_PAYMENT_DAYS = 14
# --- Employment documents (hrportal.documents) ----------------------------------------------------------
# Uploads above this size are refused. Files are stored encrypted under PRIVATE_STORAGE_ROOT/documents
# (or STORAGES["documents"], e.g. an S3-compatible backend from django-storages, when configured).
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# A DOCX whose entries declare more than this unpacked (together) is refused, as is any entry above 64 KB
# unpacking to more than 100 times its packed size (zip bombs).
DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES = env.int(
    "DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES", default=5 * DOCUMENT_MAX_UPLOAD_BYTES
)
# Virus scanner hook: a callable taking the uploaded file; the default asks ClamAV's clamd over
# CLAMAV_SOCKET ("/run/clamav/clamd.ctl" or "tcp://host:3310") when set, and does nothing otherwise.
VIRUS_SCANNER = env.str("VIRUS_SCANNER", default="hrportal.documents.scanning.clamav_if_configured")
CLAMAV_SOCKET = env.str("CLAMAV_SOCKET", default="")
# Seconds clamd may keep a socket read or write waiting: past that the upload is refused (fail closed)
# rather than a hung clamd holding the request.
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=30.0)
# "off": production starts without CLAMAV_SOCKET (and `check --deploy` warns, documents.W001).
VIRUS_SCAN = env.str("VIRUS_SCAN", default="")
SIGNING_LINK_MAX_AGE = 14 * 24 * 60 * 60  # seconds an employee's signing link works
SIGNING_CODE_MAX_AGE = 10 * 60
# Seconds after completion the employee's new link (e-mailed then) gives the signed copy, behind a code.
SIGNED_COPY_LINK_MAX_AGE = 30 * 24 * 60 * 60
SIGNING_CODE_MAX_ATTEMPTS = 5
SIGNING_CODE_MAX_SENDS_PER_HOUR = 5
# Checks per IP in 10 minutes on /verify/ (no login): each may hash an upload of DOCUMENT_MAX_UPLOAD_BYTES
# and look it up across every company's documents.
VERIFY_MAX_PER_10_MINUTES = 30
# The PAdES seal on signed PDFs (hrportal/documents/signing/pades.py): PEM files of the service's key and
# certificate (production requires both); intermediates and earlier certificates to trust in the chain
# file. Without key and certificate, development makes a self-signed pair in SIGNING_SEAL_SELF_SIGNED_DIR.
SIGNING_SEAL_KEY_FILE = env.str("SIGNING_SEAL_KEY_FILE", default="")
SIGNING_SEAL_CERT_FILE = env.str("SIGNING_SEAL_CERT_FILE", default="")
SIGNING_SEAL_CHAIN_FILE = env.str("SIGNING_SEAL_CHAIN_FILE", default="")
SIGNING_SEAL_KEY_PASSPHRASE = env.str("SIGNING_SEAL_KEY_PASSPHRASE", default="")
SIGNING_SEAL_SELF_SIGNED_DIR = str(Path(__file__).resolve().parents[2] / "var" / "signing")
# An RFC 3161 timestamp service (e.g. https://freetsa.org/tsr): each seal then carries its timestamp.
SIGNING_TSA_URL = env.str("SIGNING_TSA_URL", default="")
# --- Cookie consent, newsletter, contact (cms_pages.consent / .newsletter / .contact) ---------------------

# Seconds a proxy/CDN and the browser may keep a public Wagtail page (cms_pages/caching.py): short, since a
# page's change must reach visitors soon even where no purge on publish is set up.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)
# The app's own cache of those pages (cms_pages/page_cache.py), for a deployment without nginx's: a hit skips
# the rendering and the middleware stack; the content generation keeps it in step with every publish.
PUBLIC_PAGE_APP_CACHE = env.bool("PUBLIC_PAGE_APP_CACHE", default=True)
CONSENT_COOKIE_NAME = "ansatte_consent"
# Bump when the banner's wording changes: each consent record keeps the version its visitor saw.
CONSENT_BANNER_VERSION = "2025-1"
CONSENT_RATE_LIMIT_PER_HOUR = 60
NEWSLETTER_CONSENT_TEXT_VERSION = "2025-1"
NEWSLETTER_CONFIRM_MAX_AGE = 60 * 60 * 24 * 3  # seconds a confirmation link stays valid
NEWSLETTER_RATE_LIMIT_PER_HOUR = 10
# Fallback when the site's owner-details setting has no email.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="support@ansatte.dk")
CONTACT_RATE_LIMIT_PER_HOUR = 5

# Retention of the public site's personal data, in days (cms_pages/retention.py, run by the daily sweep).
NEWSLETTER_PENDING_KEEP_DAYS = env.int("NEWSLETTER_PENDING_KEEP_DAYS", default=30)
NEWSLETTER_UNSUBSCRIBED_KEEP_DAYS = env.int("NEWSLETTER_UNSUBSCRIBED_KEEP_DAYS", default=3 * 365)
CONSENT_PROOF_KEEP_DAYS = env.int("CONSENT_PROOF_KEEP_DAYS", default=4 * 365)
CONTACT_MESSAGE_KEEP_DAYS = env.int("CONTACT_MESSAGE_KEEP_DAYS", default=365)
CONTACT_COMPLAINT_KEEP_DAYS = env.int("CONTACT_COMPLAINT_KEEP_DAYS", default=3 * 365)
LOGIN_LOG_KEEP_DAYS = env.int("LOGIN_LOG_KEEP_DAYS", default=90)

# Days between announcing a new sub-processor and its start (the DPA's prior notice; customers may object).
PROCESSOR_NOTICE_DAYS = env.int("PROCESSOR_NOTICE_DAYS", default=30)

"""Deploy checks of the documents app: uploads unscanned for viruses are a warning operators must see.

Production refuses to start without `CLAMAV_SOCKET` unless `VIRUS_SCAN=off` says so explicitly; this check
keeps that decision visible in every `manage.py check --deploy` (the release command runs it).
"""

from django.conf import settings
from django.core import checks

DEFAULT_SCANNER = "hrportal.documents.scanning.clamav_if_configured"


@checks.register(checks.Tags.security, deploy=True)
def virus_scan_configured(app_configs=None, **kwargs):
    scanner = settings.VIRUS_SCANNER
    if scanner == DEFAULT_SCANNER and not settings.CLAMAV_SOCKET:
        return [
            checks.Warning(
                "Uploaded documents and photos are not scanned for viruses: CLAMAV_SOCKET is not set"
                + (" (VIRUS_SCAN=off)." if settings.VIRUS_SCAN == "off" else "."),
                hint="Install clamav-daemon and set CLAMAV_SOCKET=/run/clamav/clamd.ctl (docs/security.md).",
                id="documents.W001",
            )
        ]
    if scanner == "hrportal.documents.scanning.no_scan":
        return [
            checks.Warning(
                "Uploaded documents and photos are not scanned for viruses: VIRUS_SCANNER is no_scan.",
                hint="Remove VIRUS_SCANNER to use ClamAV through CLAMAV_SOCKET.",
                id="documents.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def signing_seal_configured(app_configs=None, **kwargs):
    """The release command runs `check --deploy`: a seal key that does not load, does not match its
    certificate or has expired must stop a release, not the first signing after it."""
    from django.core.exceptions import ImproperlyConfigured

    from hrportal.documents.signing import pades

    try:
        found = pades.credentials()
    except (ImproperlyConfigured, OSError, ValueError) as error:
        return [
            checks.Error(
                f"Signed documents cannot be sealed: {error}",
                hint="Set SIGNING_SEAL_KEY_FILE and SIGNING_SEAL_CERT_FILE: site/deploy/ansatte.env.example",
                id="documents.E002",
            )
        ]
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(found.cert_pem)
    if cert.issuer == cert.subject:
        return [
            checks.Warning(
                "The seal's certificate is self-signed: PDF readers show its issuer as unknown "
                "(/verify/ still checks it).",
                hint="Use a seal certificate from a trust service provider for the same key.",
                id="documents.W003",
            )
        ]
    return []

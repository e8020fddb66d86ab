"""The service's PAdES seal on signed PDFs, and its check on `/verify/`.

The hash on the signature page and in our database proves a file unchanged only to someone who asks us. A
PAdES signature (a CMS signature over the whole file, ETSI.CAdES.detached) lets any PDF reader, poppler's
`pdfsig` or pyHanko's validator show, without us, that the file is the one this service sealed and that no
byte has changed since. We write and check it with pyHanko: CMS, ByteRange and incremental updates are
exactly the code a service selling trust must not write itself.

The key and certificate come from files named in the environment (`SIGNING_SEAL_KEY_FILE`,
`SIGNING_SEAL_CERT_FILE`, optional `SIGNING_SEAL_CHAIN_FILE` and `SIGNING_SEAL_KEY_PASSPHRASE`); production
refuses to start without them. Development and tests, where those are unset, make a self-signed pair in
`SIGNING_SEAL_SELF_SIGNED_DIR` on first use, so `make run` needs no manual step. With `SIGNING_TSA_URL`, each
seal carries an RFC 3161 timestamp from that service (PAdES B-T): the signing time is then vouched for by a
third party, not only by our clock.
"""

import datetime
import functools
import io
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

logger = logging.getLogger(__name__)

FIELD_NAME = "AnsatteSeal"
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----\s*", re.S)


@dataclass(frozen=True)
class SealCredentials:
    key_pem: bytes
    cert_pem: bytes
    chain_pem: bytes
    passphrase: bytes | None


@dataclass(frozen=True)
class SealCheck:
    """What the seal in a PDF says. `status`: "valid" (our certificate, the whole file covered, no byte
    changed), "broken" (a seal that does not hold: altered bytes, content added after it, or not our
    certificate) or "absent" (the file carries no signature at all)."""

    status: str
    signer: str = ""
    signed_at: datetime.datetime | None = None
    timestamped: bool = False


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous API runs `asyncio.run()`, which refuses to start inside a running event loop
    (an ASGI server, or Playwright's loop in the test process): then it runs in a thread of its own."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _pem_blocks(data: bytes, kind: bytes) -> list[bytes]:
    return [m.group(0) for m in _PEM_BLOCK.finditer(data) if m.group(1).endswith(kind)]


def _self_signed_files() -> tuple[Path, Path]:
    """Development's seal: one file holding key and certificate, written atomically so two processes
    starting at once (the test workers) never read a key without its certificate."""
    directory = Path(settings.SIGNING_SEAL_SELF_SIGNED_DIR)
    bundle = directory / "development-seal.pem"
    if not bundle.exists():
        directory.mkdir(parents=True, exist_ok=True)
        key_pem, cert_pem = make_self_signed_certificate("Ansatte development seal (not for production)")
        temporary = directory / f".development-seal.{os.getpid()}.pem"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key_pem + cert_pem)
        os.replace(temporary, bundle)
    return bundle, bundle


def configured_files() -> tuple[Path, Path, Path | None]:
    key_file, cert_file = settings.SIGNING_SEAL_KEY_FILE, settings.SIGNING_SEAL_CERT_FILE
    if not key_file or not cert_file:
        if not settings.SIGNING_SEAL_SELF_SIGNED_DIR:
            raise ImproperlyConfigured("SIGNING_SEAL_KEY_FILE and SIGNING_SEAL_CERT_FILE must be set.")
        key, cert = _self_signed_files()
        return key, cert, None
    chain = settings.SIGNING_SEAL_CHAIN_FILE
    return Path(key_file), Path(cert_file), Path(chain) if chain else None


@functools.cache
def credentials() -> SealCredentials:
    """The seal's key and certificate, read once per process (and checked: a key that does not belong to
    the certificate would produce seals no reader accepts)."""
    key_file, cert_file, chain_file = configured_files()
    key_data, cert_data = key_file.read_bytes(), cert_file.read_bytes()
    keys, certs = _pem_blocks(key_data, b"PRIVATE KEY"), _pem_blocks(cert_data, b"CERTIFICATE")
    if not keys or not certs:
        raise ImproperlyConfigured(f"No PEM private key in {key_file} or no PEM certificate in {cert_file}.")
    passphrase = settings.SIGNING_SEAL_KEY_PASSPHRASE.encode() or None
    found = SealCredentials(
        key_pem=keys[0],
        cert_pem=certs[0],
        chain_pem=b"".join(certs[1:]) + (chain_file.read_bytes() if chain_file else b""),
        passphrase=passphrase,
    )
    _check_pair(found)
    return found


def _forget_credentials(*, setting, **kwargs):
    if setting.startswith("SIGNING_SEAL_"):
        credentials.cache_clear()


setting_changed.connect(_forget_credentials)


def _check_pair(found: SealCredentials) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(found.key_pem, password=found.passphrase)
    cert = x509.load_pem_x509_certificate(found.cert_pem)
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != cert.public_key().public_bytes(
        serialization.Encoding.DER, public
    ):
        raise ImproperlyConfigured("The seal's private key does not belong to its certificate.")
    now = datetime.datetime.now(datetime.UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise ImproperlyConfigured(
            f"The seal's certificate is not valid now (until {cert.not_valid_after_utc})."
        )


def make_self_signed_certificate(common_name: str, *, days: int = 3650) -> tuple[bytes, bytes]:
    """A 3072-bit RSA key and a self-signed certificate for sealing (digital signature and
    non-repudiation key usage, which PDF validators require of a signer's certificate)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DK"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ansatte"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _asn1_certs(pem: bytes) -> list:
    from pyhanko.keys import load_certs_from_pemder_data

    return list(load_certs_from_pemder_data(pem)) if pem else []


def _signer():
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    found = credentials()
    return signers.SimpleSigner(
        signing_cert=_asn1_certs(found.cert_pem)[0],
        signing_key=load_private_key_from_pemder_data(found.key_pem, passphrase=found.passphrase),
        cert_registry=SimpleCertificateStore.from_certs(_asn1_certs(found.chain_pem)),
    )


def seal_pdf(pdf_bytes: bytes, *, reason: str, location: str = "Danmark") -> bytes:
    """`pdf_bytes` with the service's PAdES seal appended as an incremental update over the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
    from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

    # A signing waits at most 10 s for the timestamp service; an error there fails the completion (the
    # caller keeps the request pending), never a seal silently without the promised timestamp.
    timestamper = HTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=10) if settings.SIGNING_TSA_URL else None
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    signed = _outside_event_loop(
        signers.sign_pdf, writer, metadata, signer=_signer(), timestamper=timestamper
    )
    return signed.getvalue()


def trust_roots() -> list:
    """Certificates whose seals count as ours: the current one and those in the chain file (a CA, or the
    previous certificate kept there after a rotation, so documents sealed before still check)."""
    found = credentials()
    return _asn1_certs(found.cert_pem) + _asn1_certs(found.chain_pem)


def check_seal(pdf_bytes: bytes) -> SealCheck:
    """Check the last signature of an uploaded PDF against our certificates. Never raises on a hostile or
    broken file: anything pyHanko cannot read is a seal that does not hold."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # not a PDF pyHanko can parse: there is no seal to speak of
        return SealCheck(status="absent")
    if not signatures:
        return SealCheck(status="absent")
    embedded = signatures[-1]
    try:
        context = ValidationContext(trust_roots=trust_roots())
        status = _outside_event_loop(validate_pdf_signature, embedded, context)
    except Exception as error:  # a signature that does not verify, or a malformed one in a hostile file
        logger.info("Seal check failed: %s", type(error).__name__)
        return SealCheck(status="broken")
    holds = (
        status.intact
        and status.valid
        and status.trusted
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        and embedded.field_name == FIELD_NAME
    )
    signer = status.signing_cert.subject.native.get("common_name", "") if status.signing_cert else ""
    timestamp = status.timestamp_validity
    return SealCheck(
        status="valid" if holds else "broken",
        signer=signer if holds else "",
        signed_at=(timestamp.timestamp if timestamp is not None else status.signer_reported_dt)
        if holds
        else None,
        timestamped=bool(holds and timestamp is not None and timestamp.valid and timestamp.intact),
    )

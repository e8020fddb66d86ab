"""Signing documents: send for signature, sign (company: TOTP; employee: emailed/SMS code), complete.

Rules, each enforced here rather than in views:
* Only an active PDF document can be sent, and only one request may be pending for it.
* The document's SHA-256 is fixed when it is sent; each signature re-hashes the decrypted file and
  refuses a mismatch, and completion checks it once more before producing the signed PDF.
* One signature per signer: the signer row is locked (`select_for_update`) and `Signature.signer` is
  unique, so a double submit or two concurrent requests give exactly one signature.
* The employee's link carries a random token (only its SHA-256 is stored), expires, and is dead once the
  signer has signed or the request is cancelled. Codes are 6 digits, stored as keyed hashes, expire,
  allow a few attempts each and a few sends per hour.
"""

import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from hrportal import pdf
from hrportal.accounts.sms import send_sms
from hrportal.accounts.twofactor import verify_code
from hrportal.documents import services, storage
from hrportal.documents.models import Document, Signature, SignatureRequest, Signer
from hrportal.encryption.primitives import keyed_hash
from hrportal.tenancy import company_scope, cross_company

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
SIGNATURE_PAGE_VERSION = "v1"
METADATA_KEY = "/AnsatteVerificationCode"


class SigningError(Exception):
    def __init__(self, reason: str, message):
        super().__init__(reason)
        self.reason = reason
        self.message = message


def link_max_age() -> timedelta:
    return timedelta(seconds=settings.SIGNING_LINK_MAX_AGE)


def code_max_age() -> timedelta:
    return timedelta(seconds=settings.SIGNING_CODE_MAX_AGE)


# --- codes and tokens -----------------------------------------------------------------------------------


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))  # 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_verification_code(text: str) -> str:
    raw = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(signer: Signer, code: str) -> str:
    return keyed_hash("document-signing-code", f"{signer.uuid}:{code}")


def initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", name or "") if p]
    return "".join(f"{p[0].upper()}." for p in parts[:4])


# --- sending --------------------------------------------------------------------------------------------


def check_document_hash(document: Document, expected: str) -> None:
    """Decrypt the stored file and compare its SHA-256 with `expected` (the hash the parties sign)."""
    with services.open_original(document) as plaintext:
        actual = storage.sha256_of(plaintext)
    if not hmac.compare_digest(actual, expected) or not hmac.compare_digest(actual, document.sha256):
        raise SigningError(
            "hash_mismatch", _("The document has changed since it was sent: it cannot be signed.")
        )


# The employee's link and code go only to the employee record's email address and mobile number: never to
# an address typed by the person sending (who could otherwise receive the employee's code and sign in their
# name). Shown masked; audited as a keyed hash, never in clear.

_MOBILE = re.compile(r"\+?[0-9 ]{8,15}")


def mask_email(email: str) -> str:
    """Mask an address: soren@example.dk -> s***@example.dk."""
    local, sep, domain = (email or "").strip().rpartition("@")
    if not sep:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str) -> str:
    """Mask a number: +45 12 34 56 78 -> +45 •• •• 56 78 (only the last four digits are shown)."""
    raw = (phone or "").strip()
    digits = re.sub(r"\D", "", raw)
    international = raw.startswith(("+", "00"))
    if raw.startswith("00"):
        digits = digits[2:]
    if len(digits) < 6:
        return "••••"
    tail = f"{digits[-4:-2]} {digits[-2:]}"
    if international and digits.startswith("45") and len(digits) == 10:
        return f"+45 •• •• {tail}"
    if not international and len(digits) == 8:
        return f"•• •• {tail}"
    return f"{'+' if international else ''}{'•' * (len(digits) - 4)} {tail}"


def destination_hash(value: str) -> str:
    """Keyed hash of an email address or mobile number, for audit details (never the value itself)."""
    normalised = re.sub(r"[\s\-]", "", (value or "").strip().lower())
    return keyed_hash("document-signing-destination", normalised)


@dataclass
class EmployeeDestination:
    email: str  # the signing link always goes by email
    phone: str  # set when the code goes by SMS
    channel: str

    @property
    def by_sms(self) -> bool:
        return self.channel == Signer.Channel.SMS and bool(self.phone)

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)

    @property
    def masked(self) -> str:
        """Where the code goes, masked ("s***@example.dk" or "+45 •• •• 56 78")."""
        return mask_phone(self.phone) if self.by_sms else mask_email(self.email)

    def audit_details(self) -> dict:
        """Channel and keyed hashes of the destination: enough to match a complaint, no address."""
        details = {"channel": self.channel, "email_hash": destination_hash(self.email)}
        if self.by_sms:
            details["phone_hash"] = destination_hash(self.phone)
        return details


def employee_destination_problem(employee, channel) -> SigningError | None:
    """Why the employee cannot be sent a signing request on `channel` (None if they can)."""
    if not (employee.email or "").strip():
        return SigningError(
            "employee_no_email",
            _(
                "The employee record has no email address, and the signing link goes only there. "
                "Add the address on the employee's page (Edit) first."
            ),
        )
    if channel == Signer.Channel.SMS and not _MOBILE.fullmatch((employee.phone or "").strip()):
        return SigningError(
            "employee_no_mobile",
            _(
                "The employee record has no valid mobile number for the SMS code. Add it on the "
                "employee's page (Edit) first, or send the code by email."
            ),
        )
    return None


def employee_destination(employee, channel) -> EmployeeDestination:
    """The employee record's own email address (and mobile for SMS). Raises SigningError if missing."""
    problem = employee_destination_problem(employee, channel)
    if problem is not None:
        raise problem
    channel = Signer.Channel.SMS if channel == Signer.Channel.SMS else Signer.Channel.EMAIL
    return EmployeeDestination(
        email=employee.email.strip(),
        phone=employee.phone.strip() if channel == Signer.Channel.SMS else "",
        channel=channel,
    )


def signer_destination(signer: Signer) -> EmployeeDestination | None:
    """Where an employee signer's link and code go (as fixed when the document was sent)."""
    if signer.role != Signer.Role.EMPLOYEE:
        return None
    return EmployeeDestination(email=signer.email or "", phone=signer.phone or "", channel=signer.channel)


def send_for_signature(
    document: Document,
    *,
    user,
    employee_signs: bool,
    company_signs: bool,
    channel: str = Signer.Channel.EMAIL,
    base_url: str,
) -> SignatureRequest:
    """Create the request. The employee's destination is taken from `document.employee` only."""
    if document.is_void or not document.is_pdf:
        raise SigningError("not_signable", _("Only an active PDF document can be sent for signature."))
    if document.signature_requests.filter(status=SignatureRequest.Status.PENDING).exists():
        raise SigningError("already_pending", _("The document is already awaiting signatures."))
    if document.status == Document.Status.SIGNED:
        raise SigningError("already_signed", _("The document has already been signed."))
    destination = employee_destination(document.employee, channel) if employee_signs else None
    check_document_hash(document, document.sha256)
    request = SignatureRequest.objects.create(
        company=document.company,
        document=document,
        document_sha256=document.sha256,
        verification_code=new_verification_code(),
        created_by=user,
    )
    if company_signs:
        Signer.objects.create(company=document.company, request=request, role=Signer.Role.COMPANY)
    if employee_signs:
        token = secrets.token_urlsafe(32)
        signer = Signer.objects.create(
            company=document.company,
            request=request,
            role=Signer.Role.EMPLOYEE,
            name=document.employee.name,
            email=destination.email,
            phone=destination.phone,
            channel=destination.channel,
            token_hash=token_hash(token),
            token_expires_at=timezone.now() + link_max_age(),
        )
        link = f"{base_url}/sign/{token}/"
        language = document.language or "da"
        company_name = document.company.name
        expires = signer.token_expires_at
        email = destination.email

        def send():
            with translation.override(language):
                send_mail(
                    render_to_string(
                        "hrportal/documents/emails/sign_request_subject.txt", {"company": company_name}
                    ).strip(),
                    render_to_string(
                        "hrportal/documents/emails/sign_request.txt",
                        {"company": company_name, "link": link, "expires": expires},
                    ),
                    None,
                    [email],
                )

        transaction.on_commit(send)
    document.status = Document.Status.AWAITING_SIGNATURES
    document.save(update_fields=["status"])
    return request


def cancel_request(request: SignatureRequest) -> None:
    request.status = SignatureRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    document = request.document
    if document.status == Document.Status.AWAITING_SIGNATURES:
        document.status = Document.Status.ACTIVE
        document.save(update_fields=["status"])


# --- the employee's link and code -----------------------------------------------------------------------


def signer_for_token(token: str) -> Signer | None:
    """The employee signer whose link this is, if the link is still usable (else None)."""
    if not token or len(token) > 100:
        return None
    with cross_company(reason="a signing link names its signer, not the company"):
        signer = (
            Signer.objects.select_related("request", "request__document", "company")
            .filter(token_hash=token_hash(token), role=Signer.Role.EMPLOYEE)
            .first()
        )
    if signer is None:
        return None
    if (
        signer.request.status != SignatureRequest.Status.PENDING
        or signer.token_expires_at is None
        or signer.token_expires_at < timezone.now()
    ):
        return None
    with company_scope(signer.company):
        if Signature.objects.filter(signer_id=signer.pk).exists():
            return None
    return signer


def send_code(signer: Signer) -> None:
    """Send a fresh 6-digit code to the signer (email or SMS). Limited to a few sends per hour."""
    now = timezone.now()
    with company_scope(signer.company):
        locked = Signer.objects.select_for_update().get(pk=signer.pk)
        recent = [t for t in locked.code_sent_at if datetime.fromisoformat(t) > now - timedelta(hours=1)]
        if len(recent) >= settings.SIGNING_CODE_MAX_SENDS_PER_HOUR:
            raise SigningError("too_many_codes", _("Too many codes were sent. Try again in an hour."))
        code = f"{secrets.randbelow(10**6):06d}"
        locked.code_hash = _code_hash(locked, code)
        locked.code_expires_at = now + code_max_age()
        locked.code_attempts = 0
        locked.code_sent_at = [*recent, now.isoformat()]
        locked.save(update_fields=["code_hash", "code_expires_at", "code_attempts", "code_sent_at"])
        minutes = int(code_max_age().total_seconds() // 60)
        language = locked.request.document.language or "da"
        with translation.override(language):
            message = str(
                _(
                    "Your code for signing the document from %(company)s: %(code)s. "
                    "It expires in %(minutes)s minutes."
                )
            ) % {"company": locked.company.name, "code": code, "minutes": minutes}
            if locked.channel == Signer.Channel.SMS and locked.phone:
                send_sms(locked.phone, message)
            else:
                send_mail(str(_("Your signing code")), message, None, [locked.email])


def sign_as_employee(signer: Signer, code: str, *, ip_hash: str = "") -> Signature:
    with company_scope(signer.company), transaction.atomic():
        locked = (
            Signer.objects.select_for_update()
            .select_related("request", "request__document")
            .get(pk=signer.pk)
        )
        if locked.signature_or_none is not None:
            raise SigningError("already_signed", _("You have already signed this document."))
        if (
            locked.request.status != SignatureRequest.Status.PENDING
            or locked.token_expires_at < timezone.now()
        ):
            raise SigningError("link_expired", _("The signing link has expired or was cancelled."))
        if not locked.code_hash or locked.code_expires_at is None or locked.code_expires_at < timezone.now():
            raise SigningError("code_expired", _("The code has expired. Ask for a new code."))
        max_attempts = settings.SIGNING_CODE_MAX_ATTEMPTS
        if locked.code_attempts >= max_attempts:
            raise SigningError("too_many_attempts", _("Too many wrong codes. Ask for a new code."))
        clean = re.sub(r"\s", "", code or "")
        wrong = not (clean.isdigit() and hmac.compare_digest(_code_hash(locked, clean), locked.code_hash))
        if wrong:
            # Counted and committed (no exception inside this block, which would roll the count back).
            locked.code_attempts += 1
            locked.save(update_fields=["code_attempts"])
        else:
            # A code works once.
            locked.code_hash = ""
            locked.code_expires_at = None
            locked.save(update_fields=["code_hash", "code_expires_at"])
            method = (
                Signature.Method.SMS_CODE
                if locked.channel == Signer.Channel.SMS
                else Signature.Method.EMAIL_CODE
            )
            return _record_signature(locked, name=locked.name, user=None, method=method, ip_hash=ip_hash)
    raise SigningError("wrong_code", _("The code is not correct."))


def sign_as_company(request: SignatureRequest, *, user, code: str, ip_hash: str = "") -> Signature:
    """The company's representative signs with a fresh TOTP code (never a backup code)."""
    with transaction.atomic():
        signer = (
            Signer.objects.select_for_update()
            .select_related("request", "request__document")
            .filter(request=request, role=Signer.Role.COMPANY)
            .first()
        )
        if signer is None:
            raise SigningError(
                "no_company_signer", _("The company is not a party to this signature request.")
            )
        if signer.signature_or_none is not None:
            raise SigningError("already_signed", _("The company has already signed this document."))
        if signer.request.status != SignatureRequest.Status.PENDING:
            raise SigningError("not_pending", _("The document is not awaiting signatures."))
        # verify_code records throttling and the used time step: no exception in this block on a wrong
        # code, so that bookkeeping is committed.
        if verify_code(user, code, allow_backup=False) is not None:
            name = user.get_full_name() or user.email
            return _record_signature(
                signer, name=name, user=user, method=Signature.Method.TOTP, ip_hash=ip_hash
            )
    raise SigningError("wrong_code", _("The authenticator code is not correct or was already used."))


def _record_signature(signer: Signer, *, name, user, method, ip_hash) -> Signature:
    request = signer.request
    check_document_hash(request.document, request.document_sha256)
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                company_id=signer.company_id,
                signer=signer,
                signer_name=name or "",
                initials=initials(name),
                user=user,
                role=signer.role,
                method=method,
                document_sha256=request.document_sha256,
                ip_hash=ip_hash,
            )
    except IntegrityError as exc:
        raise SigningError("already_signed", _("This party has already signed.")) from exc
    maybe_complete(request)
    return signature


# --- completion: the signed PDF ---------------------------------------------------------------------------


def maybe_complete(request: SignatureRequest) -> bool:
    """When every signer has signed: produce and store the signed PDF. True if the request completed now."""
    request = SignatureRequest.objects.select_for_update().select_related("document").get(pk=request.pk)
    if request.status != SignatureRequest.Status.PENDING:
        return False
    signers = list(request.signers.all())
    signatures = list(Signature.objects.filter(signer__request=request).order_by("signed_at", "id"))
    if len(signatures) < len(signers):
        return False
    document = request.document
    request.signature_page_version = SIGNATURE_PAGE_VERSION
    with services.open_original(document) as original:
        if not hmac.compare_digest(storage.sha256_of(original), request.document_sha256):
            raise SigningError(
                "hash_mismatch", _("The document has changed since it was sent: it cannot be signed.")
            )
        signed_pdf = build_signed_pdf(original.read(), document, request, signatures)
    name, sha, size = storage.store_encrypted(
        document.company_id, io.BytesIO(signed_pdf), document.file_aad("signed")
    )
    try:
        with transaction.atomic():
            now = timezone.now()
            document.signed_storage_name, document.signed_sha256, document.signed_size = name, sha, size
            document.signed_at = now
            document.status = Document.Status.SIGNED
            document.save(
                update_fields=["signed_storage_name", "signed_sha256", "signed_size", "signed_at", "status"]
            )
            request.status = SignatureRequest.Status.COMPLETED
            request.completed_at = now
            request.save(update_fields=["status", "completed_at", "signature_page_version"])
    except BaseException:
        storage.delete_quietly(name)  # the rows were not saved: no signed PDF without them
        raise
    return True


def _masked_signer_destination(signature: Signature) -> str:
    if signature.method not in (Signature.Method.EMAIL_CODE, Signature.Method.SMS_CODE):
        return ""
    destination = signer_destination(signature.signer)
    if destination is None:
        return ""
    return (
        mask_phone(destination.phone)
        if signature.method == Signature.Method.SMS_CODE
        else destination.masked_email
    )


def signature_page_pdf(document: Document, request: SignatureRequest, signatures) -> bytes:
    language = document.language or "da"
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "title": "Underskrifter" if language == "da" else "Signatures",
        "header": document.company.name,
        "footer": f"Ansatte · {request.verification_code}",
        "company": document.company,
        "kind": document.get_kind_display(),
        "signatures": [
            {
                "name": s.signer_name,
                "role": s.get_role_display(),
                "signed_at": timezone.localtime(s.signed_at),
                "method": s.get_method_display(),
                # Where the employee's code went, masked: "Code sent by email to s***@example.dk".
                "destination": _masked_signer_destination(s),
            }
            for s in signatures
        ],
        "sha256": request.document_sha256,
        "verification_code": request.verification_code,
        "verify_url": f"{base}/verify/",
        "template_version": document.template_version,
        "template_name": document.template_name,
        "signature_page_version": request.signature_page_version or SIGNATURE_PAGE_VERSION,
    }
    return pdf.render_pdf(
        f"hrportal/documents/signature_page_{context['signature_page_version']}_{language}.html",
        context,
        language,
        created_at=request.completed_at or max(s.signed_at for s in signatures),
    )


def build_signed_pdf(original: bytes, document: Document, request: SignatureRequest, signatures) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    for page in PdfReader(io.BytesIO(signature_page_pdf(document, request, signatures))).pages:
        writer.add_page(page)
    writer.add_metadata(
        {
            # Without dashes: pypdf escapes "-" in strings, and the raw-byte search must find it.
            METADATA_KEY: request.verification_code.replace("-", ""),
            "/AnsatteOriginalSHA256": request.document_sha256,
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- verification --------------------------------------------------------------------------------------


@dataclass
class VerificationResult:
    status: str  # "intact", "altered", "voided", "unknown"
    request: SignatureRequest | None = None
    document: Document | None = None
    signatures: list | None = None
    uploaded_sha256: str = ""


def _result_for(
    request: SignatureRequest | None, status: str, uploaded_sha256: str = ""
) -> VerificationResult:
    if request is None:
        return VerificationResult(status="unknown", uploaded_sha256=uploaded_sha256)
    with company_scope(request.company):
        signatures = list(Signature.objects.filter(signer__request=request).order_by("signed_at", "id"))
    return VerificationResult(
        status=status,
        request=request,
        document=request.document,
        signatures=signatures,
        uploaded_sha256=uploaded_sha256,
    )


def _completed_request(**filters) -> SignatureRequest | None:
    with cross_company(reason="a verification code names a signed document, not the company"):
        return (
            SignatureRequest.objects.select_related("document", "company")
            .filter(status=SignatureRequest.Status.COMPLETED, **filters)
            .first()
        )


def verify_code_lookup(code: str) -> VerificationResult:
    """Intact for the code of a signed document; voided when the company has since withdrawn it."""
    request = _completed_request(verification_code=normalise_verification_code(code))
    if request is None:
        return VerificationResult(status="unknown")
    return _result_for(request, "voided" if request.document.is_void else "intact")


_CODE_IN_PDF = re.compile(rb"([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")
_CODE_IN_METADATA = re.compile(rb"/AnsatteVerificationCode\s*\(([A-Z2-9]{16})\)")


def verify_uploaded_pdf(fileobj) -> VerificationResult:
    """Intact when the file is byte for byte the signed PDF we produced; altered when it carries one of our
    verification codes but differs; unknown otherwise. A signed document the company has since voided is
    "voided" either way: the holder must learn that it no longer stands, not that the file changed."""
    sha = storage.sha256_of(fileobj)
    with cross_company(reason="an uploaded PDF is matched by its hash against every signed document"):
        document = (
            Document.objects.filter(
                signed_sha256=sha, status__in=[Document.Status.SIGNED, Document.Status.VOID]
            )
            .order_by("pk")
            .first()
        )
        request = (
            document.signature_requests.filter(status=SignatureRequest.Status.COMPLETED).first()
            if document
            else None
        )
    if request is not None:
        return _result_for(request, "voided" if document.is_void else "intact", sha)
    for code in _codes_in(fileobj):
        request = _completed_request(verification_code=code)
        if request is not None:
            return _result_for(request, "voided" if request.document.is_void else "altered", sha)
    return VerificationResult(status="unknown", uploaded_sha256=sha)


def _codes_in(fileobj) -> list[str]:
    """Verification codes found in the raw bytes (metadata) or, failing that, in the text of the pages."""
    fileobj.seek(0)
    found: list[str] = []
    tail = b""
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        buffer = tail + chunk
        matches = [*_CODE_IN_METADATA.finditer(buffer), *_CODE_IN_PDF.finditer(buffer)]
        for match in matches:
            code = normalise_verification_code(match.group(1).decode())
            if code not in found:
                found.append(code)
        tail = chunk[-64:]
    if found:
        return found[:10]
    try:
        from pypdf import PdfReader

        fileobj.seek(0)
        reader = PdfReader(fileobj, strict=False)
        text = " ".join((page.extract_text() or "") for page in reader.pages[-2:])
        found = list(dict.fromkeys(_CODE_IN_PDF.findall(text.encode("latin-1", "replace"))))
        return [c.decode() for c in found][:10]
    except Exception:  # any unreadable file simply carries no code
        return []
    finally:
        fileobj.seek(0)

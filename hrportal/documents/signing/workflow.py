"""The states of a signature request and the steps between them: send, sign, complete, cancel.

Rules, each enforced here rather than in views:
* Only an active PDF document can be sent, and only one request may be pending for it.
* The document's SHA-256 is fixed when it is sent; each signature re-hashes the decrypted file and
  refuses a mismatch, and completion checks it once more before producing the signed PDF.
* One signature per signer: the signer row is locked (`select_for_update`) and `Signature.signer` is
  unique, so a double submit or two concurrent requests give exactly one signature.
* The employee's link carries a random token (only its SHA-256 is stored), expires, and is dead once the
  signer has signed or the request is cancelled. Codes are 6 digits, stored as keyed hashes, expire,
  allow a few attempts each and a few sends per hour.
* On completion every signer is told: the employee gets a new link (a new token: the first one's is not
  kept) that gives the signed copy for 30 days behind the same kind of code; the company's signers a link
  into the portal. No e-mail ever carries the document itself.
"""

import hmac
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from config import mail
from hrportal.accounts.sms import send_sms
from hrportal.accounts.twofactor import verify_code
from hrportal.documents import services, storage
from hrportal.documents.models import Document, DocumentKind, Signature, SignatureRequest, Signer
from hrportal.documents.signing import codes, signed_pdf
from hrportal.documents.signing.destinations import employee_destination, signer_destination
from hrportal.documents.signing.errors import SigningError
from hrportal.tenancy import company_scope


def initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", name or "") if p]
    return "".join(f"{p[0].upper()}." for p in parts[:4])


def check_document_hash(document: Document, expected: str) -> None:
    """Decrypt the stored file and compare its SHA-256 with `expected` (the hash the parties sign)."""
    with services.open_original(document) as plaintext:
        actual = storage.sha256_of(plaintext)
    if not hmac.compare_digest(actual, expected) or not hmac.compare_digest(actual, document.sha256):
        raise SigningError(
            "hash_mismatch", _("The document has changed since it was sent: it cannot be signed.")
        )


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
        verification_code=codes.new_verification_code(),
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
            token_hash=codes.token_hash(token),
            token_expires_at=timezone.now() + codes.link_max_age(),
        )
        link = f"{base_url}/sign/{token}/"
        language = document.language or "da"
        company_name = document.company.name
        expires = signer.token_expires_at
        email = destination.email

        def send():
            with translation.override(language):
                mail.send(
                    "hrportal/documents/emails/sign_request",
                    {"company": company_name, "link": link, "expires": expires},
                    to=[email],
                )

        transaction.on_commit(send)
    document.status = Document.Status.AWAITING_SIGNATURES
    document.save(update_fields=["status"])
    return request


def sent_audit_details(request: SignatureRequest) -> dict:
    """What the audit log keeps of a sent request: who signs and, for the employee, the channel and keyed
    hashes of the destination, enough to answer "where did my code go?" without holding the address."""
    signers = list(request.signers.all())
    employee_signer = next((s for s in signers if s.role == Signer.Role.EMPLOYEE), None)
    details = {
        "request": request.pk,
        "employee": employee_signer is not None,
        "company_signs": any(s.role == Signer.Role.COMPANY for s in signers),
    }
    if employee_signer is not None:
        details.update(signer_destination(employee_signer).audit_details())
    return details


def cancel_request(request: SignatureRequest) -> None:
    request.status = SignatureRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    document = request.document
    if document.status == Document.Status.AWAITING_SIGNATURES:
        document.status = Document.Status.ACTIVE
        document.save(update_fields=["status"])


# --- the employee's code and the signatures ---------------------------------------------------------


def send_code(signer: Signer, *, purpose: str = "sign") -> None:
    """Send a fresh 6-digit code to the signer (email or SMS). Limited to a few sends per hour.
    `purpose` "copy": the code opens the signed copy, and the message says so."""
    now = timezone.now()
    with company_scope(signer.company):
        locked = Signer.objects.select_for_update().get(pk=signer.pk)
        recent = [t for t in locked.code_sent_at if datetime.fromisoformat(t) > now - timedelta(hours=1)]
        if len(recent) >= settings.SIGNING_CODE_MAX_SENDS_PER_HOUR:
            raise SigningError("too_many_codes", _("Too many codes were sent. Try again in an hour."))
        code = f"{secrets.randbelow(10**6):06d}"
        locked.code_hash = codes.code_hash(locked, code)
        locked.code_expires_at = now + codes.code_max_age()
        locked.code_attempts = 0
        locked.code_sent_at = [*recent, now.isoformat()]
        locked.save(update_fields=["code_hash", "code_expires_at", "code_attempts", "code_sent_at"])
        minutes = int(codes.code_max_age().total_seconds() // 60)
        language = locked.request.document.language or "da"
        with translation.override(language):
            if purpose == "copy":
                text = _(
                    "Your code for downloading the signed document from %(company)s: %(code)s. "
                    "It expires in %(minutes)s minutes."
                )
            else:
                text = _(
                    "Your code for signing the document from %(company)s: %(code)s. "
                    "It expires in %(minutes)s minutes."
                )
            message = str(text) % {"company": locked.company.name, "code": code, "minutes": minutes}
            if locked.channel == Signer.Channel.SMS and locked.phone:
                send_sms(locked.phone, message)
            else:
                mail.send(
                    "hrportal/documents/emails/signing_code",
                    {"company": locked.company.name, "code_message": message, "code": code},
                    subject=str(_("Your signing code")),
                    to=[locked.email],
                )


def _code_matches(locked: Signer, code: str) -> bool:
    """Check the employee's code on a locked signer row: a right code works once; a wrong one is counted
    (and committed: the caller raises only after its atomic block). Expired or exhausted codes raise."""
    if not locked.code_hash or locked.code_expires_at is None or locked.code_expires_at < timezone.now():
        raise SigningError("code_expired", _("The code has expired. Ask for a new code."))
    if locked.code_attempts >= settings.SIGNING_CODE_MAX_ATTEMPTS:
        raise SigningError("too_many_attempts", _("Too many wrong codes. Ask for a new code."))
    clean = re.sub(r"\s", "", code or "")
    if not (clean.isdigit() and hmac.compare_digest(codes.code_hash(locked, clean), locked.code_hash)):
        locked.code_attempts += 1
        locked.save(update_fields=["code_attempts"])
        return False
    locked.code_hash = ""
    locked.code_expires_at = None
    locked.save(update_fields=["code_hash", "code_expires_at"])
    return True


def open_signed_copy(signer: Signer, code: str) -> None:
    """The employee's code for the signed copy: returns when it is right, raises SigningError otherwise."""
    with company_scope(signer.company), transaction.atomic():
        locked = Signer.objects.select_for_update().select_related("request").get(pk=signer.pk)
        if (
            locked.request.status != SignatureRequest.Status.COMPLETED
            or locked.token_expires_at is None
            or locked.token_expires_at < timezone.now()
        ):
            raise SigningError("link_expired", _("The link has expired."))
        if _code_matches(locked, code):
            return
    raise SigningError("wrong_code", _("The code is not correct."))


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
        if _code_matches(locked, code):
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


# --- completion ------------------------------------------------------------------------------------------


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
    name, sha, size = signed_pdf.seal(request, signatures)
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
            notices = _copy_notices(request, signers, signatures, now)
            transaction.on_commit(lambda: _send_copy_notices(notices))
    except BaseException:
        storage.delete_quietly(name)  # the rows were not saved: no signed PDF without them
        raise
    return True


def _copy_notices(request: SignatureRequest, signers, signatures, now) -> list[dict]:
    """Who is told that the document is signed, with which link. The employee's link gets a new token
    (only hashes are stored, so the signing link cannot be sent again) valid `copy_link_max_age()`."""
    document = request.document
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    common = {
        "company": document.company.name,
        "kind_value": document.kind,
        "language": document.language or "da",
    }
    notices = []
    for signer in signers:
        if signer.role == Signer.Role.EMPLOYEE and signer.email:
            token = secrets.token_urlsafe(32)
            signer.token_hash = codes.token_hash(token)
            signer.token_expires_at = now + codes.copy_link_max_age()
            signer.code_hash, signer.code_expires_at, signer.code_attempts = "", None, 0
            signer.save(
                update_fields=[
                    "token_hash",
                    "token_expires_at",
                    "code_hash",
                    "code_expires_at",
                    "code_attempts",
                ]
            )
            notices.append(
                {
                    **common,
                    "to": signer.email,
                    "link": f"{base}/sign/{token}/copy/",
                    "expires": signer.token_expires_at,
                }
            )
    for signature in signatures:
        if signature.role == Signer.Role.COMPANY and signature.user is not None and signature.user.email:
            notices.append(
                {**common, "to": signature.user.email, "link": f"{base}/portal/documents/{document.pk}/"}
            )
    return notices


def _send_copy_notices(notices: list[dict]) -> None:
    for notice in notices:
        template = "signed_copy" if "expires" in notice else "signed_copy_company"
        with translation.override(notice["language"]):
            context = {**notice, "kind": str(DocumentKind(notice["kind_value"]).label)}
            mail.send(
                f"hrportal/documents/emails/{template}",
                context,
                subject=mail.render_text("hrportal/documents/emails/signed_copy_subject.txt", context),
                to=[notice["to"]],
            )

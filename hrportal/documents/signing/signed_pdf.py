"""The signed PDF: the original's pages, a signature page, the verification code in the metadata, and the
service's PAdES seal over all of it (`pades`).

Versioned (`SIGNATURE_PAGE_VERSION`, recorded on the request) so a signed document can be re-rendered
exactly as it was produced, and sealed into encrypted storage only after the original's hash is checked
once more: what the parties signed is what the file holds.
"""

import hmac
import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from hrportal import pdf
from hrportal.documents import services, storage
from hrportal.documents.models import Document, Signature, SignatureRequest
from hrportal.documents.signing import pades
from hrportal.documents.signing.destinations import signer_destination
from hrportal.documents.signing.errors import SigningError
from hrportal.masking import mask_phone

SIGNATURE_PAGE_VERSION = "v1"
METADATA_KEY = "/AnsatteVerificationCode"


def seal(request: SignatureRequest, signatures) -> tuple[str, str, int]:
    """Build the signed PDF from the stored original and store it encrypted: (storage name, sha, size).

    Sets `request.signature_page_version`; the caller saves the request and deletes the stored file if
    that fails, so there is never a signed PDF without the rows that say so."""
    document = request.document
    request.signature_page_version = SIGNATURE_PAGE_VERSION
    with services.open_original(document) as original:
        if not hmac.compare_digest(storage.sha256_of(original), request.document_sha256):
            raise SigningError(
                "hash_mismatch", _("The document has changed since it was sent: it cannot be signed.")
            )
        signed_pdf = build_signed_pdf(original.read(), document, request, signatures)
    return storage.store_encrypted(document.company_id, io.BytesIO(signed_pdf), document.file_aad("signed"))


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
    with translation.override(language):  # the labels (kind, roles, methods) in the document's language
        context = _signature_page_context(document, request, signatures, language, base)
    return pdf.render_pdf(
        f"hrportal/documents/signature_page_{context['signature_page_version']}_{language}.html",
        context,
        language,
        created_at=request.completed_at or max(s.signed_at for s in signatures),
    )


def _signature_page_context(document, request, signatures, language, base) -> dict:
    return {
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
    with translation.override(document.language or "da"):
        reason = str(_("Signed by all parties; sealed by Ansatte"))
        location = str(_("Denmark"))
    # The seal goes last, over every byte before it: any later change shows in every PDF reader.
    return pades.seal_pdf(out.getvalue(), reason=reason, location=location)

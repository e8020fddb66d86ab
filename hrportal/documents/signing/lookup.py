"""The lookups of signing that cross companies, and nothing else.

A `/sign/` link names its signer and a `/verify/` code or uploaded PDF names a signed document, never the
company: these are the only queries that must find a row before its company is known. Keeping them in one
module keeps the `cross_company` door (`hrportal.tenancy.CROSS_COMPANY_CALLERS`) this narrow.
"""

from django.utils import timezone

from hrportal.documents.models import Document, Signature, SignatureRequest, Signer
from hrportal.documents.signing.codes import token_hash
from hrportal.tenancy import company_scope, cross_company


def signer_for_token(token: str) -> Signer | None:
    """None for a link that is unknown, expired, cancelled or already used: the page says the same for
    all of them, so a guesser learns nothing."""
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


def signer_for_copy(token: str) -> Signer | None:
    """The employee whose copy link this is: the request completed, the link not expired, the document
    still signed (a voided one is no longer handed out), and the employee has signed."""
    with cross_company(reason="a signed-copy link names its signer, not the company"):
        signer = (
            Signer.objects.select_related("request", "request__document", "company")
            .filter(token_hash=token_hash(token), role=Signer.Role.EMPLOYEE)
            .first()
        )
    if (
        signer is None
        or signer.request.status != SignatureRequest.Status.COMPLETED
        or signer.request.document.status != Document.Status.SIGNED
        or signer.token_expires_at is None
        or signer.token_expires_at < timezone.now()
    ):
        return None
    with company_scope(signer.company):
        if not Signature.objects.filter(signer_id=signer.pk).exists():
            return None
    return signer


def completed_request(**filters) -> SignatureRequest | None:
    with cross_company(reason="a verification code names a signed document, not the company"):
        return (
            SignatureRequest.objects.select_related("document", "company")
            .filter(status=SignatureRequest.Status.COMPLETED, **filters)
            .first()
        )


def completed_request_for_signed_file(sha256: str) -> SignatureRequest | None:
    """The request whose signed PDF has exactly this hash (its document still signed, or voided since)."""
    with cross_company(reason="an uploaded PDF is matched by its hash against every signed document"):
        document = (
            Document.objects.filter(
                signed_sha256=sha256, status__in=[Document.Status.SIGNED, Document.Status.VOID]
            )
            .order_by("pk")
            .first()
        )
        return (
            document.signature_requests.filter(status=SignatureRequest.Status.COMPLETED).first()
            if document
            else None
        )

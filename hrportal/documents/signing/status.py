"""Where a document's signing stands, as its page shows it: one answer for the view and for tests.

The page must never offer a step the workflow would refuse (sending twice, the company signing twice), so
what may be done next is decided here, next to the states, not in the template or the view.
"""

from dataclasses import dataclass

from hrportal.documents.models import Document, SignatureRequest, Signer
from hrportal.documents.signing.destinations import signer_destination


@dataclass
class SigningStatus:
    request: SignatureRequest | None  # the pending request, else the completed one
    signers: list  # each with `masked_destination`: where its link and code went, masked
    can_send: bool
    company_can_sign: bool  # the company is a party and has not signed yet (staff on a mandate never sign)


def signing_status(document: Document) -> SigningStatus:
    pending = document.signature_requests.filter(status=SignatureRequest.Status.PENDING).first()
    completed = document.signature_requests.filter(status=SignatureRequest.Status.COMPLETED).first()
    current = pending or completed
    signers = list(current.signers.select_related("signature").all()) if current else []
    for signer in signers:
        destination = signer_destination(signer)
        signer.masked_destination = destination.masked if destination else ""
    company_signer = next((s for s in signers if s.role == Signer.Role.COMPANY), None)
    return SigningStatus(
        request=current,
        signers=signers,
        can_send=document.is_pdf and not document.is_void and current is None,
        company_can_sign=(
            pending is not None and company_signer is not None and company_signer.signature_or_none is None
        ),
    )

"""Signing documents: send for signature, sign (company: TOTP; employee: emailed/SMS code), complete, verify.

One module per idea, so a change to one (say, how the signature page looks) is reviewed without reading
the others:

* `workflow`: the request's states and the steps between them, with the rules each step enforces.
* `destinations`: where the employee's link and code go (the employee record only), masked and hashed.
* `codes`: verification codes, link tokens and one-time codes, and how long they live.
* `signed_pdf`: the signature page and the signed PDF; `pades`: the PAdES seal over it, and its check.
* `status`: where a document's signing stands and what may be done next, as its page shows it.
* `verification`: `/verify/` by code or by uploaded file.
* `lookup`: the few queries that must cross companies (a link or code names no company).

The names other modules use are re-exported here, so callers say `signing.send_for_signature(...)`.
"""

from hrportal.documents.signing.codes import normalise_verification_code, token_hash
from hrportal.documents.signing.destinations import (
    EmployeeDestination,
    destination_hash,
    employee_destination,
    employee_destination_problem,
    masked_record_destinations,
    signer_destination,
)
from hrportal.documents.signing.errors import SigningError
from hrportal.documents.signing.lookup import signer_for_copy, signer_for_token
from hrportal.documents.signing.signed_pdf import METADATA_KEY, SIGNATURE_PAGE_VERSION
from hrportal.documents.signing.status import SigningStatus, signing_status
from hrportal.documents.signing.verification import (
    VerificationResult,
    verify_code_lookup,
    verify_uploaded_pdf,
)
from hrportal.documents.signing.workflow import (
    cancel_request,
    maybe_complete,
    open_signed_copy,
    send_code,
    send_for_signature,
    sent_audit_details,
    sign_as_company,
    sign_as_employee,
)

__all__ = [
    "METADATA_KEY",
    "SIGNATURE_PAGE_VERSION",
    "EmployeeDestination",
    "SigningError",
    "SigningStatus",
    "VerificationResult",
    "cancel_request",
    "destination_hash",
    "employee_destination",
    "employee_destination_problem",
    "masked_record_destinations",
    "maybe_complete",
    "open_signed_copy",
    "normalise_verification_code",
    "send_code",
    "send_for_signature",
    "sent_audit_details",
    "sign_as_company",
    "sign_as_employee",
    "signer_destination",
    "signer_for_copy",
    "signer_for_token",
    "signing_status",
    "token_hash",
    "verify_code_lookup",
    "verify_uploaded_pdf",
]

"""Where the employee's signing link and code go: the employee record's own e-mail address and mobile.

Never to an address typed by the person sending, who could otherwise receive the employee's code and sign
in their name. Shown masked (`hrportal.masking`); audited as a keyed hash, never in clear.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hrportal.documents.models import Signer
from hrportal.documents.signing.errors import SigningError
from hrportal.encryption.primitives import keyed_hash
from hrportal.masking import mask_email, mask_phone

_MOBILE = re.compile(r"\+?[0-9 ]{8,15}")


def destination_hash(value: str) -> str:
    """Lets a complaint ("the code went to my old address") be matched without storing the address."""
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


def masked_record_destinations(employee) -> dict:
    """Shown on the send form before anything is sent: the sender sees where the link and code would go,
    and that changing it means editing the employee record (audited), not typing an address."""
    return {
        "email": mask_email(employee.email) if employee.email else "",
        "phone": mask_phone(employee.phone) if employee.phone else "",
    }


def employee_destination_problem(employee, channel) -> SigningError | None:
    """Returned rather than raised, so the send form can show it before anything is created."""
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
    """Raises SigningError if the record lacks what the channel needs."""
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
    """As fixed on the signer when the document was sent: a later edit of the employee record does not
    redirect a pending request."""
    if signer.role != Signer.Role.EMPLOYEE:
        return None
    return EmployeeDestination(email=signer.email or "", phone=signer.phone or "", channel=signer.channel)

"""Companies (the tenants), their users and invitations, the provider mandate, the signup confirmation."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.tenancy import TenantModel


def validate_cvr(value: str) -> None:
    """A CVR number is 8 digits, the first not 0, with a modulus-11 check (weights 2,7,6,5,4,3,2,1)."""
    digits = re.sub(r"\s", "", value or "")
    if not re.fullmatch(r"[1-9]\d{7}", digits):
        raise ValidationError(_("A CVR number is 8 digits."), code="cvr_format")
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11:
        raise ValidationError(_("This is not a valid CVR number (check digit)."), code="cvr_checksum")


class Company(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        DELETING = "deleting", _("Being deleted")  # closed to everyone while the deletion job runs
        DELETED = "deleted", _("Deleted")

    name = models.CharField(_("company name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True, validators=[validate_cvr])
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    def active_mandate(self, at=None):
        return Mandate.objects.active(at).filter(company=self).first()


class Membership(models.Model):
    """A user's role in a company. Users of the portal act only for companies they are members of."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ADMIN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="membership_unique_user_company")
        ]
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.user} @ {self.company}"


class Invitation(TenantModel):
    """An invitation to administer the company, open until it is accepted, cancelled or expires.

    No user and no membership exist until the invitee accepts, so inviting looks the same to the company
    whether the email has an account or not (`invitations.py`). Only a SHA-256 hash of the link's random
    token is stored. Accepted and cancelled invitations are deleted (the audit log keeps the events),
    expired ones by the daily `purge_pending_signups`.
    """

    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200)  # as the inviting admin typed it
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.ADMIN
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "email"], name="invitation_unique_company_email")
        ]

    def __str__(self):
        return f"Invitation {self.pk} to company {self.company_id}"

    def is_expired(self, at=None) -> bool:
        return self.expires_at <= (at or timezone.now())


class MandateQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(granted_at__lte=at, revoked_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=at)
        )


class Mandate(models.Model):
    """The company's "medlemskab": it asks the provider to handle contracts, warnings and terminations.

    Rows are never edited away: a revocation sets `revoked_at`, a new grant is a new row, so the history
    of who allowed provider access when is kept.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="mandates")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            # See hrportal.companies.mandates: two concurrent grants must not both stay open.
            models.UniqueConstraint(
                fields=["company"], condition=Q(revoked_at__isnull=True), name="one_open_mandate_per_company"
            )
        ]

    def __str__(self):
        return f"Mandate {self.company_id} {self.granted_at:%Y-%m-%d}"

    @property
    def ended_by_expiry(self) -> bool:
        """Closed at its end date (before a new grant), not revoked by a person."""
        return (
            self.revoked_at is not None
            and self.valid_until is not None
            and self.revoked_at >= self.valid_until
        )

    def is_active(self, at=None):
        at = at or timezone.now()
        return (
            self.granted_at <= at
            and self.revoked_at is None
            and (self.valid_until is None or self.valid_until > at)
        )


class SignupConfirmation(models.Model):
    """Proof that the signer confirmed their authority to sign for the company.

    Keeps the wording's version, the time and a keyed hash of the IP (not the IP itself).
    """

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="signup_confirmation")
    signer_name = models.CharField(_("name"), max_length=200)
    signer_email = models.EmailField(_("email"))
    signer_mobile = models.CharField(_("mobile number"), max_length=20)
    wording_version = models.CharField(max_length=20)
    confirmed_at = models.DateTimeField(default=timezone.now)
    ip_hash = models.CharField(max_length=64, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    mobile_verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Signup confirmation for company {self.company_id}"

"""The audit log: append-only, hash-chained per company, free of personal data.

Since hash version 2 every link is an HMAC under AUDIT_CHAIN_KEY (see `hrportal.audit.chain`), and each
company's latest link is kept, with its own MAC, in `AuditChainAnchor`: an edited, inserted, rebuilt or
cut-off chain no longer verifies. Events written before that keep their plain SHA-256 (version 1) and
still verify; a version-1 event after a version-2 one does not.

Ids are stored as plain integers, not foreign keys, so deleting a user or a company (crypto-shredding)
changes no audit row and the chain still verifies. Updates and deletes are refused here, and on
PostgreSQL also by a trigger (migration 0002), so even raw SQL from the application role cannot rewrite
history without first dropping the trigger.
"""

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from hrportal.audit.chain import keyed_digest

HASH_PLAIN = 1  # SHA-256 of the canonical form: events written before the keyed chain
HASH_KEYED = 2  # HMAC-SHA256 under AUDIT_CHAIN_KEY: every event written now


class AuditImmutableError(Exception):
    """Audit events cannot be changed or deleted."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("Audit events are append-only")

    def delete(self):
        raise AuditImmutableError("Audit events are append-only")

    def for_company(self, company_id):
        return self.filter(company_id=company_id)


class Action(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    OTP_FAILED = "otp_failed", _("Wrong second-factor code")
    OTP_ENROLLED = "otp_enrolled", _("Authenticator enrolled")
    BACKUP_CODES_GENERATED = "backup_codes_generated", _("Backup codes generated")
    BACKUP_CODE_USED = "backup_code_used", _("Backup code used")
    DEVICE_RESET = "device_reset", _("Two-factor device reset")
    TWO_FACTOR_THROTTLE_RESET = "two_factor_throttle_reset", _("Two-factor wait lifted by support")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset by email")
    SIGNUP_STARTED = "signup_started", _("Signup started")
    SIGNUP_COMPLETED = "signup_completed", _("Company activated")
    USER_INVITED = "user_invited", _("User invited")
    USER_JOINED = "user_joined", _("Invitation accepted")
    INVITATION_CANCELLED = "invitation_cancelled", _("Invitation cancelled")
    USER_REMOVED = "user_removed", _("User removed")
    MANDATE_GRANTED = "mandate_granted", _("Mandate granted")
    MANDATE_REVOKED = "mandate_revoked", _("Mandate revoked")
    PROVIDER_ACCESS = "provider_access", _("Provider staff accessed the company")
    CROSS_COMPANY_DENIED = "cross_company_denied", _("Access to another company denied")
    EMPLOYEE_CREATED = "employee_created", _("Employee created")
    EMPLOYEE_CHANGED = "employee_changed", _("Employee changed")
    EMPLOYMENT_ENDED = "employment_ended", _("Employment ended")
    CPR_REVEALED = "cpr_revealed", _("CPR number shown")
    EMPLOYEE_VIEWED = "employee_viewed", _("Employee record opened")
    DOCUMENT_VIEWED = "document_viewed", _("Document opened")
    EMPLOYEES_IMPORTED = "employees_imported", _("Employees imported")
    EMPLOYEES_EXPORTED = "employees_exported", _("Employees exported")
    DSR_RECORDED = "dsr_recorded", _("Data-subject request recorded")
    DSR_CLOSED = "dsr_closed", _("Data-subject request closed")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Employee's data exported (access request)")
    EMPLOYEE_RECTIFIED = "employee_rectified", _("Employee's data rectified")
    RESTRICTION_PLACED = "restriction_placed", _("Processing restricted")
    RESTRICTION_LIFTED = "restriction_lifted", _("Restriction lifted")
    RESTRICTED_ACTION_BLOCKED = "restricted_action_blocked", _("Blocked by a restriction")
    EMPLOYEE_ERASED = "employee_erased", _("Employee erased")
    RETENTION_CHANGED = "retention_changed", _("Retention period changed")
    RETENTION_SWEEP = "retention_sweep", _("Retention sweep deleted data")
    COMPANY_DELETION_REFUSED = "company_deletion_refused", _("Company deletion refused")
    COMPANY_DELETION_STARTED = "company_deletion_started", _("Company deletion started")
    COMPANY_DELETED = "company_deleted", _("Company profile deleted")
    COMPANY_EXPORT_STARTED = "company_export_started", _("Company export started")
    COMPANY_EXPORT_CREATED = "company_export_created", _("Company export created")
    COMPANY_EXPORT_DOWNLOADED = "company_export_downloaded", _("Company export downloaded")
    INVOICE_CREATED = "invoice_created", _("Invoice created")
    INVOICE_DOWNLOADED = "invoice_downloaded", _("Invoice downloaded")
    DPA_ACCEPTED = "dpa_accepted", _("Data processing agreement accepted")
    DPA_DOWNLOADED = "dpa_downloaded", _("Data processing agreement downloaded")
    DPA_NOTICE_SENT = "dpa_notice_sent", _("Admins told about a DPA change")
    DPA_PROCESSOR_OBJECTED = "dpa_processor_objected", _("Objection to a planned sub-processor")
    DOCUMENT_UPLOADED = "document_uploaded", _("Document uploaded")
    DOCUMENT_UPLOAD_REJECTED = "document_upload_rejected", _("Document upload refused")
    DOCUMENT_CREATED = "document_created", _("Document created from a template")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded")
    DOCUMENT_VOIDED = "document_voided", _("Document voided")
    CONTRACT_ITEMS_CHANGED = "contract_items_changed", _("Contract items ticked")
    SIGNATURE_REQUESTED = "signature_requested", _("Document sent for signature")
    SIGNING_CODE_SENT = "signing_code_sent", _("Signing code sent")
    SIGNING_FAILED = "signing_failed", _("Signing refused")
    DOCUMENT_SIGNED = "document_signed", _("Document signed")
    SIGNING_COMPLETED = "signing_completed", _("Document signed by all parties")
    DOCUMENT_VERIFIED = "document_verified", _("Signed document checked")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("time"), db_index=True)
    company_id = models.BigIntegerField(_("company"), null=True, blank=True, db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True)
    actor_is_provider = models.BooleanField(_("provider staff"), default=False)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    ip_hash = models.CharField(_("hashed IP"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)
    # The default is for rows that existed before the column; `record()` always writes HASH_KEYED.
    hash_version = models.PositiveSmallIntegerField(default=HASH_PLAIN)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["company_id", "-id"], name="audit_company_recent"),
            # The read cap's lookup (`record_read`): this actor's latest event of this kind on this target.
            models.Index(
                fields=["company_id", "target_id", "actor_id", "-created_at"], name="audit_target_recent"
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("Audit events are append-only")

    def canonical(self) -> bytes:
        data = {
            "created_at": self.created_at.isoformat(),
            "company_id": self.company_id,
            "actor_id": self.actor_id,
            "actor_is_provider": self.actor_is_provider,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "outcome": self.outcome,
            "ip_hash": self.ip_hash,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }
        if self.hash_version != HASH_PLAIN:  # version 1 hashes were computed without the field
            data["hash_version"] = self.hash_version
        return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()

    def compute_hash(self) -> str:
        if self.hash_version == HASH_KEYED:
            return keyed_digest(self.canonical())
        if self.hash_version == HASH_PLAIN:
            return hashlib.sha256(self.canonical()).hexdigest()
        return ""  # an unknown version never verifies


class AuditChainAnchor(models.Model):
    """The latest event of each company's chain, kept beside the chain and updated in the same transaction.

    Deleting the newest events leaves a shorter chain that is consistent in itself; only a record of
    where the chain ended shows what is missing. The MAC (under the chain key) stops someone who can
    write the table but lacks the key from moving the anchor back to the shortened end.
    """

    chain = models.BigIntegerField(unique=True)  # company id; 0 for events of no company
    last_event_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    def __str__(self):
        return f"audit anchor {self.chain} -> #{self.last_event_id}"

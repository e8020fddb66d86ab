"""Data-subject rights, retention settings, what erasure keeps by law, and DPA acceptances.

Every personal field here is registered in `registry.py`; free text that may name a person is encrypted
with the company's data key, so destroying the key on company deletion makes any backup unreadable.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.encryption.fields import EncryptedTextField
from hrportal.privacy.dates import one_month_after
from hrportal.tenancy import TenantModel

DEFAULT_RETENTION_YEARS = 5


class RetentionPolicy(TenantModel):
    """How long a company keeps personnel files after employment ends. One row per company, or the default."""

    years_after_employment = models.PositiveSmallIntegerField(
        _("years kept after employment ends"),
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        constraints = [models.UniqueConstraint(fields=["company"], name="privacy_one_retention_policy")]

    def __str__(self):
        return f"Retention {self.years_after_employment}y (company {self.company_id})"


class DataSubjectRequest(TenantModel):
    """A request from an employee, recorded by the company's admin, due one month after receipt."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access and copy")
        RECTIFICATION = "rectification", _("Rectification")
        ERASURE = "erasure", _("Erasure")
        RESTRICTION = "restriction", _("Restriction of processing")
        OBJECTION = "objection", _("Objection")
        CONSENT_WITHDRAWAL = "consent_withdrawal", _("Withdrawal of consent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Recorded by an administrator")
        EMPLOYEE_LINK = "employee_link", _("Sent by the person through the company's request link")

    encryption_row_field = "uuid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee = models.ForeignKey(
        "employees.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employee"),
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("deadline"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    description = EncryptedTextField(_("what the person asked for"), max_length=2000, blank=True)
    outcome = EncryptedTextField(_("what was done"), max_length=2000, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A request the person sent through the company's link (`employee_requests.py`): who they said they are
    # and where they confirmed they read mail, the language they wrote in (for the status e-mail), and the
    # hash of their follow link. None of it links the request to an employee: only the admin does that.
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.ADMIN)
    # Nullable: the rows from before the link have no value (an encrypted "" can only be written by save()).
    requester_name = EncryptedTextField(_("name given"), max_length=200, null=True, blank=True)
    requester_email = EncryptedTextField(_("confirmed email"), max_length=254, null=True, blank=True)
    requester_language = models.CharField(max_length=5, blank=True)
    follow_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["status", "due_on", "pk"]

    def __str__(self):
        return f"Request #{self.pk} ({self.kind})"

    def save(self, *args, **kwargs):
        self.due_on = one_month_after(self.received_on)
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self):
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def days_left(self):
        return (self.due_on - timezone.localdate()).days


class RequestLink(TenantModel):
    """The company's link for employees' own data-subject requests: one per company, replaced to revoke.

    The link's token is not stored: it is a keyed hash of `secret` (under the server's blind-index key), so
    the admin can be shown it again while a copy of the database alone gives no working link. Lookups go by
    `token_hash` (SHA-256 of the token). Regenerating draws a new secret, which kills the old link at once.
    """

    secret = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("request link")
        constraints = [models.UniqueConstraint(fields=["company"], name="privacy_one_request_link")]

    def __str__(self):
        return f"Request link (company {self.company_id})"


class ProcessingRestriction(TenantModel):
    """GDPR art. 18: while active, no new documents and no exports of the employee (except to the person)."""

    encryption_row_field = "uuid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee = models.ForeignKey("employees.Employee", on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = EncryptedTextField(_("reason"), max_length=1000, blank=True)
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("restriction of processing")
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(lifted_at__isnull=True),
                name="privacy_one_active_restriction",
            )
        ]

    def __str__(self):
        return f"Restriction #{self.pk}"


class RetainedRecord(TenantModel):
    """What an erasure kept because the law requires it: fields (sealed as JSON), legal basis, end date."""

    encryption_row_field = "uuid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee_ref = models.BigIntegerField(_("former employee number"))
    data = EncryptedTextField()
    fields = models.JSONField(_("fields kept"), default=list)
    legal_basis = models.CharField(_("legal basis"), max_length=30)
    delete_on = models.DateField(_("deleted on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("record kept by law")
        verbose_name_plural = _("records kept by law")
        ordering = ["delete_on", "pk"]

    def __str__(self):
        return f"Retained record #{self.pk}"

    @property
    def legal_basis_text(self):
        from hrportal.privacy.registry import LEGAL_BASES

        basis = LEGAL_BASES.get(self.legal_basis)
        return basis.text if basis else self.legal_basis


class DPAAcceptance(TenantModel):
    """A company admin accepted one version of the data processing agreement (DPA).

    The agreement lives in the public site's CMS (`dpa.DataProcessingAgreement`); it is referenced by plain
    id and version, with hashes of the text and of the sub-processor list as accepted, so a later change of
    either is detected and the admins are asked again.
    """

    encryption_row_field = "uuid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement_id = models.BigIntegerField()
    version = models.CharField(_("version"), max_length=30)
    language = models.CharField(_("language"), max_length=5)
    text_sha256 = models.CharField(max_length=64)
    processors_sha256 = models.CharField(max_length=64)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_by_name = EncryptedTextField(_("accepted by"), max_length=300)
    accepted_by_email = EncryptedTextField(_("email"), max_length=254)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("DPA acceptance")
        verbose_name_plural = _("DPA acceptances")
        ordering = ["-accepted_at", "-pk"]

    def __str__(self):
        return f"DPA {self.version} accepted (company {self.company_id})"


class DPANotice(TenantModel):
    """That a company was told (email) about a new DPA version or sub-processor list: sent once per change."""

    class Kind(models.TextChoices):
        NEW_VERSION = "new_version", _("New version")
        PROCESSORS = "processors", _("Sub-processors changed")
        PLANNED_PROCESSOR = "planned_processor", _("Sub-processor planned")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    fingerprint = models.CharField(max_length=80)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "kind", "fingerprint"], name="privacy_dpa_notice_once")
        ]

    def __str__(self):
        return f"DPA notice {self.kind} (company {self.company_id})"

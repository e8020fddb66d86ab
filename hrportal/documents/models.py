"""Employment documents and their signatures.

A `Document` belongs to one employee of one company. Its file is never in the database: it is encrypted
with the company's data key and kept in the private document storage (`hrportal.documents.storage`);
the row keeps the storage name, the size and the SHA-256 of the plaintext. Titles, file names and
signer names are personal data and encrypted like the employee's fields.

Signing: a `SignatureRequest` on a document has one `Signer` per party (the employee, the company's
representative). Each signer signs at most once: the `Signature` row is unique per signer, and signing
locks the signer row (`select_for_update`) first. When every signer has signed, the signed PDF (the
original plus a signature page) is stored encrypted on the document, with a verification code.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.documents import contract_items
from hrportal.encryption.fields import EncryptedTextField
from hrportal.tenancy import TenantModel


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Employment contract / ansættelsesbevis")
    ADDENDUM = "addendum", _("Contract addendum")
    WARNING = "warning", _("Warning (advarsel)")
    TERMINATION = "termination", _("Termination (opsigelse)")
    SUMMARY_DISMISSAL = "summary_dismissal", _("Summary dismissal (bortvisning)")
    SEVERANCE = "severance", _("Severance agreement (fratrædelsesaftale)")
    OTHER = "other", _("Other")


class Document(TenantModel):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        TEMPLATE = "template", _("From a template")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        AWAITING_SIGNATURES = "awaiting", _("Awaiting signatures")
        SIGNED = "signed", _("Signed")
        VOID = "void", _("Void")

    encryption_row_field = "uuid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="documents", verbose_name=_("employee")
    )
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    title = EncryptedTextField(_("title"), max_length=200)
    document_date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.UPLOAD)
    # The template that produced the document (source=template), e.g. "contract" / "v1" / "da".
    template_name = models.CharField(_("template"), max_length=40, blank=True)
    template_version = models.CharField(_("template version"), max_length=10, blank=True)
    # The document's own language: its text, signature page, signing e-mail and signing page use it, never
    # the UI language of the person who made it.
    language = models.CharField(
        _("language"), max_length=5, choices=[("da", _("Danish")), ("en", _("English"))], default="da"
    )
    # The file: encrypted in private storage; the hash is of the plaintext.
    original_filename = EncryptedTextField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.BigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=200, editable=False)
    # The signed PDF (original + signature page), when every signer has signed.
    signed_storage_name = models.CharField(max_length=200, blank=True, editable=False)
    signed_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    signed_size = models.BigIntegerField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    void_reason = EncryptedTextField(_("reason"), max_length=500, blank=True)
    # The upload form's random key (UploadForm): the same key again gives this document, not a second one.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-document_date", "-id"]
        indexes = [models.Index(fields=["company", "employee", "kind"], name="documents_company_emp_kind")]
        constraints = [
            # One document per upload form: a double click or six concurrent posts of one form make one.
            models.UniqueConstraint(
                fields=["company", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="documents_one_per_idempotency_key",
            )
        ]

    def __str__(self):  # no personal data
        return f"Document #{self.pk}"

    @property
    def is_void(self) -> bool:
        return self.status == self.Status.VOID

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    def file_aad(self, variant: str = "original") -> bytes:
        """Associated data binding an encrypted file to this document, its company and its variant."""
        return f"documents.document|company={self.company_id}|uuid={self.uuid}|file={variant}".encode()

    def download_name(self, signed: bool = False) -> str:
        extension = {
            "application/pdf": "pdf",
            "image/png": "png",
            "image/jpeg": "jpg",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        }.get(self.content_type, "bin")
        suffix = "-signed" if signed else ""
        return f"{self.kind}-{self.document_date:%Y-%m-%d}-{self.pk}{suffix}.{'pdf' if signed else extension}"


class SignatureRequest(TenantModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting signatures")
        COMPLETED = "completed", _("Signed by all")
        CANCELLED = "cancelled", _("Cancelled")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signature_requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The SHA-256 of the file as sent for signature: checked at every signature and at completion.
    document_sha256 = models.CharField(max_length=64)
    verification_code = models.CharField(max_length=24, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The version of the signature page template that produced the signed PDF (set at completion), so a
    # signed document records which layout and wording its signature page had.
    signature_page_version = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"Signature request #{self.pk}"


class Signer(TenantModel):
    class Role(models.TextChoices):
        EMPLOYEE = "employee", _("The employee")
        COMPANY = "company", _("The company's representative")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    encryption_row_field = "uuid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(SignatureRequest, on_delete=models.CASCADE, related_name="signers")
    role = models.CharField(max_length=10, choices=Role.choices)
    # Employee signers: where the link and the code go (encrypted), and the link's hashed token.
    name = EncryptedTextField(max_length=200, blank=True)
    email = EncryptedTextField(max_length=254, blank=True)
    phone = EncryptedTextField(max_length=30, blank=True)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    code_sent_at = models.JSONField(default=list, blank=True)  # send times (ISO), for the hourly limit

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "role"], name="documents_one_signer_per_role")
        ]

    def __str__(self):
        return f"Signer #{self.pk} ({self.role})"

    @property
    def signature_or_none(self):
        try:
            return self.signature
        except Signature.DoesNotExist:
            return None


class Signature(TenantModel):
    class Method(models.TextChoices):
        TOTP = "totp", _("Authenticator code (TOTP)")
        EMAIL_CODE = "email_code", _("Code sent by email")
        SMS_CODE = "sms_code", _("Code sent by SMS")

    encryption_row_field = "uuid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # One signature per signer, whatever the number of submits: the database refuses a second row.
    signer = models.OneToOneField(Signer, on_delete=models.CASCADE, related_name="signature")
    signer_name = EncryptedTextField(max_length=200)
    initials = models.CharField(max_length=8, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=10, choices=Signer.Role.choices)
    method = models.CharField(max_length=12, choices=Method.choices)
    signed_at = models.DateTimeField(default=timezone.now)
    document_sha256 = models.CharField(max_length=64)
    ip_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self):
        return f"Signature #{self.pk}"


class ContractCoverage(TenantModel):
    """Which items of the act on employment statements a contract states (`contract_items.ITEMS`).

    A contract made in the portal gets its row from the form it was made with, in the same transaction as
    the document; an uploaded one gets it when the admin ticks the items the file covers. The keys are a
    JSON list (the same on SQLite and PostgreSQL); an unknown key is dropped on save.
    """

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="coverage")
    items = models.JSONField(_("items covered"), default=list, blank=True)
    # Raised by every save: the ticks page carries the version it showed, so of two admins ticking at
    # once the second sees the first's ticks instead of overwriting them (0: no row yet).
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contract coverage")
        verbose_name_plural = _("contract coverages")

    def __str__(self):
        return f"Contract coverage #{self.pk}"

    def save(self, *args, **kwargs):
        self.items = contract_items.clean_keys(self.items or [])
        super().save(*args, **kwargs)

    @property
    def missing(self):
        return contract_items.missing(self.items)

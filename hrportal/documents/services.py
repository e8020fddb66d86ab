"""Documents: storing an uploaded or generated file, opening it again, voiding it.

Plain functions the views (and tests) call; the company comes from the tenancy scope.
"""

import io
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from hrportal.documents import notice, storage, validation
from hrportal.documents.models import ContractCoverage, Document, DocumentKind
from hrportal.tenancy import require_active_company


def create_document(
    *,
    employee,
    kind,
    title,
    document_date,
    fileobj,
    content_type,
    original_filename,
    user=None,
    then=None,
    **extra,
) -> Document:
    """Encrypt `fileobj` into storage and create its Document row. The file is removed if the row fails.

    `then(document)`, when given, runs in the row's transaction: what it writes is saved with the document
    or not at all (a contract's coverage)."""
    company = require_active_company()
    document = Document(
        uuid=uuid.uuid4(),
        company=company,
        employee=employee,
        kind=kind,
        title=title,
        document_date=document_date,
        original_filename=(original_filename or "document")[-255:],
        content_type=content_type,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **extra,
    )
    name, sha, size = storage.store_encrypted(company.pk, fileobj, document.file_aad())
    try:
        document.storage_name, document.sha256, document.size = name, sha, size
        with transaction.atomic():
            document.save()
            if then is not None:
                then(document)
    except BaseException:
        storage.delete_quietly(name)
        raise
    return document


def ingest_upload(
    *, employee, kind, title, document_date, uploaded, user=None, idempotency_key=""
) -> Document:
    """Validate and store an upload. Raises validation.RejectedUpload (nothing stored) on a bad file.

    With an `idempotency_key` another upload already used, that upload's document is returned and nothing
    is stored, also when both run at once (the unique constraint decides; the loser's file is removed).
    The caller compares `document.employee_id` (a key is the company's, the form was one employee's).
    """
    if idempotency_key and (existing := Document.objects.filter(idempotency_key=idempotency_key).first()):
        existing.already_uploaded = True
        return existing
    try:
        return _ingest(
            employee=employee,
            kind=kind,
            title=title,
            document_date=document_date,
            uploaded=uploaded,
            user=user,
            idempotency_key=idempotency_key,
        )
    except IntegrityError:
        existing = idempotency_key and Document.objects.filter(idempotency_key=idempotency_key).first()
        if not existing:
            raise
        existing.already_uploaded = True
        return existing


def _ingest(*, employee, kind, title, document_date, uploaded, user, idempotency_key) -> Document:
    checked = validation.check_upload(uploaded)
    try:
        filename = (getattr(uploaded, "name", "") or "document").replace("\\", "/").rsplit("/", 1)[-1]
        return create_document(
            employee=employee,
            kind=kind,
            title=title,
            document_date=document_date,
            fileobj=checked.file,
            content_type=checked.content_type,
            original_filename=filename,
            user=user,
            source=Document.Source.UPLOAD,
            idempotency_key=idempotency_key,
        )
    finally:
        if checked.file is not uploaded:
            checked.file.close()


def create_from_pdf(
    *,
    employee,
    kind,
    title,
    document_date,
    pdf: bytes,
    template_name,
    template_version,
    language,
    user=None,
    then=None,
) -> Document:
    return create_document(
        employee=employee,
        kind=kind,
        title=title,
        document_date=document_date,
        fileobj=io.BytesIO(pdf),
        content_type=validation.PDF,
        original_filename=f"{template_name}_{template_version}_{language}.pdf",
        user=user,
        source=Document.Source.TEMPLATE,
        template_name=template_name,
        template_version=template_version,
        language=language,
        then=then,
    )


def open_original(document: Document):
    """The plaintext of the document's file in a temporary file (decrypted and authenticated)."""
    return storage.decrypt_to_tempfile(document.company_id, document.storage_name, document.file_aad())


def open_signed(document: Document):
    return storage.decrypt_to_tempfile(
        document.company_id, document.signed_storage_name, document.file_aad("signed")
    )


def void_document(document: Document, *, user, reason: str) -> None:
    document.status = Document.Status.VOID
    document.voided_at = timezone.now()
    document.voided_by = user
    document.void_reason = reason
    document.save(update_fields=["status", "voided_at", "voided_by", "void_reason"])
    document.signature_requests.filter(status="pending").update(status="cancelled")


class StaleContractItems(Exception):
    """The ticks were changed by someone else after the page that posted them was shown."""


def set_contract_items(
    document: Document, items, *, user=None, based_on: int | None = None
) -> tuple[list[str], list[str]]:
    """Record which items of the act a contract covers (keys of `contract_items.ITEMS`); returns the keys
    added and removed, for the audit log.

    `based_on` is the coverage version the caller showed (0: none yet); a different current version
    raises StaleContractItems and saves nothing. The document row is locked first, so two first saves
    wait for each other too."""
    user = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).values_list("pk").first()
        coverage = ContractCoverage.objects.filter(document=document).first()
        if based_on is not None and based_on != (coverage.version if coverage else 0):
            raise StaleContractItems
        before = list(coverage.items) if coverage else []
        coverage = coverage or ContractCoverage(document=document, company_id=document.company_id)
        coverage.items = list(items)
        coverage.updated_by = user
        coverage.version += 1
        coverage.save()
    document.coverage = coverage
    after = set(coverage.items)
    return [k for k in coverage.items if k not in before], [k for k in before if k not in after]


def contract_warning(employee, documents=None):
    """The ansættelsesbevis deadline state for an active employee without a contract, else None.

    `documents`, when the caller has already loaded the employee's documents, saves a query."""
    if not employee.is_active:
        return None
    if employee.weekly_hours is not None and employee.weekly_hours <= 3:
        return None  # the act applies above 3 hours a week on average
    if documents is None:
        has_contract = (
            Document.objects.filter(employee=employee, kind=DocumentKind.CONTRACT)
            .exclude(status=Document.Status.VOID)
            .exists()
        )
    else:
        has_contract = any(d.kind == DocumentKind.CONTRACT and not d.is_void for d in documents)
    if has_contract:
        return None
    return notice.contract_deadline(employee.start_date, timezone.localdate())

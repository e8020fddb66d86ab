"""No encrypted file outlives its row: a rolled-back request deletes what it stored, and the retention
sweep deletes older files that no row points at (a process killed between storing and committing)."""

import datetime
import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from hrportal.audit.models import Action
from hrportal.documents import storage
from hrportal.documents.models import Document, Signature
from hrportal.employees import photos
from hrportal.privacy.retention import sweep_company
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.factories import make_document, make_document_employee, make_finished_export, sample_pdf_bytes


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def fail_on(monkeypatch, module, action):
    """Make the audit record of `action` in `module` fail: the request's transaction rolls back after the
    file was stored and its row saved (inside the request)."""
    real = module.record

    def record(what, **kwargs):
        if what == action:
            raise RuntimeError("audit log unavailable")
        return real(what, **kwargs)

    monkeypatch.setattr(module, "record", record)


@pytest.mark.django_db
def test_an_upload_whose_request_rolls_back_leaves_no_file(
    admin_client, company, private_storage, monkeypatch
):
    from hrportal.documents import views

    employee = make_document_employee(company)
    fail_on(monkeypatch, views, Action.DOCUMENT_UPLOADED)
    admin_client.raise_request_exception = False
    response = admin_client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile("kontrakt.pdf", sample_pdf_bytes(), content_type="application/pdf"),
            "kind": "contract",
            "title": "Kontrakt",
            "document_date": "2024-02-01",
        },
    )
    assert response.status_code == 500
    with company_scope(company):
        assert not Document.objects.exists()
    assert stored_files(private_storage) == []


@pytest.mark.django_db
def test_a_completion_whose_request_rolls_back_leaves_no_signed_pdf(
    admin_client, admin_user, company, private_storage, monkeypatch, django_capture_on_commit_callbacks
):
    from hrportal.documents import signing_views

    document = make_document(company, make_document_employee(company))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/portal/documents/{document.pk}/send/", {"company_signs": "on", "channel": "email"}
        )
    original = stored_files(private_storage)
    assert len(original) == 1
    fail_on(monkeypatch, signing_views, Action.SIGNING_COMPLETED)
    admin_client.raise_request_exception = False
    response = admin_client.post(
        f"/portal/documents/{document.pk}/sign/", {"code": next_code(admin_user.totp), "confirm": "on"}
    )
    assert response.status_code == 500
    with company_scope(company):
        assert not Signature.objects.exists()
        assert Document.objects.get().signed_storage_name == ""
    assert stored_files(private_storage) == original  # the signed PDF it had stored is gone


@pytest.mark.django_db
def test_files_stored_in_a_rolled_back_savepoint_are_deleted_committed_ones_kept(company, private_storage):
    with storage.files_removed_on_rollback():
        with pytest.raises(RuntimeError), transaction.atomic():
            lost, _sha, _size = storage.store_encrypted(company.pk, io.BytesIO(b"lost"), b"aad")
            raise RuntimeError("the row failed")
        with transaction.atomic():
            kept, _sha, _size = storage.store_encrypted(company.pk, io.BytesIO(b"kept"), b"aad")
        assert storage.document_storage().exists(lost)  # deleted when the block ends, not before
    assert not storage.document_storage().exists(lost)
    assert storage.document_storage().exists(kept)


def backdate(root, name, days):
    path = root / "documents" / name
    when = (timezone.now() - datetime.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def png_upload():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile("photo.png", out.getvalue())


@pytest.mark.django_db
def test_retention_sweep_deletes_day_old_files_no_row_points_at(company, admin_user, private_storage):
    employee = make_document_employee(company)
    document = make_document(company, employee)
    export = make_finished_export(company, admin_user)
    with company_scope(company):
        photos.set_photo(employee, png_upload())
    employee.refresh_from_db()
    old_orphan, _sha, _size = storage.store_encrypted(company.pk, io.BytesIO(b"interrupted"), b"aad")
    new_orphan, _sha, _size = storage.store_encrypted(company.pk, io.BytesIO(b"in progress"), b"aad")
    for name in (document.storage_name, export.file_name, employee.photo_storage_name, old_orphan):
        backdate(private_storage, name, days=2)
    backdate(private_storage, new_orphan, days=0.5)

    counts, _removed = sweep_company(company)

    assert counts["orphan_files"] == 1
    exists = storage.document_storage().exists
    assert not exists(old_orphan)
    assert exists(new_orphan)  # may belong to a row still being committed
    assert exists(document.storage_name) and exists(export.file_name) and exists(employee.photo_storage_name)
    # Idempotent: nothing more the second time.
    assert sweep_company(company)[0]["orphan_files"] == 0


@pytest.mark.django_db
def test_the_orphan_sweep_keeps_to_its_company(company, other_company, private_storage):
    theirs, _sha, _size = storage.store_encrypted(other_company.pk, io.BytesIO(b"theirs"), b"aad")
    backdate(private_storage, theirs, days=3)
    assert sweep_company(company)[0]["orphan_files"] == 0
    assert storage.document_storage().exists(theirs)
    assert re.match(rf"c{other_company.pk}/", theirs)

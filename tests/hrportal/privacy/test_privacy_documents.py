"""Privacy meets documents: files in the access export, erasure and company deletion reach the file storage
and the signing rows, restricted employees get no new documents and are left out of list exports."""

import datetime
import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from hrportal.documents import signing
from hrportal.documents.models import Document, Signature, SignatureRequest, Signer
from hrportal.documents.storage import company_folder
from hrportal.employees.models import Employee
from hrportal.encryption import datakeys
from hrportal.privacy.deletion import delete_company
from hrportal.privacy.export import build_export
from hrportal.privacy.restriction import place_restriction
from hrportal.tenancy import company_scope
from tests.factories import gdpr_employee, make_document, sample_pdf_bytes
from tests.hrportal.privacy.test_privacy_helpers import ciphertexts_of, database_hits, frozen_time_code

MARKER_NAME = "Quorbel Snibbet"
MARKER_EMAIL = "quorbel@marker.test"
MARKER_TEXT = "Kontrakt for Quorbel Snibbet - hemmeligt-indhold-7731"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


def files_under(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def marked_employee(company, **extra):
    fields = {"name": MARKER_NAME, "email": MARKER_EMAIL, "end_date": datetime.date(2019, 3, 31)}
    fields.update(extra)
    with company_scope(company):
        return gdpr_employee(company, **fields)


def signed_document(company, employee, pdf: bytes):
    """A document of `employee`, sent to them and signed with the emailed code (the signed PDF stored)."""
    document = make_document(company, employee, pdf=pdf)
    with company_scope(company):
        request = signing.send_for_signature(
            document,
            user=None,
            employee_signs=True,
            company_signs=False,
            base_url="http://testserver",  # the link goes to the employee record's email (MARKER_EMAIL)
        )
        signer = request.signers.get()
        signing.send_code(signer)
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        signing.sign_as_employee(signer, code, ip_hash="iphash-marker")
        document.refresh_from_db()
    assert document.status == Document.Status.SIGNED and document.signed_storage_name
    return document


@pytest.mark.django_db
def test_access_export_contains_the_employees_documents_decrypted(company):
    employee = marked_employee(company)
    colleague = marked_employee(company, name="Kollega Kollegasen", email="kollega@marker.test")
    pdf = sample_pdf_bytes(MARKER_TEXT)
    document = signed_document(company, employee, pdf)
    make_document(company, colleague, pdf=sample_pdf_bytes("kollegas-kontrakt"))

    with company_scope(company):
        data, summary = build_export(Employee.objects.get(pk=employee.pk))
    archive = zipfile.ZipFile(io.BytesIO(data))
    original = f"documents/{document.pk}/{document.download_name()}"
    signed_name = f"documents/{document.pk}/{document.download_name(signed=True)}"
    assert {n for n in archive.namelist() if n.startswith("documents/")} == {original, signed_name}
    assert archive.read(original) == pdf  # the decrypted original, byte for byte
    signed = PdfReader(io.BytesIO(archive.read(signed_name)))
    assert len(signed.pages) == len(PdfReader(io.BytesIO(pdf)).pages) + 1  # plus the signature page
    assert MARKER_NAME in signed.pages[-1].extract_text()
    assert summary["files"] == 2
    # The documents' metadata is in data.json, only the employee's own.
    rows = json.loads(archive.read("data.json"))["related"]["documents.Document"]
    assert [r["title"] for r in rows] == ["Kontrakt"] and rows[0]["original_filename"] == "kontrakt.pdf"
    assert b"kollegas-kontrakt" not in b"".join(archive.read(n) for n in archive.namelist())


@pytest.mark.django_db
@freeze_time("2026-05-10")
def test_erasure_deletes_documents_signatures_and_stored_files(
    company, admin_client, admin_user, private_storage
):
    colleague = marked_employee(company, name="Kollega Kollegasen", email="kollega@marker.test")
    kept = make_document(company, colleague)
    before = files_under(private_storage)
    employee = marked_employee(company)
    document = signed_document(company, employee, sample_pdf_bytes(MARKER_TEXT))
    with company_scope(company):
        signer = Signer.objects.get(request__document=document)
        signature = Signature.objects.get(signer=signer)
        tokens = ciphertexts_of(document) + ciphertexts_of(signer) + ciphertexts_of(signature)
    assert len(files_under(private_storage) - before) == 2  # the original and the signed PDF
    assert set(database_hits(tokens))

    response = admin_client.post(
        reverse("portal:employee_erase", args=[employee.pk]),
        {"confirm": "on", "code": frozen_time_code(admin_user)},
    )
    assert response.status_code == 200

    assert files_under(private_storage) == before  # the colleague's file only
    needles = [MARKER_NAME, MARKER_EMAIL, str(employee.uuid), str(document.uuid), "iphash-marker", *tokens]
    assert database_hits(needles) == []
    with company_scope(company):
        assert list(Document.objects.values_list("pk", flat=True)) == [kept.pk]
        assert not SignatureRequest.objects.exists()
        assert not Signer.objects.exists() and not Signature.objects.exists()


@pytest.mark.django_db
def test_company_deletion_leaves_no_file_of_the_company_and_forgets_its_key(
    company, other_company, private_storage, django_capture_on_commit_callbacks
):
    employee = marked_employee(company)
    signed_document(company, employee, sample_pdf_bytes(MARKER_TEXT))
    # A file no row points at (an upload interrupted between storing the file and saving its row).
    orphan = private_storage / "documents" / company_folder(company.pk) / "orphan.enc"
    orphan.write_bytes(b"sealed")
    survivor = make_document(company=other_company)
    theirs = files_under(private_storage / "documents" / company_folder(other_company.pk))
    assert theirs and files_under(private_storage / "documents" / company_folder(company.pk))

    with django_capture_on_commit_callbacks(execute=True):
        result = delete_company(company)

    assert files_under(private_storage) == {
        f"documents/{company_folder(other_company.pk)}/{name}" for name in theirs
    }
    assert result.files == 3
    assert database_hits([MARKER_NAME, MARKER_EMAIL, "iphash-marker"]) == []
    assert not Document.unscoped.filter(company=company).exists()
    assert Document.unscoped.filter(pk=survivor.pk).exists()
    # No process keeps the company's data key in its cache.
    assert company.pk not in datakeys._current
    assert all(owner != company.pk for owner, _aead, _until in datakeys._unwrapped.values())


# --- restriction ----------------------------------------------------------------------------------------


def restricted_employee(company):
    employee = marked_employee(company, end_date=None)
    with company_scope(company):
        place_restriction(employee, reason="disputed accuracy")
    return employee


@pytest.mark.django_db
def test_a_restricted_employee_gets_no_uploaded_document(company, admin_client, private_storage):
    employee = restricted_employee(company)
    url = reverse("portal:document_upload", args=[employee.pk])
    assert admin_client.get(url).status_code == 302
    response = admin_client.post(
        url,
        {
            "file": SimpleUploadedFile("kontrakt.pdf", sample_pdf_bytes(), content_type="application/pdf"),
            "kind": "contract",
            "title": "Kontrakt",
            "document_date": "2024-02-01",
        },
        follow=True,
    )
    assert b"restriction-banner" in response.content  # back on the employee page, which says why
    with company_scope(company):
        assert not Document.objects.exists()
    assert files_under(private_storage) == set()


@pytest.mark.django_db
def test_a_restricted_employee_gets_no_document_from_a_template(company, admin_client, private_storage):
    employee = restricted_employee(company)
    url = reverse("portal:document_new", args=[employee.pk, "warning"])
    assert admin_client.get(url).status_code == 302
    response = admin_client.post(url, {"language": "da", "document_date": "2024-03-01", "create": "1"})
    assert response.status_code == 302
    with company_scope(company):
        assert not Document.objects.exists()
    assert files_under(private_storage) == set()


@pytest.mark.django_db
def test_the_employee_page_shows_the_restriction(company, admin_client):
    employee = marked_employee(company, end_date=None)
    page = admin_client.get(reverse("portal:employees:detail", args=[employee.pk]))
    assert b"restriction-banner" not in page.content
    with company_scope(company):
        place_restriction(employee, reason="disputed accuracy")
    page = admin_client.get(reverse("portal:employees:detail", args=[employee.pk]))
    assert b"restriction-banner" in page.content


@pytest.mark.django_db
def test_list_exports_leave_restricted_employees_out(company, admin_client):
    marked_employee(company, name="Fri Person", email="fri@marker.test", end_date=None)
    restricted_employee(company)
    csv_text = admin_client.get(reverse("portal:employees:export_csv")).content.decode("utf-8-sig")
    assert "Fri Person" in csv_text and MARKER_NAME not in csv_text
    sheet = load_workbook(
        io.BytesIO(admin_client.get(reverse("portal:employees:export_xlsx")).content)
    ).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Fri Person"]

"""Documents: upload validation matrix, encrypted storage, download headers, void, tenancy, templates."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import storage, validation
from hrportal.documents.models import Document
from hrportal.tenancy import company_scope
from tests.factories import make_document, make_document_employee, sample_pdf_bytes


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def employee(company):
    return make_document_employee(company)


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def docx_bytes(extra=None):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def pdf_with(marker: bytes) -> bytes:
    """A valid PDF with `marker` added to its catalog (e.g. an /OpenAction)."""
    pdf = sample_pdf_bytes()
    return pdf.replace(b"/Type /Catalog", b"/Type /Catalog " + marker, 1)


def upload(client, employee, name, content, kind="contract"):
    return client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "kind": kind,
            "title": "Kontrakt",
            "document_date": "2024-02-01",
        },
    )


REJECTED = [
    ("exe_renamed_pdf", "kontrakt.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "unsupported_type"),
    (
        "html_renamed_pdf",
        "kontrakt.pdf",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "unsupported_type",
    ),
    (
        "svg",
        "logo.svg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        "unsupported_type",
    ),
    (
        "pdf_open_action",
        "a.pdf",
        pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        "pdf_active_content",
    ),
    ("pdf_hex_escaped_js", "a.pdf", pdf_with(b"/Names << /J#61vaScript 99 0 R >>"), "pdf_active_content"),
    ("pdf_embedded_file", "a.pdf", pdf_with(b"/Names << /EmbeddedFiles 99 0 R >>"), "pdf_active_content"),
    ("pdf_launch", "a.pdf", pdf_with(b"/AA << /O << /S /Launch /F (cmd.exe) >> >>"), "pdf_active_content"),
    (
        "pdf_open_action_goto",
        "a.pdf",
        pdf_with(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"),
        "pdf_active_content",
    ),
    ("pdf_garbage", "a.pdf", b"%PDF-1.7\n garbage without objects", "pdf_unreadable"),
    ("zip_not_docx", "a.docx", b"PK\x03\x04" + b"\x00" * 60, "unsupported_type"),
    ("docx_macros", "a.docx", docx_bytes({"word/vbaProject.bin": b"\x00" * 10}), "docx_macros"),
    ("broken_png", "a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image_invalid"),
    ("empty", "a.pdf", b"", "empty"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case,name,content,reason", REJECTED, ids=[r[0] for r in REJECTED])
def test_bad_uploads_are_refused_audited_and_leave_nothing(
    admin_client, company, employee, private_storage, case, name, content, reason
):
    response = upload(admin_client, employee, name, content)
    assert response.status_code == 400
    assert b'class="errorlist"' in response.content
    with company_scope(company):
        assert not Document.objects.exists()
    assert stored_files(private_storage) == []
    event = AuditEvent.objects.filter(company_id=company.pk, action=Action.DOCUMENT_UPLOAD_REJECTED).get()
    assert event.details["reason"] == reason


@pytest.mark.django_db
def test_oversize_upload_is_refused(admin_client, company, employee, private_storage, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024
    response = upload(admin_client, employee, "big.pdf", sample_pdf_bytes() + b"%" * 2048)
    assert response.status_code == 400
    assert stored_files(private_storage) == []
    event = AuditEvent.objects.filter(action=Action.DOCUMENT_UPLOAD_REJECTED).get()
    assert event.details["reason"] == "too_large"


ACCEPTED = [
    ("kontrakt.pdf", sample_pdf_bytes(), "application/pdf"),
    ("foto.png", png_bytes(), "image/png"),
    ("foto.jpg", jpeg_bytes(), "image/jpeg"),
    ("kontrakt.docx", docx_bytes(), validation.DOCX),
    ("no-extension", sample_pdf_bytes(), "application/pdf"),  # the content decides, not the name
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,content,content_type", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_valid_uploads_are_stored_encrypted(
    admin_client, company, employee, private_storage, name, content, content_type
):
    response = upload(admin_client, employee, name, content)
    assert response.status_code == 302, response.content[:1000]
    with company_scope(company):
        document = Document.objects.get()
        assert document.content_type == content_type
        assert document.employee_id == employee.pk
    assert len(stored_files(private_storage)) == 1
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.DOCUMENT_UPLOADED).count() == 1


@pytest.mark.django_db
def test_images_are_reencoded_without_metadata(company, employee):
    image = Image.new("RGB", (10, 10))
    exif = image.getexif()
    exif[0x010E] = "secret description"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    checked = validation.check_upload(SimpleUploadedFile("a.jpg", out.getvalue()))
    assert b"secret description" not in checked.file.read()


@pytest.mark.django_db
def test_virus_scanner_hook_refuses(company, employee, settings, private_storage):
    settings.VIRUS_SCANNER = "tests.hrportal.documents.test_documents.always_infected"
    with pytest.raises(validation.RejectedUpload) as exc:
        validation.check_upload(SimpleUploadedFile("a.pdf", sample_pdf_bytes()))
    assert exc.value.reason == "virus"


def always_infected(fileobj):
    raise validation.RejectedUpload("virus", "infected")


@pytest.mark.django_db
def test_raw_storage_holds_no_plaintext_and_hash_is_of_plaintext(company, employee):
    import hashlib

    marker = "Hemmeligt indhold ABCDEF123456"
    pdf = sample_pdf_bytes(marker)
    document = make_document(company, employee, pdf=pdf)
    raw = storage.raw_bytes(document.storage_name)
    assert b"%PDF" not in raw
    assert pdf[200:264] not in raw
    assert marker.encode("latin-1") not in raw
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    with company_scope(company):
        from hrportal.documents import services

        with services.open_original(document) as plain:
            assert plain.read() == pdf


@pytest.mark.django_db
def test_download_headers_and_audit(admin_client, company, employee):
    pdf = sample_pdf_bytes()
    document = make_document(company, employee, pdf=pdf)
    response = admin_client.get(f"/portal/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.DOCUMENT_DOWNLOADED).count() == 1


@pytest.mark.django_db
def test_tampered_storage_fails_closed(admin_client, company, employee, private_storage):
    document = make_document(company, employee)
    path = next(iter(stored_files(private_storage)))
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    from hrportal.encryption.keyring import DecryptionError

    with pytest.raises(DecryptionError):
        admin_client.get(f"/portal/documents/{document.pk}/download/")


@pytest.mark.django_db
def test_void_needs_confirmation_and_is_audited(admin_client, company, employee):
    document = make_document(company, employee)
    response = admin_client.get(f"/portal/documents/{document.pk}/void/")
    assert response.status_code == 200
    with company_scope(company):
        assert Document.objects.get().status == Document.Status.ACTIVE
    response = admin_client.post(f"/portal/documents/{document.pk}/void/", {"reason": "Forkert fil"})
    assert response.status_code == 302
    with company_scope(company):
        document = Document.objects.get()
        assert document.status == Document.Status.VOID
        assert document.void_reason == "Forkert fil"
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.DOCUMENT_VOIDED).count() == 1


DOCUMENT_URLS = [
    "/portal/documents/{d}/",
    "/portal/documents/{d}/download/",
    "/portal/documents/{d}/download/signed/",
    "/portal/documents/{d}/void/",
    "/portal/documents/{d}/send/",
    "/portal/documents/{d}/sign/",
    "/portal/employees/{e}/documents/",
    "/portal/employees/{e}/documents/upload/",
    "/portal/employees/{e}/documents/new/contract/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_companys_document_urls_are_404(admin_client, other_company, method):
    other_document = make_document(other_company)
    for template in DOCUMENT_URLS:
        url = template.format(d=other_document.pk, e=other_document.employee_id)
        response = getattr(admin_client, method)(url)
        assert response.status_code == 404, url
    with company_scope(other_company):
        assert Document.objects.get().status == Document.Status.ACTIVE
    assert AuditEvent.objects.filter(company_id=other_company.pk, action=Action.CROSS_COMPANY_DENIED).exists()


@pytest.mark.django_db
def test_lists_and_pages_render(admin_client, company, employee):
    document = make_document(company, employee)
    for url in [
        "/portal/documents/",
        f"/portal/employees/{employee.pk}/documents/",
        f"/portal/employees/{employee.pk}/documents/upload/",
        f"/portal/documents/{document.pk}/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "Søren Æbelø".encode() in response.content or url.endswith("upload/")


@pytest.mark.django_db
def test_employee_page_warns_when_no_contract_and_deadline_passed(admin_client, company):
    employee = make_document_employee(company, start_date=datetime.date.today() - datetime.timedelta(days=10))
    response = admin_client.get(f"/portal/employees/{employee.pk}/documents/")
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    make_document(company, employee, kind="contract")
    response = admin_client.get(f"/portal/employees/{employee.pk}/documents/")
    assert b'role="alert"' not in response.content


@pytest.mark.django_db
def test_the_void_action_reads_as_an_action_not_a_status(admin_client, company, employee):
    """In Danish "Void" alone is the status ("Annulleret"); the link on a document says what it does."""
    document = make_document(company, employee)
    html = admin_client.get(f"/portal/documents/{document.pk}/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert f'href="/portal/documents/{document.pk}/void/">Annullér dokument</a>' in html

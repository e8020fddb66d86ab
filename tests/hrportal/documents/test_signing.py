"""Signing: sending, the company's TOTP signature, the employee's link and code, completion, /verify/."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import services, signing, storage
from hrportal.documents.models import Document, Signature, SignatureRequest, Signer
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.factories import make_document, make_document_employee, sample_pdf_bytes


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def employee(company):
    return make_document_employee(company, name="Søren Æbelø Hansen", email="soren@example.test")


@pytest.fixture
def document(company, employee):
    return make_document(company, employee)


def send(client, document, captured, **overrides):
    data = {
        "employee_signs": "on",
        "company_signs": "on",
        "channel": "email",
    }
    data.update(overrides)
    with captured(execute=True):
        response = client.post(f"/portal/documents/{document.pk}/send/", data)
    assert response.status_code == 302
    return response


def signing_link():
    body = mail.outbox[-1].body
    return re.search(r"https?://[^/\s]+(/sign/[^/\s]+/)", body).group(1)


def emailed_code():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def admin_sign(client, document, code):
    return client.post(f"/portal/documents/{document.pk}/sign/", {"code": code, "confirm": "on"})


def signatures(company):
    with company_scope(company):
        return list(Signature.objects.all())


@pytest.mark.django_db
def test_send_creates_request_and_emails_a_link(
    admin_client, company, document, django_capture_on_commit_callbacks
):
    send(admin_client, document, django_capture_on_commit_callbacks)
    with company_scope(company):
        request = SignatureRequest.objects.get()
        assert request.document_sha256 == document.sha256
        assert {s.role for s in request.signers.all()} == {"company", "employee"}
        employee_signer = request.signers.get(role="employee")
        token = signing_link().split("/")[2]
        assert employee_signer.token_hash == signing.token_hash(token)  # only the hash is stored
        assert token not in employee_signer.token_hash
        assert Document.objects.get().status == Document.Status.AWAITING_SIGNATURES
    assert mail.outbox[-1].to == ["soren@example.test"]
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.SIGNATURE_REQUESTED).count() == 1


@pytest.mark.django_db
def test_company_signing_refuses_missing_wrong_and_stale_codes(
    admin_client, admin_user, company, document, django_capture_on_commit_callbacks
):
    send(admin_client, document, django_capture_on_commit_callbacks)
    admin_sign(admin_client, document, "")
    admin_sign(admin_client, document, "000000")
    stale = admin_user.totp.at(timezone.now() - timedelta(minutes=5))
    admin_sign(admin_client, document, stale)
    assert signatures(company) == []
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.SIGNING_FAILED).count() == 2


@pytest.mark.django_db
def test_company_signing_with_a_fresh_code_and_a_reused_code_is_refused(
    admin_client, admin_user, company, employee, django_capture_on_commit_callbacks
):
    first = make_document(company, employee)
    second = make_document(company, employee)
    send(admin_client, first, django_capture_on_commit_callbacks, employee_signs="")
    send(admin_client, second, django_capture_on_commit_callbacks, employee_signs="")
    code = next_code(admin_user.totp)
    admin_sign(admin_client, first, code)
    assert len(signatures(company)) == 1
    admin_sign(admin_client, second, code)  # the same code again: refused
    assert len(signatures(company)) == 1
    sig = signatures(company)[0]
    assert sig.method == Signature.Method.TOTP
    assert sig.document_sha256 == first.sha256
    assert sig.user_id == admin_user.pk
    assert sig.ip_hash and "127.0.0.1" not in sig.ip_hash


@pytest.mark.django_db
def test_backup_codes_cannot_sign(
    admin_client, admin_user, company, document, django_capture_on_commit_callbacks
):
    from tests.factories import add_backup_codes

    codes = add_backup_codes(admin_user)
    send(admin_client, document, django_capture_on_commit_callbacks, employee_signs="")
    admin_sign(admin_client, document, codes[0])
    assert signatures(company) == []


@pytest.mark.django_db
def test_provider_staff_cannot_sign_for_the_company(staff_client, company, document):
    from tests.factories import MandateFactory

    MandateFactory(company=company)
    with company_scope(company):
        signing.send_for_signature(
            document, user=None, employee_signs=False, company_signs=True, base_url="http://testserver"
        )
    staff_client.post(f"/portal/companies/{company.pk}/switch/")
    response = staff_client.post(
        f"/portal/documents/{document.pk}/sign/", {"code": "123456", "confirm": "on"}
    )
    assert response.status_code == 302
    assert signatures(company) == []


def employee_flow_start(admin_client, document, captured):
    send(admin_client, document, captured)
    link = signing_link()
    return link


@pytest.mark.django_db
def test_employee_signs_with_emailed_code_and_link_becomes_dead(
    admin_client, client, company, document, django_capture_on_commit_callbacks
):
    link = employee_flow_start(admin_client, document, django_capture_on_commit_callbacks)
    page = client.get(link)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    doc = client.get(link + "document/")
    assert doc.status_code == 200 and doc["Content-Disposition"].startswith("attachment")
    # No code yet: refused.
    assert client.post(link, {"code": "123456", "confirm": "on"}).status_code == 400
    assert client.post(link + "code/").status_code == 302
    code = emailed_code()
    assert (
        client.post(link, {"code": "000000" if code != "000000" else "111111", "confirm": "on"}).status_code
        == 400
    )
    response = client.post(link, {"code": code, "confirm": "on"})
    assert response.status_code == 200
    assert len(signatures(company)) == 1
    assert signatures(company)[0].method == Signature.Method.EMAIL_CODE
    # Used: the link is dead, the code too.
    assert client.get(link).status_code == 410
    assert client.post(link, {"code": code, "confirm": "on"}).status_code == 410
    assert len(signatures(company)) == 1


@pytest.mark.django_db
def test_employee_code_by_sms(admin_client, client, company, document, django_capture_on_commit_callbacks):
    from hrportal.accounts import sms

    send(
        admin_client,
        document,
        django_capture_on_commit_callbacks,
        channel="sms",
    )
    link = signing_link()
    client.post(link + "code/")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1]["message"]).group(1)
    assert client.post(link, {"code": code, "confirm": "on"}).status_code == 200
    assert signatures(company)[0].method == Signature.Method.SMS_CODE


@pytest.mark.django_db
def test_wrong_codes_are_limited_and_codes_expire(
    admin_client, client, company, document, django_capture_on_commit_callbacks
):
    link = employee_flow_start(admin_client, document, django_capture_on_commit_callbacks)
    client.post(link + "code/")
    code = emailed_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(link, {"code": wrong, "confirm": "on"})
    # Locked after 5 wrong attempts, even with the right code.
    assert client.post(link, {"code": code, "confirm": "on"}).status_code == 400
    assert signatures(company) == []
    client.post(link + "code/")
    fresh = emailed_code()
    with company_scope(company):
        Signer.objects.filter(role="employee").update(code_expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(link, {"code": fresh, "confirm": "on"}).status_code == 400
    assert signatures(company) == []


@pytest.mark.django_db
def test_code_sends_are_rate_limited(
    admin_client, client, company, document, django_capture_on_commit_callbacks
):
    link = employee_flow_start(admin_client, document, django_capture_on_commit_callbacks)
    statuses = [client.post(link + "code/").status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]


@pytest.mark.django_db
def test_expired_and_unknown_links_are_gone(
    admin_client, client, company, document, django_capture_on_commit_callbacks
):
    link = employee_flow_start(admin_client, document, django_capture_on_commit_callbacks)
    assert client.get("/sign/not-a-real-token/").status_code == 410
    with company_scope(company):
        Signer.objects.filter(role="employee").update(token_expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(link).status_code == 410


@pytest.mark.django_db
def test_double_submit_gives_one_signature(
    admin_client, company, document, django_capture_on_commit_callbacks
):
    send(admin_client, document, django_capture_on_commit_callbacks)
    with company_scope(company):
        signer = Signer.objects.get(role="employee")
    signing.send_code(signer)
    code = emailed_code()
    signing.sign_as_employee(signer, code)
    with pytest.raises(signing.SigningError):
        signing.sign_as_employee(signer, code)
    with company_scope(company):
        signer.refresh_from_db()
        # Even bypassing the checks, the database holds one signature per signer.
        with pytest.raises(signing.SigningError):
            signing.workflow._record_signature(signer, name="x", user=None, method="email_code", ip_hash="")
    assert len(signatures(company)) == 1


@pytest.mark.django_db
def test_a_changed_file_cannot_be_signed(
    admin_client, admin_user, company, document, django_capture_on_commit_callbacks
):
    send(admin_client, document, django_capture_on_commit_callbacks, employee_signs="")
    # Replace the stored file by another, validly encrypted PDF under the same name (e.g. a storage swap).
    other = sample_pdf_bytes("A different text")
    name, _sha, _size = storage.store_encrypted(company.pk, io.BytesIO(other), document.file_aad())
    path = storage.document_storage().path
    with open(path(name), "rb") as src, open(path(document.storage_name), "wb") as dst:
        dst.write(src.read())
    admin_sign(admin_client, document, next_code(admin_user.totp))
    assert signatures(company) == []
    event = AuditEvent.objects.filter(company_id=company.pk, action=Action.SIGNING_FAILED).get()
    assert event.details["reason"] == "hash_mismatch"


def complete_both(admin_client, admin_user, client, document, captured):
    link = employee_flow_start(admin_client, document, captured)
    assert admin_sign(admin_client, document, next_code(admin_user.totp)).status_code == 302
    client.post(link + "code/")
    assert client.post(link, {"code": emailed_code(), "confirm": "on"}).status_code == 200


@pytest.mark.django_db
def test_completion_produces_signed_pdf_and_verify_reports_intact_and_altered(
    admin_client, admin_user, client, company, document, django_capture_on_commit_callbacks
):
    complete_both(admin_client, admin_user, client, document, django_capture_on_commit_callbacks)
    with company_scope(company):
        document.refresh_from_db()
        request = SignatureRequest.objects.get()
    assert document.status == Document.Status.SIGNED
    assert request.status == SignatureRequest.Status.COMPLETED
    response = admin_client.get(f"/portal/documents/{document.pk}/download/signed/")
    assert response["X-Content-Type-Options"] == "nosniff"
    signed = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(signed))
    original_pages = len(PdfReader(io.BytesIO(sample_pdf_bytes())).pages)
    assert len(reader.pages) == original_pages + 1
    last = reader.pages[-1].extract_text()
    assert request.verification_code in last
    assert request.document_sha256 in last.replace("\n", "")
    assert "Søren Æbelø Hansen" in last
    # The signature page's template version is recorded on the request and printed on the page.
    assert request.signature_page_version == signing.SIGNATURE_PAGE_VERSION == "v1"
    assert "Underskriftssiden er version v1" in " ".join(last.split())
    assert reader.metadata[signing.METADATA_KEY] == request.verification_code.replace("-", "")
    # The signed PDF is stored encrypted too.
    assert b"%PDF" not in storage.raw_bytes(document.signed_storage_name)

    intact = client.post("/verify/", {"file": io.BytesIO(signed)}, format="multipart")
    assert intact.status_code == 200
    assert b"The document is intact" in intact.content or "Dokumentet er uændret".encode() in intact.content
    html = intact.content.decode()
    assert company.name in html
    assert "Søren" not in html and "soren@example.test" not in html  # initials and roles only
    assert "S.Æ.H." in html

    modified = bytearray(signed)
    index = signed.index(b"/Producer") if b"/Producer" in signed else len(signed) // 2
    modified[index + 2] ^= 0x01
    altered = client.post("/verify/", {"file": io.BytesIO(bytes(modified))})
    assert b'id="verify-result"' in altered.content
    assert b"altered" in altered.content or "ændret".encode() in altered.content
    assert b"The document is intact" not in altered.content

    appended = client.post("/verify/", {"file": io.BytesIO(signed + b"\n% appended")})
    assert b"The document is intact" not in appended.content

    by_code = client.post("/verify/", {"code": request.verification_code.lower().replace("-", " ")})
    assert company.name.encode() in by_code.content
    unknown = client.post("/verify/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert company.name.encode() not in unknown.content


@pytest.mark.django_db
def test_verify_lookup_functions(
    admin_client, admin_user, client, company, document, django_capture_on_commit_callbacks
):
    complete_both(admin_client, admin_user, client, document, django_capture_on_commit_callbacks)
    with company_scope(company):
        document.refresh_from_db()
        with services.open_signed(document) as fh:
            signed = fh.read()
    assert signing.verify_uploaded_pdf(io.BytesIO(signed)).status == "intact"
    tampered = signed.replace(b"Test", b"Tost", 1) if b"Test" in signed else signed[:-10] + b"0000000000"
    assert signing.verify_uploaded_pdf(io.BytesIO(tampered)).status == "altered"
    assert signing.verify_uploaded_pdf(io.BytesIO(sample_pdf_bytes())).status == "unknown"


@pytest.mark.django_db
def test_employee_download_of_the_document_is_audited_with_safe_headers(
    admin_client, client, company, document, django_capture_on_commit_callbacks
):
    link = employee_flow_start(admin_client, document, django_capture_on_commit_callbacks)
    response = client.get(link + "document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sample_pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(company_id=company.pk, action=Action.DOCUMENT_DOWNLOADED)
    assert event.details["role"] == "employee"
    assert event.target_id == str(document.pk)
    assert event.actor_id is None
    # A dead link downloads nothing, is not cached, and records no download.
    assert client.get("/sign/not-a-real-token/document/").status_code == 410
    gone = client.get("/sign/not-a-real-token/document/")
    assert "no-store" in gone["Cache-Control"]
    assert AuditEvent.objects.filter(action=Action.DOCUMENT_DOWNLOADED).count() == 1


@pytest.mark.django_db
def test_verify_reports_a_voided_signed_document_as_withdrawn_by_file_and_by_code(
    admin_client, admin_user, client, company, document, django_capture_on_commit_callbacks
):
    complete_both(admin_client, admin_user, client, document, django_capture_on_commit_callbacks)
    signed = b"".join(admin_client.get(f"/portal/documents/{document.pk}/download/signed/").streaming_content)
    with company_scope(company):
        code = SignatureRequest.objects.get().verification_code
        services.void_document(Document.objects.get(pk=document.pk), user=admin_user, reason="Fejl i løn")

    by_file = client.post("/verify/", {"file": io.BytesIO(signed)}, HTTP_ACCEPT_LANGUAGE="da")
    by_code = client.post("/verify/", {"code": code}, HTTP_ACCEPT_LANGUAGE="da")
    for response in (by_file, by_code):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Dokumentet er trukket tilbage" in html
        assert "ikke længere gyldigt" in html
        assert "ændret" not in html and "uændret" not in html and "Ikke genkendt" not in html
        assert "Fejl i løn" not in html  # the reason stays inside the company

    english = client.post("/verify/", {"code": code}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The document has been withdrawn" in english and "no longer valid" in english
    english_file = client.post("/verify/", {"file": io.BytesIO(signed)}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The document has been withdrawn" in english_file.content.decode()
    assert "altered" not in english_file.content.decode()

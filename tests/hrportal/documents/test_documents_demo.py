"""The demo seed shows the whole result at once: a signed, sealed advarsel in Demo ApS, which /verify/
accepts."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from hrportal.companies.models import Company
from hrportal.documents import services
from hrportal.documents.models import Document, SignatureRequest
from hrportal.documents.signing import pades
from hrportal.tenancy import company_scope


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.mark.django_db
def test_demo_seeds_one_sealed_signed_document_in_demo_aps(client, django_capture_on_commit_callbacks):
    for _ in range(2):  # idempotent: the second run adds nothing
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
    demo = Company.objects.get(cvr="12345674")
    with company_scope(demo):
        (request,) = SignatureRequest.objects.all()
        document = Document.objects.get(pk=request.document_id)
        assert request.status == SignatureRequest.Status.COMPLETED
        assert document.status == Document.Status.SIGNED and document.language == "da"
        assert sorted(s.role for s in request.signers.all()) == ["company", "employee"]
        with services.open_signed(document) as fh:
            signed = fh.read()
    assert pades.check_seal(signed).status == "valid"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(signed)).pages)
    assert "Advarsel" in text and request.verification_code in text
    answer = client.post("/verify/", {"file": io.BytesIO(signed)}, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Dokumentet er uændret" in answer and "Seglet holder" in answer

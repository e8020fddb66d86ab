"""Documents on an S3-compatible bucket, as production stores them (django-storages' S3 backend).

moto stands in for the bucket: it answers boto3's real S3 API calls in-process, so the storage code, the
encryption and the portal views run unchanged while no network or cloud account is needed.
"""

import hashlib
import io
import logging

import boto3
import environ
import pytest
from botocore.exceptions import ClientError
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from config.settings.document_storage import documents_storage_from_env
from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import storage
from hrportal.documents.models import Document
from hrportal.documents.privacy import erase_employee_documents
from hrportal.tenancy import company_scope
from tests.factories import make_document_employee, sample_pdf_bytes

BUCKET = "ansatte-documents-test"
REGION = "eu-north-1"


@pytest.fixture
def bucket(settings, monkeypatch, private_storage):
    """A mocked S3 bucket configured as production would configure it from its environment."""
    for name, value in {
        "DOCUMENTS_S3_BUCKET": BUCKET,
        "DOCUMENTS_S3_REGION": REGION,
        "DOCUMENTS_S3_ACCESS_KEY_ID": "testing",
        "DOCUMENTS_S3_SECRET_ACCESS_KEY": "testing",
        "DOCUMENTS_S3_PREFIX": "hr/",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client(
            "s3", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        settings.STORAGES = {**settings.STORAGES, "documents": documents_storage_from_env(environ.Env())}
        yield client


def objects(client):
    return [entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_local_folder_is_the_default_without_a_bucket(monkeypatch):
    monkeypatch.delenv("DOCUMENTS_S3_BUCKET", raising=False)
    assert documents_storage_from_env(environ.Env()) is None


def test_bucket_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("DOCUMENTS_S3_BUCKET", "hr-files")
    monkeypatch.setenv("DOCUMENTS_S3_ENDPOINT_URL", "https://s3.example.test")
    monkeypatch.delenv("DOCUMENTS_S3_ACCESS_KEY_ID", raising=False)
    entry = documents_storage_from_env(environ.Env())
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    options = entry["OPTIONS"]
    assert options["bucket_name"] == "hr-files"
    assert options["endpoint_url"] == "https://s3.example.test"
    assert options["default_acl"] is None  # never a public-read object
    assert options["file_overwrite"] is False  # a name collision must not replace another document's file
    assert "access_key" not in options  # boto3's own credential chain (instance role) applies


@pytest.mark.django_db
def test_document_on_s3_is_encrypted_downloadable_and_deleted(admin_client, company, bucket, private_storage):
    employee = make_document_employee(company)
    marker = "Hemmeligt S3 indhold QWERTY987"
    pdf = sample_pdf_bytes(marker)
    response = admin_client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile("kontrakt.pdf", pdf, content_type="application/pdf"),
            "kind": "contract",
            "title": "Kontrakt",
            "document_date": "2024-02-01",
        },
    )
    assert response.status_code == 302, response.content[:1000]
    with company_scope(company):
        document = Document.objects.get()
    key = f"hr/{document.storage_name}"
    assert objects(bucket) == [key]
    assert not private_storage.exists()  # nothing went to the local disk

    raw = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert b"%PDF" not in raw and marker.encode("latin-1") not in raw
    assert pdf[200:264] not in raw
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()

    download = admin_client.get(f"/portal/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.DOCUMENT_DOWNLOADED).count() == 1

    with company_scope(company):
        assert erase_employee_documents(employee) == 1
    assert objects(bucket) == []


@pytest.mark.django_db
def test_a_refused_delete_is_logged_not_raised(company, bucket, monkeypatch, caplog):
    name, _sha, _size = storage.store_encrypted(company.pk, io.BytesIO(b"data"), b"aad")

    def refuse(self, name):
        raise ClientError(
            {"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "DeleteObject"
        )

    monkeypatch.setattr(type(storage.document_storage()), "delete", refuse)
    with caplog.at_level(logging.WARNING, logger="hrportal.documents.storage"):
        storage.delete_quietly(name)
    assert f"Could not delete stored file {name}: ClientError" in caplog.text
    assert objects(bucket) == [f"hr/{name}"]

"""Copies for everyone: on completion each signer is e-mailed a link (never the document); the employee's
gives the sealed PDF for 30 days, only behind a fresh e-mailed code."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from freezegun import freeze_time

from hrportal.documents.models import SignatureRequest
from hrportal.documents.signing import pades
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.factories import make_document, make_document_employee
from tests.hrportal.documents.test_signing import admin_sign, emailed_code, employee_flow_start


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def completed(admin_client, admin_user, client, company, django_capture_on_commit_callbacks):
    """A document signed by the company and then the employee; the outbox holds what completion sent."""
    employee = make_document_employee(company, name="Søren Æbelø Hansen", email="soren@example.test")
    document = make_document(company, employee)
    link = employee_flow_start(admin_client, document, django_capture_on_commit_callbacks)
    assert admin_sign(admin_client, document, next_code(admin_user.totp)).status_code == 302
    client.post(link + "code/")
    code = emailed_code()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link, {"code": code, "confirm": "on"}).status_code == 200
    with company_scope(company):
        request = SignatureRequest.objects.get()
    return {"document": document, "request": request, "signing_link": link, "admin": admin_user}


def copy_link(to: str) -> str:
    message = next(m for m in mail.outbox if m.to == [to])
    return re.search(r"https?://[^/\s]+(/sign/[^/\s]+/copy/)", message.body).group(1)


@pytest.mark.django_db
def test_every_signer_is_told_with_a_link_and_no_attachment(completed):
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["soren@example.test", completed["admin"].email])
    for message in mail.outbox:
        assert not message.attachments
        assert "signed by all parties" in message.subject or "underskrevet af alle parter" in message.subject
    employee_mail = next(m for m in mail.outbox if m.to == ["soren@example.test"])
    # In the document's language (Danish), whatever the language of the request that completed it.
    assert "/copy/" in employee_mail.body and "underskrevet af alle parter" in employee_mail.subject
    assert "signed" not in employee_mail.body.replace("/sign/", "")
    admin_mail = next(m for m in mail.outbox if m.to == [completed["admin"].email])
    assert f"/portal/documents/{completed['document'].pk}/" in admin_mail.body


@pytest.mark.django_db
def test_the_employee_downloads_the_sealed_copy_once_the_emailed_code_is_entered(client, completed):
    link = copy_link("soren@example.test")
    assert client.get(completed["signing_link"]).status_code == 410  # the signing link stays dead
    page = client.get(link)
    assert page.status_code == 200 and "Søren" not in page.content.decode()
    assert client.post(link, {"code": "000000"}).status_code == 400  # no code sent yet: nothing opens
    mail.outbox.clear()
    assert client.post(link + "code/").status_code == 302
    code = emailed_code()
    assert client.post(link, {"code": "999999" if code != "999999" else "111111"}).status_code == 400
    response = client.post(link, {"code": code})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    signed = b"".join(response.streaming_content)
    assert pades.check_seal(signed).status == "valid"
    assert client.post(link, {"code": code}).status_code == 400  # a code works once


@pytest.mark.django_db
def test_the_copy_link_expires_after_30_days(client, completed):
    link = copy_link("soren@example.test")
    completed_at = completed["request"].completed_at
    with freeze_time(completed_at + timedelta(days=29)):
        assert client.get(link).status_code == 200
    with freeze_time(completed_at + timedelta(days=30, minutes=1)):
        assert client.get(link).status_code == 410
        assert client.post(link + "code/").status_code == 410


@pytest.mark.django_db
def test_a_voided_document_is_no_longer_handed_out(client, company, completed):
    link = copy_link("soren@example.test")
    document = completed["document"]
    with company_scope(company):
        document.refresh_from_db()
        document.status = document.Status.VOID
        document.save(update_fields=["status"])
    assert client.get(link).status_code == 410
    assert client.get("/sign/not-a-token/copy/").status_code == 410

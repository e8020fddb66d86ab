"""The employee's signing link and code go only to the employee record, never to an address the sender types.

Regression tests for the review finding "a company admin can produce the employee's signature themselves":
the admin POSTed employee_email = their own address, received the link and the code, and signed as the
employee. Every test here tries that (or a variation) and checks that nothing reaches the attacker.
"""

import io
import json
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from hrportal.accounts import sms
from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import signing
from hrportal.documents.models import Signature, SignatureRequest, Signer
from hrportal.masking import mask_email, mask_phone
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.factories import make_document, make_document_employee

EMPLOYEE_EMAIL = "soren@example.dk"
EMPLOYEE_PHONE = "+45 12 34 56 78"
ATTACKER_EMAIL = "admin-himself@example.dk"
ATTACKER_PHONE = "+45 99 88 77 66"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def employee(company):
    return make_document_employee(
        company, name="Søren Æbelø Hansen", email=EMPLOYEE_EMAIL, phone=EMPLOYEE_PHONE
    )


@pytest.fixture
def document(company, employee):
    return make_document(company, employee)


def post_send(client, document, captured, **fields):
    data = {"employee_signs": "on", "company_signs": "on", "channel": "email"}
    data.update(fields)
    with captured(execute=True):
        return client.post(f"/portal/documents/{document.pk}/send/", data)


def all_recipients():
    return [address for message in mail.outbox for address in message.to]


def link_from_outbox():
    return re.search(r"https?://[^/\s]+(/sign/[^/\s]+/)", mail.outbox[-1].body).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"employee_email": ATTACKER_EMAIL},
        {"employee_email": ATTACKER_EMAIL, "employee_phone": ATTACKER_PHONE},
        {"employee_email": f"{ATTACKER_EMAIL}, {EMPLOYEE_EMAIL}"},
        {"email": ATTACKER_EMAIL, "to": ATTACKER_EMAIL, "recipient": ATTACKER_EMAIL},
    ],
    ids=["email", "email-and-phone", "list", "other-field-names"],
)
def test_a_posted_address_is_ignored_link_and_code_go_to_the_employee_record(
    admin_client, client, company, document, fields, django_capture_on_commit_callbacks
):
    response = post_send(admin_client, document, django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 302
    assert all_recipients() == [EMPLOYEE_EMAIL]
    with company_scope(company):
        signer = Signer.objects.get(role="employee")
        assert signer.email == EMPLOYEE_EMAIL
        assert ATTACKER_EMAIL not in (signer.email + signer.phone)
    # The code, asked for through the link, goes to the employee record as well.
    link = link_from_outbox()
    assert client.post(link + "code/").status_code == 302
    assert all_recipients() == [EMPLOYEE_EMAIL, EMPLOYEE_EMAIL]
    assert ATTACKER_EMAIL not in json.dumps([m.body for m in mail.outbox])


@pytest.mark.django_db
def test_a_posted_mobile_is_ignored_the_sms_goes_to_the_employee_record(
    admin_client, client, company, document, django_capture_on_commit_callbacks
):
    sms.outbox.clear()
    post_send(
        admin_client,
        document,
        django_capture_on_commit_callbacks,
        channel="sms",
        employee_phone=ATTACKER_PHONE,
        employee_email=ATTACKER_EMAIL,
    )
    assert all_recipients() == [EMPLOYEE_EMAIL]
    client.post(link_from_outbox() + "code/")
    assert [m["to"] for m in sms.outbox] == [EMPLOYEE_PHONE]
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1]["message"]).group(1)
    assert client.post(link_from_outbox(), {"code": code, "confirm": "on"}).status_code == 200
    with company_scope(company):
        assert Signature.objects.get().method == Signature.Method.SMS_CODE


@pytest.mark.django_db
def test_the_admin_can_no_longer_sign_as_the_employee(
    admin_client, admin_user, client, company, document, django_capture_on_commit_callbacks
):
    """The reported attack end to end: the admin's own mailbox never receives a link or a code."""
    post_send(admin_client, document, django_capture_on_commit_callbacks, employee_email=admin_user.email)
    assert admin_user.email not in all_recipients()
    client.post(link_from_outbox() + "code/")
    assert admin_user.email not in all_recipients()
    with company_scope(company):
        assert not Signature.objects.filter(role="employee").exists()


@pytest.mark.django_db
def test_employee_without_email_cannot_be_sent_and_is_told_to_edit_the_record(
    admin_client, company, django_capture_on_commit_callbacks
):
    employee = make_document_employee(company, email="")
    document = make_document(company, employee)
    response = post_send(
        admin_client, document, django_capture_on_commit_callbacks, employee_email=ATTACKER_EMAIL
    )
    assert response.status_code == 302
    assert mail.outbox == []
    with company_scope(company):
        assert not SignatureRequest.objects.exists()
    page = admin_client.get(f"/portal/documents/{document.pk}/").content.decode()
    assert "no email address" in page or "ingen e-mailadresse" in page
    assert f"/portal/employees/{employee.pk}/edit/" in page
    # The company alone may still sign: the employee's address is only needed when the employee signs.
    post_send(admin_client, document, django_capture_on_commit_callbacks, employee_signs="")
    with company_scope(company):
        assert SignatureRequest.objects.get().signers.get().role == "company"


@pytest.mark.django_db
def test_sms_without_a_mobile_in_the_record_is_refused(
    admin_client, company, django_capture_on_commit_callbacks
):
    employee = make_document_employee(company, phone="")
    document = make_document(company, employee)
    post_send(
        admin_client,
        document,
        django_capture_on_commit_callbacks,
        channel="sms",
        employee_phone=ATTACKER_PHONE,
    )
    assert mail.outbox == []
    with company_scope(company):
        assert not SignatureRequest.objects.exists()


@pytest.mark.django_db
def test_the_service_takes_no_address_and_refuses_an_employee_without_one(company):
    employee = make_document_employee(company, email="")
    document = make_document(company, employee)
    with company_scope(company):
        with pytest.raises(TypeError):
            signing.send_for_signature(  # the old keyword arguments are gone
                document,
                user=None,
                employee_signs=True,
                company_signs=False,
                email=ATTACKER_EMAIL,
                base_url="http://testserver",
            )
        with pytest.raises(signing.SigningError) as excinfo:
            signing.send_for_signature(
                document, user=None, employee_signs=True, company_signs=False, base_url="http://testserver"
            )
        assert excinfo.value.reason == "employee_no_email"
        assert not SignatureRequest.objects.exists()


@pytest.mark.django_db
def test_send_form_and_signing_page_show_the_masked_destination_only(
    admin_client, client, company, document, django_capture_on_commit_callbacks
):
    page = admin_client.get(f"/portal/documents/{document.pk}/").content.decode()
    assert "s***@example.dk" in page
    assert "+45 •• •• 56 78" in page
    assert EMPLOYEE_EMAIL not in page
    assert 'name="employee_email"' not in page and 'name="employee_phone"' not in page

    post_send(admin_client, document, django_capture_on_commit_callbacks)
    link = link_from_outbox()
    public = client.get(link).content.decode()
    assert "s***@example.dk" in public and EMPLOYEE_EMAIL not in public
    client.post(link + "code/")
    sent = client.get(link + "?sent=1").content.decode()
    assert "s***@example.dk" in sent and EMPLOYEE_EMAIL not in sent
    detail = admin_client.get(f"/portal/documents/{document.pk}/").content.decode()
    assert "s***@example.dk" in detail and EMPLOYEE_EMAIL not in detail


@pytest.mark.django_db
def test_audit_records_channel_and_keyed_hash_never_the_address(
    admin_client, client, company, document, django_capture_on_commit_callbacks
):
    post_send(admin_client, document, django_capture_on_commit_callbacks, employee_email=ATTACKER_EMAIL)
    client.post(link_from_outbox() + "code/")
    for action in (Action.SIGNATURE_REQUESTED, Action.SIGNING_CODE_SENT):
        event = AuditEvent.objects.get(company_id=company.pk, action=action)
        assert event.details["channel"] == "email"
        assert event.details["email_hash"] == signing.destination_hash(EMPLOYEE_EMAIL)
        dumped = json.dumps(event.details)
        assert "@" not in dumped and "example" not in dumped and "12 34" not in dumped


@pytest.mark.django_db
def test_signature_page_names_the_masked_destination(
    admin_client, admin_user, client, company, document, django_capture_on_commit_callbacks
):
    post_send(admin_client, document, django_capture_on_commit_callbacks)
    link = link_from_outbox()
    admin_client.post(
        f"/portal/documents/{document.pk}/sign/", {"code": next_code(admin_user.totp), "confirm": "on"}
    )
    client.post(link + "code/")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert client.post(link, {"code": code, "confirm": "on"}).status_code == 200
    signed = admin_client.get(f"/portal/documents/{document.pk}/download/signed/")
    text = PdfReader(io.BytesIO(b"".join(signed.streaming_content))).pages[-1].extract_text()
    flat = re.sub(r"\s+", " ", text)
    assert "s***@example.dk" in flat
    assert EMPLOYEE_EMAIL not in flat


@pytest.mark.parametrize(
    "value,masked",
    [
        ("soren@example.dk", "s***@example.dk"),
        ("S@x.dk", "S***@x.dk"),
        ("", "***"),
        ("not-an-address", "***"),
    ],
)
def test_mask_email(value, masked):
    assert mask_email(value) == masked


@pytest.mark.parametrize(
    "value,masked",
    [
        ("+45 12 34 56 78", "+45 •• •• 56 78"),
        ("+4512345678", "+45 •• •• 56 78"),
        ("004512345678", "+45 •• •• 56 78"),
        ("12345678", "•• •• 56 78"),
        ("+46 70 123 45 67", "+••••••• 45 67"),
        ("123", "••••"),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked

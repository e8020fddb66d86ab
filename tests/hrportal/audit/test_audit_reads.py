"""Reads are audited (issue #13): opening an employee's record or a document writes one event per user,
employee, kind of read and hour; the company's audit log names the employee (decrypted when shown, stored
as an id) and the CPR reveal's reason."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone, translation
from freezegun import freeze_time

from hrportal.audit.log import verify_chain
from hrportal.audit.models import Action, AuditEvent
from hrportal.employees.forms import CprRevealReason
from hrportal.privacy.erasure import erase_employee
from hrportal.tenancy import company_scope
from tests.conftest import login_verified, make_admin, next_code
from tests.factories import make_document, make_employee

pytestmark = pytest.mark.django_db


def reads(company, action):
    return AuditEvent.objects.filter(company_id=company.pk, action=action).order_by("pk")


def next_hour():
    return timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)


def test_opening_an_employee_record_is_audited_once_per_user_employee_and_hour(company, admin_user):
    anne = make_employee(company, name="Anne Ågård")
    bo = make_employee(company, name="Bo Bæk")
    start = next_hour()
    with freeze_time(start):
        client = login_verified(Client(), admin_user)
        for _ in range(3):
            assert client.get(f"/portal/employees/{anne.pk}/").status_code == 200
        assert client.get(f"/portal/employees/{bo.pk}/").status_code == 200
    for minutes in (20, 40, 59):  # within the hour, and often enough for the session's idle limit
        with freeze_time(start + datetime.timedelta(minutes=minutes)):
            assert client.get(f"/portal/employees/{anne.pk}/").status_code == 200
    events = list(reads(company, Action.EMPLOYEE_VIEWED))
    assert [(e.actor_id, e.target_type, e.target_id) for e in events] == [
        (admin_user.pk, "employees.employee", str(anne.pk)),
        (admin_user.pk, "employees.employee", str(bo.pk)),
    ]
    # An hour later the same read is an event again, and another user's read is their own.
    with freeze_time(start + datetime.timedelta(minutes=61)):
        assert client.get(f"/portal/employees/{anne.pk}/").status_code == 200
        colleague = login_verified(Client(), make_admin(company))
        assert colleague.get(f"/portal/employees/{anne.pk}/").status_code == 200
    assert reads(company, Action.EMPLOYEE_VIEWED).count() == 4
    # The events hold ids only (never the name) and the chain still verifies.
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "Anne" not in stored and "Ågård" not in stored
    assert verify_chain(company.pk) is None


def test_opening_a_document_is_audited_against_its_employee_and_each_download_too(company, admin_client):
    employee = make_employee(company, name="Carl Clausen")
    document = make_document(company, employee)
    for _ in range(2):
        assert admin_client.get(f"/portal/documents/{document.pk}/").status_code == 200
        assert admin_client.get(f"/portal/documents/{document.pk}/download/").status_code == 200
    (opened,) = reads(company, Action.DOCUMENT_VIEWED)
    assert (opened.target_type, opened.target_id) == ("employees.employee", str(employee.pk))
    assert opened.details == {"document_id": document.pk}
    assert reads(company, Action.DOCUMENT_DOWNLOADED).count() == 2  # the file itself: every time


def test_another_companys_record_is_a_404_and_no_read_event(company, other_company, admin_client):
    stranger = make_employee(other_company, name="Fremmed Person")
    assert admin_client.get(f"/portal/employees/{stranger.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EMPLOYEE_VIEWED).exists()


def test_the_audit_log_names_the_employee_and_the_reveal_reason(company, admin_user, admin_client):
    employee = make_employee(company, name="Dorthe Dahl", cpr="010170-1234")
    document = make_document(company, employee)
    admin_client.get(f"/portal/employees/{employee.pk}/")
    admin_client.get(f"/portal/documents/{document.pk}/")
    response = admin_client.post(
        f"/portal/employees/{employee.pk}/cpr/", {"code": next_code(admin_user.totp), "reason": "pension"}
    )
    assert "010170-1234" in response.content.decode()

    page = admin_client.get("/portal/audit/").content.decode()
    with translation.override("da"):
        reason = str(CprRevealReason.PENSION.label)
        opened = str(Action.EMPLOYEE_VIEWED.label)
    assert opened in page and "Dorthe Dahl" in page
    assert page.count("Dorthe Dahl") >= 3  # the record, the document and the reveal all name her
    assert f"Begrundelse: {reason}" in page
    assert "010170-1234" not in page

    # Erased, the person is no longer named: the log keeps the events and their ids, not who it was.
    with company_scope(company):
        erase_employee(employee, actor=admin_user)
    page = admin_client.get("/portal/audit/").content.decode()
    assert "Dorthe Dahl" not in page and "Ikke længere registreret" in page


def test_the_audit_log_page_is_not_a_door_to_another_companys_names(company, other_company, admin_client):
    """Even an event pointing at another company's employee id shows no name (scope and row security)."""
    from hrportal.audit.log import record

    stranger = make_employee(other_company, name="Fremmed Person")
    record(Action.EMPLOYEE_CHANGED, company=company, target_type="employees.employee", target_id=stranger.pk)
    page = admin_client.get("/portal/audit/").content.decode()
    assert "Fremmed Person" not in page and "Ikke længere registreret" in page

"""Data-subject rights: deadline, access export, rectification, restriction, erasure (no trace left)."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from freezegun import freeze_time

from hrportal.audit.log import verify_chain
from hrportal.audit.models import Action, AuditEvent
from hrportal.employees.models import Employee
from hrportal.privacy import registry
from hrportal.privacy.dates import one_month_after
from hrportal.privacy.erasure import erase_employee
from hrportal.privacy.export import build_export
from hrportal.privacy.models import DataSubjectRequest, ProcessingRestriction, RetainedRecord
from hrportal.privacy.restriction import ProcessingRestricted, ensure_not_restricted, place_restriction
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.factories import gdpr_employee, gdpr_request
from tests.hrportal.privacy.test_privacy_helpers import (
    ciphertexts_of,
    database_hits,
    frozen_time_code,
    pdf_text,
    storage_hits,
)

MARKERS = {
    "name": "Zorblax Quimby",
    "address": "Markørvej 77",
    "postal_code": "9999",
    "city": "Markørby",
    "email": "zorblax@marker.test",
    "phone": "+45 99887766",
    "position": "Chief Marker Officer",
    "department": "Markørafdelingen",
    "emergency_contact": "Quux Quimby",
    "notes": "note-marker-xyzzy",
}


def marked_employee(company, **extra):
    fields = {"cpr": "121285-4321", "end_date": datetime.date(2025, 6, 30), "weekly_hours": "37.00"}
    fields.update(salary="41234.56", **MARKERS)
    fields.update(extra)
    return gdpr_employee(company, **fields)


@pytest.mark.parametrize(
    "received, due",
    [
        ("2026-01-15", "2026-02-15"),
        ("2026-01-31", "2026-02-28"),
        ("2024-01-31", "2024-02-29"),
        ("2026-03-31", "2026-04-30"),
        ("2026-12-20", "2027-01-20"),
        ("2026-02-28", "2026-03-28"),
    ],
)
def test_deadline_is_one_month_from_receipt(received, due):
    assert one_month_after(datetime.date.fromisoformat(received)) == datetime.date.fromisoformat(due)


@pytest.mark.django_db
def test_request_stores_its_deadline(company):
    with company_scope(company):
        dsr = gdpr_request(company, received_on=datetime.date(2026, 1, 31))
    assert dsr.due_on == datetime.date(2026, 2, 28)


@pytest.mark.django_db
def test_export_contains_every_registered_field_and_nothing_of_others(company, other_company):
    with company_scope(company):
        employee = marked_employee(company)
        colleague = gdpr_employee(company, name="Colleague Kollega", email="colleague@marker.test")
        gdpr_request(company, employee=employee, description="wants a copy")
        gdpr_request(company, employee=colleague, description="colleague-request-text")
    stranger = gdpr_employee(other_company, name="Stranger Fremmed", email="stranger@marker.test")

    with company_scope(company):
        data, summary = build_export(Employee.objects.get(pk=employee.pk))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {"data.json", "export.pdf"} <= set(archive.namelist())
    content = json.loads(archive.read("data.json"))
    exported = content["subject"]["fields"]
    assert set(exported) == {p.field for p in registry.exported_fields("employees.Employee")}
    for field, value in MARKERS.items():
        assert exported[field] == value
    assert exported["cpr"] == "121285-4321"
    assert exported["salary"] == "41234.56"
    requests = content["related"]["privacy.DataSubjectRequest"]
    assert [r["description"] for r in requests] == ["wants a copy"]
    pdf = pdf_text(archive.read("export.pdf"))
    blob = archive.read("data.json").decode() + pdf
    for other in (
        "Colleague Kollega",
        "colleague@marker.test",
        "colleague-request-text",
        "Stranger",
        stranger.email,
    ):
        assert other not in blob
    assert "Zorblax Quimby" in pdf and "Markørby" in pdf
    assert summary["fields"] == len(exported)


@pytest.mark.django_db
def test_export_view_downloads_a_zip_and_is_audited(company, admin_client, admin_user):
    with company_scope(company):
        employee = marked_employee(company)
    url = reverse("portal:employee_export", args=[employee.pk])
    assert admin_client.get(url).status_code == 302  # a GET never exports
    # A verified session alone is not enough: the export holds the full CPR number.
    assert admin_client.post(url).status_code == 302
    assert not AuditEvent.objects.filter(action=Action.PERSONAL_DATA_EXPORTED).exists()
    response = admin_client.post(url, {"code": next_code(admin_user.totp)})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.content)).read("data.json")
    event = AuditEvent.objects.filter(company_id=company.pk, action=Action.PERSONAL_DATA_EXPORTED).get()
    assert event.target_id == str(employee.pk)
    assert "Zorblax" not in json.dumps(event.details)


@pytest.mark.django_db
def test_rectification_saves_and_audits_field_names_not_values(company, admin_client):
    with company_scope(company):
        employee = marked_employee(company)
    url = reverse("portal:employee_rectify", args=[employee.pk])
    form = admin_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["address"] = "Rettet Vej 1"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    with company_scope(company):
        assert Employee.objects.get(pk=employee.pk).address == "Rettet Vej 1"
    event = AuditEvent.objects.filter(company_id=company.pk, action=Action.EMPLOYEE_RECTIFIED).get()
    assert event.details == {"fields": ["address"]}


@pytest.mark.django_db
def test_restriction_blocks_processing_until_lifted(company, admin_client, admin_user):
    with company_scope(company):
        employee = marked_employee(company)
    url = reverse("portal:employee_restriction", args=[employee.pk])
    assert admin_client.post(url, {"action": "place", "reason": "disputed accuracy"}).status_code == 302
    with company_scope(company), pytest.raises(ProcessingRestricted):
        ensure_not_restricted(employee, "document")
    page = admin_client.get(reverse("portal:employee_privacy", args=[employee.pk]))
    assert b"restriction-banner" in page.content
    # The access export to the person is still allowed.
    export = reverse("portal:employee_export", args=[employee.pk])
    assert admin_client.post(export, {"code": next_code(admin_user.totp)}).status_code == 200
    assert admin_client.post(url, {"action": "lift"}).status_code == 302
    with company_scope(company):
        ensure_not_restricted(employee, "document")
    actions = list(AuditEvent.objects.filter(company_id=company.pk).values_list("action", flat=True))
    assert Action.RESTRICTION_PLACED in actions and Action.RESTRICTION_LIFTED in actions


@pytest.mark.django_db
def test_restriction_guard_refuses_new_rows_of_guarded_models(company, settings):
    """Models in PRIVACY_RESTRICTED_MODELS (documents) cannot get new rows for a restricted employee."""
    from django.db.models.signals import pre_save

    from hrportal.privacy.signals import _guard_new_rows

    with company_scope(company):
        employee = marked_employee(company)
        place_restriction(employee)
        pre_save.connect(_guard_new_rows, sender=DataSubjectRequest, dispatch_uid="test-guard")
        try:
            with pytest.raises(ProcessingRestricted):
                gdpr_request(company, employee=employee)
        finally:
            pre_save.disconnect(sender=DataSubjectRequest, dispatch_uid="test-guard")


@pytest.mark.django_db
@freeze_time("2026-05-10")
def test_erasure_leaves_no_trace_in_database_or_storage(company, admin_client, admin_user):
    with company_scope(company):
        employee = marked_employee(company, end_date=datetime.date(2019, 3, 31))
        dsr = gdpr_request(company, employee=employee, kind="erasure", description="erase me, Zorblax")
        place_restriction(employee, reason="restriction-reason-marker")
        restriction = ProcessingRestriction.objects.get(employee=employee)
        tokens = ciphertexts_of(employee) + ciphertexts_of(restriction) + ciphertexts_of(dsr)[:1]
        uuid = str(employee.uuid)
    needles = [*MARKERS.values(), "121285-4321", "121285", "restriction-reason-marker", uuid, *tokens]
    assert database_hits(["Zorblax"]) == []  # encrypted at rest from the start
    assert set(database_hits(tokens))  # the tokens are there before

    erase = reverse("portal:employee_erase", args=[employee.pk])
    assert admin_client.post(erase, {"confirm": "on"}).status_code == 200  # no code: the form again
    assert set(database_hits(tokens))  # nothing erased without a fresh code
    response = admin_client.post(erase, {"confirm": "on", "code": frozen_time_code(admin_user)})
    assert response.status_code == 200

    assert database_hits(needles) == []
    assert storage_hits(needles) == []
    with company_scope(company):
        assert not Employee.objects.filter(pk=employee.pk).exists()
        assert not RetainedRecord.objects.exists()  # ended 2019: the bookkeeping period is over
        dsr = DataSubjectRequest.objects.get(pk=dsr.pk)
        assert dsr.status == "closed" and dsr.employee_id is None and dsr.description == ""
    assert verify_chain(company.pk) is None


@pytest.mark.django_db
@freeze_time("2026-05-10")
def test_erasure_keeps_what_the_law_requires_with_basis_and_date(company):
    with company_scope(company):
        employee = marked_employee(company, end_date=datetime.date(2025, 6, 30))
        result = erase_employee(employee)
        kept = RetainedRecord.objects.get()
    assert result.retained == kept
    assert kept.delete_on == datetime.date(2031, 1, 1)  # 5 years from the end of financial year 2025
    assert kept.legal_basis == "bookkeeping"
    assert set(kept.fields) == {"name", "cpr", "start_date", "end_date", "salary"}
    with company_scope(company):
        data = json.loads(RetainedRecord.objects.get().data)
    assert data["salary"] == "41234.56" and "address" not in data
    assert database_hits(["Markørvej 77", "zorblax@marker.test", "Zorblax"]) == []


@pytest.mark.django_db
def test_request_views_record_list_and_close(company, admin_client):
    with company_scope(company):
        employee = marked_employee(company)
    response = admin_client.post(
        reverse("portal:request_new"),
        {"employee_id": employee.pk, "kind": "access", "received_on": "2026-01-31", "description": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    with company_scope(company):
        dsr = DataSubjectRequest.objects.get()
    assert dsr.due_on == datetime.date(2026, 2, 28)
    listing = admin_client.get(reverse("portal:requests"))
    assert "Zorblax Quimby" in listing.content.decode()
    response = admin_client.post(
        reverse("portal:request_detail", args=[dsr.pk]), {"outcome": "Sent the export"}
    )
    assert response.status_code == 302
    with company_scope(company):
        dsr.refresh_from_db()
    assert dsr.status == "closed" and dsr.outcome == "Sent the export"
    actions = set(AuditEvent.objects.filter(company_id=company.pk).values_list("action", flat=True))
    assert {Action.DSR_RECORDED, Action.DSR_CLOSED} <= actions


@pytest.mark.django_db
def test_a_future_receipt_date_is_refused(company, admin_client):
    with company_scope(company):
        employee = marked_employee(company)
    response = admin_client.post(
        reverse("portal:request_new"),
        {"employee_id": employee.pk, "kind": "access", "received_on": "2999-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"]

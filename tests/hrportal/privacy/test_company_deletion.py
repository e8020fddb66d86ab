"""Deleting a company: personal data gone, data key destroyed, users removed, invoices kept 5 years."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from hrportal.audit.log import verify_chain
from hrportal.audit.models import Action, AuditEvent
from hrportal.billing.models import Invoice
from hrportal.companies.models import Company, SignupConfirmation
from hrportal.encryption.models import DataKey
from hrportal.jobs.models import Job
from hrportal.privacy.deletion import delete_company
from hrportal.privacy.retention import sweep
from hrportal.tenancy import company_scope
from tests.conftest import next_code, run_jobs
from tests.factories import gdpr_acceptance, gdpr_employee, gdpr_invoice, gdpr_request
from tests.hrportal.privacy.test_privacy_helpers import database_hits

MARKERS = ["Blorptown Marker", "blorp@marker.test", "Signer Snorkelwitz", "signer@marker.test", "+4511223344"]


def seed_company(company, admin_user):
    admin_user.first_name, admin_user.last_name = "Adminmarker", "Snorkelwitz"
    admin_user.save()
    SignupConfirmation.objects.create(
        company=company,
        signer_name="Signer Snorkelwitz",
        signer_email="signer@marker.test",
        signer_mobile="+4511223344",
        wording_version="1",
    )
    with company_scope(company):
        employee = gdpr_employee(
            company, name="Blorptown Marker", email="blorp@marker.test", cpr="111111-1118"
        )
        gdpr_request(company, employee=employee, description="Blorptown Marker asks")
        gdpr_acceptance(
            company, accepted_by_name="Adminmarker Snorkelwitz", accepted_by_email=admin_user.email
        )
        invoice = gdpr_invoice(company, issued_on=datetime.date(2026, 3, 1))
    return employee, invoice


@pytest.mark.django_db
def test_deleting_the_company_removes_personal_data_destroys_the_key_and_keeps_invoices(
    company, other_company, admin_user, admin_client
):
    employee, invoice = seed_company(company, admin_user)
    other_employee = gdpr_employee(other_company, name="Survivor Other", cpr="121212-1212")
    admin_email = admin_user.email
    assert DataKey.objects.filter(company=company, destroyed_at__isnull=True).exists()

    url = reverse("portal:company_delete")
    wrong = admin_client.post(url, {"company_name": "Wrong name", "code": "123456"})
    assert wrong.status_code == 200 and Company.objects.get(pk=company.pk).is_active
    response = admin_client.post(url, {"company_name": company.name, "code": next_code(admin_user.totp)})
    assert response.status_code == 302, response.content[:1000]
    status_url = response["Location"]
    assert status_url.startswith("/portal/deletion/")
    # Closed at once, deleted by the background job: the personal data is still there until it runs.
    assert Company.objects.get(pk=company.pk).status == Company.Status.DELETING
    assert database_hits(["Blorptown Marker"]) == []  # (encrypted at rest: a marker never shows in raw SQL)
    with company_scope(company):
        assert employee.__class__.objects.filter(pk=employee.pk).exists()
    page = Client().get(status_url)  # the admin is logged out; the status page needs no login
    assert page.status_code == 200 and "Demo ApS" not in page.content.decode()
    assert Client().get(status_url + "?format=json").json()["status"] == "queued"

    assert run_jobs() == 1

    status = Client().get(status_url + "?format=json").json()
    assert status["status"] == "done" and status["percent"] == 100 and status["finished"]
    job = Job.unscoped.get(kind=Job.Kind.COMPANY_DELETION)
    assert job.result["invoices_kept"] == 1 and job.created_by is None  # its user is deleted too
    assert "Virksomhedsprofilen er slettet" in Client().get(status_url).content.decode()
    assert database_hits([*MARKERS, admin_email, "Adminmarker", str(employee.uuid)]) == []
    assert not DataKey.objects.filter(company=company, destroyed_at__isnull=True).exists()
    assert DataKey.objects.filter(company=company).exclude(wrapped_key="").count() == 0
    assert not get_user_model().objects.filter(email=admin_email).exists()
    deleted = Company.objects.get(pk=company.pk)
    assert deleted.status == Company.Status.DELETED and deleted.name != "Demo ApS"
    kept = Invoice.unscoped.get(pk=invoice.pk)
    assert kept.customer_name == "Demo ApS" and kept.total == invoice.total
    # The other company is untouched.
    with company_scope(other_company):
        assert other_company.__class__.objects.get(pk=other_company.pk).is_active
        assert other_employee.__class__.objects.get(pk=other_employee.pk).name == "Survivor Other"
    # The audit log survives unchanged and still verifies.
    assert verify_chain(company.pk) is None
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.COMPANY_DELETED).exists()
    # The session is gone: the portal asks to log in again.
    assert admin_client.get(reverse("portal:dashboard")).status_code == 302


@pytest.mark.django_db
def test_deletion_needs_a_fresh_code(company, admin_user, admin_client):
    response = admin_client.post(
        reverse("portal:company_delete"), {"company_name": company.name, "code": "000000"}
    )
    assert response.status_code == 200
    assert Company.objects.get(pk=company.pk).is_active
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.COMPANY_DELETION_REFUSED).exists()


@pytest.mark.django_db
def test_invoices_are_deleted_exactly_after_5_years_from_the_end_of_their_financial_year(company, admin_user):
    with freeze_time("2026-05-10"):
        _employee, invoice = seed_company(company, admin_user)  # issued 2026-03-01: financial year 2026
        with company_scope(company):
            older = gdpr_invoice(company, issued_on=datetime.date(2025, 12, 31))
        delete_company(company)
    with freeze_time("2030-12-31"):
        sweep()
        assert Invoice.unscoped.filter(pk=older.pk).exists()  # kept until 2030-12-31 inclusive
    with freeze_time("2031-01-01"):
        sweep()
        assert not Invoice.unscoped.filter(pk=older.pk).exists()
        assert Invoice.unscoped.filter(pk=invoice.pk).exists()
    with freeze_time("2031-12-31"):
        sweep()
        assert Invoice.unscoped.filter(pk=invoice.pk).exists()
        assert Company.objects.filter(pk=company.pk).exists()
    with freeze_time("2032-01-01"):
        result = sweep()
        assert not Invoice.unscoped.filter(pk=invoice.pk).exists()
        assert result.companies_removed == 1
        assert not Company.objects.filter(pk=company.pk).exists()
    assert verify_chain(company.pk) is None

"""Retention: the daily sweep deletes exactly what is due, once, recording counts; admins see what is due."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from hrportal.audit.models import Action, AuditEvent
from hrportal.employees.models import Employee
from hrportal.privacy.models import RetainedRecord, RetentionPolicy
from hrportal.privacy.retention import due_for_deletion, sweep
from hrportal.tenancy import company_scope
from tests.conftest import run_jobs
from tests.factories import gdpr_employee


@pytest.mark.django_db
@freeze_time("2026-05-10")
def test_sweep_deletes_exactly_what_is_due_and_is_idempotent(company, other_company):
    with company_scope(company):
        due = gdpr_employee(company, end_date=datetime.date(2021, 5, 10))  # 5 years today
        not_yet = gdpr_employee(company, end_date=datetime.date(2021, 5, 11))
        employed = gdpr_employee(company)
    with company_scope(other_company):
        RetentionPolicy.objects.create(years_after_employment=3)
        other_due = gdpr_employee(other_company, end_date=datetime.date(2023, 5, 1))
        other_not = gdpr_employee(other_company, end_date=datetime.date(2023, 6, 1))

    result = sweep()
    assert result.employees == 2
    remaining = set(Employee.unscoped.values_list("pk", flat=True))
    assert remaining == {not_yet.pk, employed.pk, other_not.pk}
    assert due.pk not in remaining and other_due.pk not in remaining
    event = AuditEvent.objects.get(company_id=company.pk, action=Action.RETENTION_SWEEP)
    assert event.details == {"employees": 1, "retained_records": 0, "invoices": 0, "orphan_files": 0}
    assert sweep().employees == 0  # idempotent
    assert AuditEvent.objects.filter(action=Action.RETENTION_SWEEP).count() == 2


@pytest.mark.django_db
def test_records_kept_by_law_are_deleted_on_their_date(company):
    with freeze_time("2026-05-10"):
        with company_scope(company):
            employee = gdpr_employee(company, end_date=datetime.date(2021, 5, 10), salary="1000.00")
        # Ended in 2021 (financial year 2021): pay records kept to 2026-12-31, so a record is kept.
        sweep()
        kept = RetainedRecord.unscoped.get()
        assert kept.employee_ref == employee.pk and kept.delete_on == datetime.date(2027, 1, 1)
    with freeze_time("2026-12-31"):
        sweep()
        assert RetainedRecord.unscoped.exists()
    with freeze_time("2027-01-01"):
        call_command("retention_sweep")  # queues the company's sweep as a background job
        assert RetainedRecord.unscoped.exists()
        assert run_jobs() == 1
        assert not RetainedRecord.unscoped.exists()


@pytest.mark.django_db
@freeze_time("2026-05-10")
def test_admins_see_what_is_due_in_the_next_30_days(company, admin_client):
    with company_scope(company):
        soon = gdpr_employee(company, name="Soon Gone", end_date=datetime.date(2021, 6, 1))
        gdpr_employee(company, name="Later Gone", end_date=datetime.date(2021, 6, 30))
    items = due_for_deletion(company)
    assert [(i.kind, i.object_id) for i in items] == [("employee", soon.pk)]
    page = admin_client.get(reverse("portal:retention")).content.decode()
    assert "Soon Gone" in page and "Later Gone" not in page
    assert "forældelsesloven" in page or "limitation" in page.lower() or "forældelse" in page


@pytest.mark.django_db
def test_retention_setting_is_saved_and_audited(company, admin_client):
    response = admin_client.post(reverse("portal:retention"), {"years_after_employment": 3})
    assert response.status_code == 302
    with company_scope(company):
        assert RetentionPolicy.objects.get().years_after_employment == 3
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.RETENTION_CHANGED).exists()
    assert admin_client.post(reverse("portal:retention"), {"years_after_employment": 0}).status_code == 200

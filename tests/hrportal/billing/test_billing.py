"""Invoices: monthly job (idempotent), VAT, staff form, listing and PDF per company."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from hrportal.audit.models import Action, AuditEvent
from hrportal.billing.invoicing import create_monthly_invoices
from hrportal.billing.models import Invoice
from hrportal.employees.models import Employee
from hrportal.privacy.erasure import retention_end_for_kept_data
from hrportal.tenancy import company_scope
from tests.factories import gdpr_invoice
from tests.hrportal.privacy.test_privacy_helpers import pdf_text


@pytest.mark.django_db
def test_monthly_job_invoices_each_active_company_once(company, other_company):
    assert create_monthly_invoices(datetime.date(2026, 4, 1)) == 2
    assert create_monthly_invoices(datetime.date(2026, 4, 15)) == 0
    call_command("create_monthly_invoices", "--month", "2026-04")
    invoices = Invoice.unscoped.filter(period_start=datetime.date(2026, 4, 1))
    assert invoices.count() == 2
    invoice = invoices.get(company=company)
    assert invoice.period_end == datetime.date(2026, 4, 30)
    assert invoice.amount == Decimal("499.00") and invoice.vat == Decimal("124.75")
    assert invoice.total == Decimal("623.75")
    assert invoice.customer_cvr == company.cvr
    assert len({i.number for i in invoices}) == 2


@pytest.mark.django_db
def test_invoice_keep_until_is_5_years_after_the_financial_year():
    invoice = Invoice(issued_on=datetime.date(2026, 1, 1))
    assert invoice.keep_until == datetime.date(2031, 12, 31)


def test_one_financial_year_end_governs_invoices_and_kept_pay_records(settings):
    """A financial year other than the calendar year is one setting, and both retention dates follow it."""
    settings.BOOKKEEPING_FINANCIAL_YEAR_END = (6, 30)
    invoice = Invoice(issued_on=datetime.date(2026, 7, 1))
    assert invoice.financial_year_end == datetime.date(2027, 6, 30)
    assert invoice.keep_until == datetime.date(2032, 6, 30)
    employee = Employee(end_date=datetime.date(2026, 7, 1))
    kept_until = retention_end_for_kept_data(employee, today=datetime.date(2026, 8, 1))
    assert kept_until == datetime.date(2032, 6, 30)


@pytest.mark.django_db
def test_admin_lists_and_downloads_own_invoices(company, other_company, admin_client):
    with company_scope(company):
        mine = gdpr_invoice(company, customer_name="Søstrene Ærø ApS")
    theirs = gdpr_invoice(other_company)
    page = admin_client.get(reverse("portal:invoices")).content.decode()
    assert mine.number in page and theirs.number not in page
    response = admin_client.get(reverse("portal:invoice_pdf", args=[mine.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert mine.number in text and "Søstrene Ærø ApS" in text and "Faktura" in text and "623,75" in text
    assert admin_client.get(reverse("portal:invoice_pdf", args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_staff_create_an_invoice_and_admins_cannot(company, staff_client, admin_client):
    data = {
        "company": company.pk,
        "plan": "plus",
        "period_start": "2026-05-01",
        "period_end": "2026-05-31",
        "amount": "",
        "description": "Maj",
    }
    assert admin_client.post(reverse("portal:staff_invoice_new"), data).status_code == 404
    response = staff_client.post(reverse("portal:staff_invoice_new"), data)
    assert response.status_code == 302, response.content[:2000]
    invoice = Invoice.unscoped.get(company=company)
    assert invoice.amount == Decimal("999.00") and invoice.source == "manual"
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.INVOICE_CREATED).exists()

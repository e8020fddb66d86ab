"""Invoices a bookkeeper accepts: payment details, +71 line, due date and Danish formats; monthly catch-up."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time
from wagtail.models import Site

from hrportal.billing.invoicing import create_invoice
from hrportal.billing.models import Invoice
from hrportal.billing.payment import mod10_check_digit, payment_id
from tests.hrportal.privacy.test_privacy_helpers import pdf_text

PAYMENT = {
    "bank_reg_no": "5301",
    "bank_account_no": "0001234567",
    "iban": "DK7253010001234567",
    "bic": "ALBADKKK",
    "fik_creditor_no": "12345678",
}


def owner_details(**payment):
    from cms_pages.models import OwnerDetails

    return OwnerDetails.objects.create(
        site=Site.objects.get(is_default_site=True),
        company_name="ANSATTE ApS",
        address="Nyvej 9",
        postal_code="4261",
        city="Dalmose",
        cvr="29135789",
        contact_person="Peter Serop",
        email="support@ansatte.dk",
        phone="7171 2200",
        **payment,
    )


def luhn_valid(digits: str) -> bool:
    """An independent modulus-10 check: weights 1,2,1,… from the right including the check digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        product = int(char) * (2 if position % 2 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def big_invoice(company):
    return create_invoice(
        company,
        plan="standard",
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30),
        amount=Decimal("23200.00"),
        issued_on=datetime.date(2026, 12, 1),
    )


def test_payment_id_has_a_modulus_10_check_digit():
    assert mod10_check_digit("1234567890") == "3"  # the textbook Luhn example 1234567890 -> 3
    pid = payment_id("2026-00017")
    assert len(pid) == 15 and pid.startswith("00000202600017") and luhn_valid(pid)
    assert not luhn_valid(pid[:-1] + str((int(pid[-1]) + 1) % 10))


@pytest.mark.django_db
def test_invoice_pdf_carries_payment_details_due_date_and_danish_formats(company, admin_client):
    owner_details(**PAYMENT)
    invoice = big_invoice(company)
    text = pdf_text(admin_client.get(reverse("portal:invoice_pdf", args=[invoice.pk])).content)
    compact = " ".join(text.split())
    assert "5301 0001234567" in compact and "DK7253010001234567" in compact and "ALBADKKK" in compact
    pid = payment_id(invoice.number)
    assert f"+71< {pid} +12345678<" in compact and luhn_valid(pid)
    due = invoice.issued_on + datetime.timedelta(days=settings.BILLING_PAYMENT_DAYS)
    months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
              "november", "december"]  # fmt: skip
    assert f"{due.day}. {months[due.month - 1]} {due.year}" in compact
    assert "1. december 2026" in compact
    assert "29.000,00 kr." in compact and "23.200,00 kr." in compact and "5.800,00 kr." in compact


@pytest.mark.django_db
def test_english_invoice_pdf_uses_english_formats(company, admin_client):
    owner_details(**PAYMENT)
    invoice = big_invoice(company)
    admin_client.post("/portal/language/", {"language": "en", "next": "/portal/"})
    text = " ".join(
        pdf_text(admin_client.get(reverse("portal:invoice_pdf", args=[invoice.pk])).content).split()
    )
    assert "DKK 29,000.00" in text and "1 December 2026" in text


@pytest.mark.django_db
def test_unconfigured_payment_details_leave_their_lines_out(company, admin_client):
    owner_details(iban="DK7253010001234567")
    invoice = big_invoice(company)
    text = pdf_text(admin_client.get(reverse("portal:invoice_pdf", args=[invoice.pk])).content)
    assert "DK7253010001234567" in text
    assert "+71" not in text and "BIC" not in text and "Reg." not in text


@pytest.mark.django_db
def test_monthly_job_catches_up_every_missed_month_once(company):
    with freeze_time("2026-09-01 06:00"):
        call_command("create_monthly_invoices")  # invoices August
    with freeze_time("2026-12-04 06:00"):
        call_command("create_monthly_invoices")
        call_command("create_monthly_invoices")  # a second run creates nothing
    starts = sorted(Invoice.unscoped.filter(company=company).values_list("period_start", flat=True))
    assert starts == [datetime.date(2026, m, 1) for m in (8, 9, 10, 11)]
    november = Invoice.unscoped.get(company=company, period_start=datetime.date(2026, 11, 1))
    assert november.period_end == datetime.date(2026, 11, 30) and november.source == "monthly"


@pytest.mark.django_db
def test_an_explicit_month_already_invoiced_creates_nothing(company):
    with freeze_time("2026-12-04 06:00"):
        call_command("create_monthly_invoices")
        call_command("create_monthly_invoices", "--month", "2026-11")
    assert Invoice.unscoped.filter(company=company).count() == 1


@pytest.mark.django_db
def test_demo_shows_the_current_invoice_with_payment_details_once(django_capture_on_commit_callbacks):
    from cms_pages.models import OwnerDetails

    with freeze_time("2026-12-04 06:00"), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo", verbosity=0)
    current = Invoice.unscoped.filter(company__cvr="12345674", period_start=datetime.date(2026, 11, 1))
    assert current.count() == 1 and current.get().status == "issued"
    owner = OwnerDetails.objects.get(site__is_default_site=True)
    assert owner.bank_reg_no and owner.iban and len(owner.fik_creditor_no) == 8

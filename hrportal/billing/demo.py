"""Demo content: a couple of invoices for Demo ApS (and one for Nordisk Byg ApS). Idempotent."""

import datetime

from hrportal.billing.invoicing import already_invoiced, create_invoice
from hrportal.billing.models import Invoice
from hrportal.companies.models import Company
from hrportal.tenancy import company_scope

INVOICES = [
    # cvr, period start, period end, issued, status
    ("12345674", datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), datetime.date(2026, 2, 1), "paid"),
    ("12345674", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), datetime.date(2026, 3, 1), "issued"),
    ("87654311", datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), datetime.date(2026, 2, 1), "paid"),
]


def seed():
    created = 0
    for cvr, start, end, issued, status in INVOICES:
        company = Company.objects.filter(cvr=cvr, status=Company.Status.ACTIVE).first()
        if company is None:
            continue
        if already_invoiced(company, start):
            continue
        invoice = create_invoice(
            company, plan="standard", period_start=start, period_end=end, issued_on=issued, source="monthly"
        )
        with company_scope(company):
            Invoice.objects.filter(pk=invoice.pk).update(status=status)
        created += 1
    return [f"Invoices: {created} created."] if created else []

"""Demo content: a couple of invoices for Demo ApS (and one for Nordisk Byg ApS), among them the invoice of
the newest complete month, so the demo shows a current invoice; and payment details in the owner details,
so its PDF shows how a customer pays. Idempotent."""

import datetime

from django.utils import timezone

from hrportal.billing.invoicing import already_invoiced, create_invoice
from hrportal.billing.models import Invoice
from hrportal.companies.models import Company
from hrportal.privacy.dates import add_months
from hrportal.tenancy import company_scope

INVOICES = [
    # cvr, period start, period end, issued, status
    ("12345674", datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), datetime.date(2026, 2, 1), "paid"),
    ("12345674", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), datetime.date(2026, 3, 1), "issued"),
    ("87654311", datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), datetime.date(2026, 2, 1), "paid"),
]


DEMO_CVR = "12345674"
# Obviously made-up account (the IBAN's check digits are valid for it); creditor number for the +71 line.
PAYMENT_DETAILS = {
    "bank_reg_no": "5301",
    "bank_account_no": "0001234567",
    "iban": "DK7253010001234567",
    "bic": "ALBADKKK",
    "fik_creditor_no": "12345678",
}


def current_invoice(today: datetime.date):
    """The newest complete month: the demo's current, not yet paid invoice, issued the 1st of this month."""
    start = add_months(today.replace(day=1), -1)
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return (DEMO_CVR, start, end, today.replace(day=1), "issued")


def seed_payment_details() -> bool:
    """Only fills empty payment fields of the default site's owner details: an editor's values survive."""
    from cms_pages.models import OwnerDetails

    owner = OwnerDetails.objects.filter(site__is_default_site=True).first()
    if owner is None:
        return False
    changed = [field for field, value in PAYMENT_DETAILS.items() if not getattr(owner, field)]
    for field in changed:
        setattr(owner, field, PAYMENT_DETAILS[field])
    if changed:
        owner.save(update_fields=changed)
    return bool(changed)


def seed():
    lines = ["Owner details: payment details added."] if seed_payment_details() else []
    created = 0
    for cvr, start, end, issued, status in [*INVOICES, current_invoice(timezone.localdate())]:
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
    return lines + ([f"Invoices: {created} created."] if created else [])

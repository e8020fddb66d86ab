"""Creating invoices: by staff (one at a time) and by the monthly job (idempotent: one per company, month)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.billing.models import Invoice
from hrportal.privacy.dates import add_months
from hrportal.tenancy import company_scope, cross_company


def next_number(year: int) -> str:
    prefix = f"{year}-"
    with cross_company(reason="invoice numbers are one series across all companies"):
        last = Invoice.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    return f"{prefix}{int(last.split('-')[1]) + 1 if last else 1:05d}"


def plan_price(plan: str) -> Decimal:
    return Decimal(settings.BILLING_PLAN_PRICES[plan])


def current_plan(company) -> str:
    with company_scope(company):
        last = Invoice.objects.order_by("-issued_on", "-pk").first()
    return last.plan if last else settings.BILLING_DEFAULT_PLAN


def create_invoice(
    company,
    *,
    plan,
    period_start,
    period_end,
    amount=None,
    description="",
    issued_on=None,
    source=Invoice.Source.MANUAL,
    actor=None,
    request=None,
) -> Invoice:
    issued_on = issued_on or timezone.localdate()
    with company_scope(company):
        return _create_invoice(
            company, plan, period_start, period_end, amount, description, issued_on, source, actor, request
        )


def _create_invoice(
    company, plan, period_start, period_end, amount, description, issued_on, source, actor, request
):
    for _attempt in range(3):
        try:
            with transaction.atomic():
                invoice = Invoice(
                    company_id=company.pk,
                    number=next_number(issued_on.year),
                    plan=plan,
                    description=description,
                    period_start=period_start,
                    period_end=period_end,
                    amount=plan_price(plan) if amount is None else amount,
                    issued_on=issued_on,
                    due_on=issued_on + datetime.timedelta(days=settings.BILLING_PAYMENT_DAYS),
                    source=source,
                    customer_name=company.name,
                    customer_cvr=company.cvr,
                    customer_address=f"{company.address}, {company.postal_code} {company.city}",
                )
                invoice.save()
                break
        except IntegrityError:
            if (
                source == Invoice.Source.MONTHLY
                and Invoice.objects.filter(period_start=period_start, source=source).exists()
            ):
                raise
            continue  # a concurrent invoice took the number: take the next one
    record(
        Action.INVOICE_CREATED,
        request=request,
        actor=actor,
        company_id=company.pk,
        target=invoice,
        details={"number": invoice.number, "source": source},
    )
    return invoice


def create_monthly_invoices(month: datetime.date) -> int:
    """Invoice every active company for the month containing `month`. Idempotent; returns how many new."""
    from hrportal.companies.models import Company

    start = month.replace(day=1)
    end = add_months(start, 1) - datetime.timedelta(days=1)
    created = 0
    for company in Company.objects.filter(status=Company.Status.ACTIVE).order_by("pk"):
        if already_invoiced(company, start):
            continue
        try:
            create_invoice(
                company,
                plan=current_plan(company),
                period_start=start,
                period_end=end,
                source=Invoice.Source.MONTHLY,
            )
        except IntegrityError:
            continue  # another run created it at the same moment
        created += 1
    return created


def months_to_invoice(today: datetime.date) -> list[datetime.date]:
    """The first day of every complete month not yet run: from the month after the newest monthly invoice
    up to last month, so a missed run (server down, job disabled) is caught up on the next one. With no
    monthly invoice yet, only last month (the service did not bill before its first run)."""
    last_month = add_months(today.replace(day=1), -1)
    with cross_company(reason="the monthly job finds the newest month it has invoiced, across companies"):
        newest = Invoice.objects.filter(source=Invoice.Source.MONTHLY).aggregate(m=Max("period_start"))["m"]
    month = add_months(newest.replace(day=1), 1) if newest else last_month
    months = []
    while month <= last_month:
        months.append(month)
        month = add_months(month, 1)
    return months


def catch_up_monthly_invoices(today: datetime.date | None = None) -> dict[datetime.date, int]:
    """Run the monthly job for every month it missed; {month: invoices created}. Idempotent."""
    today = today or timezone.localdate()
    return {month: create_monthly_invoices(month) for month in months_to_invoice(today)}


def already_invoiced(company, period_start) -> bool:
    with company_scope(company):
        return Invoice.objects.filter(period_start=period_start, source=Invoice.Source.MONTHLY).exists()


def recent_invoices(limit: int = 20) -> list[Invoice]:
    """The newest invoices of all companies, for provider staff (billing is the provider's own business)."""
    with cross_company(reason="provider staff's list of the newest invoices"):
        return list(Invoice.objects.select_related("company").order_by("-pk")[:limit])

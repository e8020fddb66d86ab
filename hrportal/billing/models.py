"""Invoices: bookkeeping material, kept 5 years from the end of the financial year they concern.

An invoice carries a copy of the customer's details as invoiced (name, CVR, address), so it stays complete
after the company deletes its profile: then only invoices remain, until the retention sweep deletes each
one the day after `keep_until`. No card data is handled anywhere.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrportal.privacy.dates import bookkeeping_keep_until, financial_year_end
from hrportal.tenancy import TenantModel

VAT_RATE = Decimal("25.00")
CENT = Decimal("0.01")


class Plan(models.TextChoices):
    BASIC = "basic", _("Basic")
    STANDARD = "standard", _("Standard")
    PLUS = "plus", _("Plus (with provider mandate)")


class Invoice(TenantModel):
    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PAID = "paid", _("Paid")
        CREDITED = "credited", _("Credited")

    class Source(models.TextChoices):
        MONTHLY = "monthly", _("Monthly job")
        MANUAL = "manual", _("Created by staff")

    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    amount = models.DecimalField(_("amount excl. VAT (DKK)"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=VAT_RATE)
    vat = models.DecimalField(_("VAT (DKK)"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("total (DKK)"), max_digits=10, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_on = models.DateField(_("invoice date"))
    due_on = models.DateField(_("due date"))
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    # The customer as invoiced (kept with the invoice after the company is deleted).
    customer_name = models.CharField(_("customer"), max_length=200)
    customer_cvr = models.CharField(_("CVR number"), max_length=8)
    customer_address = models.CharField(_("address"), max_length=320)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "period_start"],
                condition=models.Q(source="monthly"),
                name="billing_one_monthly_invoice_per_period",
            )
        ]

    def __str__(self):
        return f"Invoice {self.number}"

    def compute_totals(self):
        self.vat = (self.amount * self.vat_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        self.total = self.amount + self.vat

    def save(self, *args, **kwargs):
        self.compute_totals()
        super().save(*args, **kwargs)

    @property
    def financial_year_end(self):
        return financial_year_end(self.issued_on, *settings.BOOKKEEPING_FINANCIAL_YEAR_END)

    @property
    def keep_until(self):
        """The last day the invoice must be kept; the retention sweep deletes it the day after."""
        return bookkeeping_keep_until(self.issued_on, *settings.BOOKKEEPING_FINANCIAL_YEAR_END)

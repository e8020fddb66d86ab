"""Monthly job: invoice every active company for each complete month since the last run (or --month YYYY-MM).

Idempotent: the unique constraint `billing_one_monthly_invoice_per_period` allows one monthly invoice per
company and month, so a second run (or two at once) creates nothing new.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from hrportal.billing.invoicing import catch_up_monthly_invoices, create_monthly_invoices


class Command(BaseCommand):
    help = (
        "Create the monthly invoices of every complete month since the last run (once per company and month)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", help="YYYY-MM: only this month (default: every month since the last run)"
        )

    def handle(self, *args, month=None, **options):
        if month:
            try:
                day = datetime.date.fromisoformat(f"{month}-01")
            except ValueError as exc:
                raise CommandError("--month must be YYYY-MM") from exc
            runs = {day: create_monthly_invoices(day)}
        else:
            runs = catch_up_monthly_invoices()
        if not runs:
            self.stdout.write("no complete month to invoice")
        for day, created in runs.items():
            self.stdout.write(f"created {created} invoice(s) for {day:%Y-%m}")

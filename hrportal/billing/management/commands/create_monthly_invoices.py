"""Monthly job: invoice every active company for last month (or --month YYYY-MM). Idempotent."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hrportal.billing.invoicing import create_monthly_invoices
from hrportal.privacy.dates import add_months


class Command(BaseCommand):
    help = "Create last month's invoice for every active company (once per company and month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")

    def handle(self, *args, month=None, **options):
        if month:
            try:
                day = datetime.date.fromisoformat(f"{month}-01")
            except ValueError as exc:
                raise CommandError("--month must be YYYY-MM") from exc
        else:
            day = add_months(timezone.localdate().replace(day=1), -1)
        created = create_monthly_invoices(day)
        self.stdout.write(f"created {created} invoice(s) for {day:%Y-%m}")

"""Daily job: delete what is past its retention date (employees, records kept by law, invoices)."""

import datetime

from django.core.management.base import BaseCommand

from hrportal.privacy.retention import sweep


class Command(BaseCommand):
    help = "Delete employees, records kept by law and invoices past their retention date; print counts."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as of this date (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        today = datetime.date.fromisoformat(date) if date else None
        result = sweep(today=today)
        self.stdout.write(
            f"deleted employees={result.employees} retained_records={result.retained_records} "
            f"invoices={result.invoices} companies_removed={result.companies_removed}"
        )

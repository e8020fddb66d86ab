"""Seed demo content for `make run`, idempotently: running it twice creates nothing twice.

Each app contributes a seeder listed in settings.DEMO_SEEDERS (the public site does not import the
portal; the portal's seeder is named by string).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Create demo content (site pages, portal companies and users). Safe to run repeatedly."

    def handle(self, *args, **options):
        for dotted in settings.DEMO_SEEDERS:
            seeder = import_string(dotted)
            with transaction.atomic():
                lines = seeder() or []
            for line in lines:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

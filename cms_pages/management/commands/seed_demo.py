"""Seed demo content for `make run`, idempotently: running it twice creates nothing twice.

Each app contributes a seeder listed in settings.DEMO_SEEDERS (the public site does not import the
portal; the portal's seeder is named by string).

The demo includes a superuser and logins whose password and TOTP secrets are printed and public, so the
command refuses to run outside development (DEBUG) unless told explicitly, e.g. for a closed demo server.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Create demo content (site pages, portal companies and users). Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production-demo",
            action="store_true",
            help="Seed even though DEBUG is off. The demo logins (a superuser among them) are public.",
        )

    def handle(self, *args, **options):
        allowed = settings.DEBUG or settings.DEMO_SEED_ALLOWED or options["allow_production_demo"]
        if not allowed:
            raise CommandError(
                "seed_demo creates a superuser and logins whose password and TOTP secrets are public. "
                "It runs only with DEBUG on (development settings); to seed a closed demo server anyway, "
                "pass --allow-production-demo."
            )
        for dotted in settings.DEMO_SEEDERS:
            seeder = import_string(dotted)
            with transaction.atomic():
                lines = seeder() or []
            for line in lines:
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

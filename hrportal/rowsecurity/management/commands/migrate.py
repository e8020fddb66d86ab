"""`manage.py migrate` runs as the owner (DATABASE_OWNER_URL) when set, then refreshes the app role's grants.

The application's own DATABASE_URL role may not create tables; without DATABASE_OWNER_URL (SQLite, or a
single-role PostgreSQL set-up) this is Django's migrate unchanged.
"""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS

from hrportal.rowsecurity.owner import owner_connection


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if not settings.DATABASE_OWNER or options["database"] != DEFAULT_DB_ALIAS:
            return super().handle(*args, **options)
        from hrportal.rowsecurity.roles import setup_roles

        app = settings.DATABASES[DEFAULT_DB_ALIAS]
        app_role, password = app["USER"], app.get("PASSWORD") or None  # read before the owner's swap in
        with owner_connection() as connection:
            super().handle(*args, **options)
            with connection.cursor() as cursor:
                setup_roles(cursor, app_role=app_role, password=password)
        if options["verbosity"]:
            self.stdout.write(f"Grants for the application role {app_role} refreshed.")

"""`manage.py setup_database_roles`: create the application role and grant it this database (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hrportal.rowsecurity.owner import owner_connection


class Command(BaseCommand):
    help = "Create the application role of DATABASE_URL and its grants, connected as DATABASE_OWNER_URL."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backup-role",
            nargs="?",
            const="ansatte_backup",
            default=None,
            help="also create the backup role (LOGIN, BYPASSRLS, SELECT only; needs a superuser owner URL)",
        )

    def handle(self, *args, **options):
        app = settings.DATABASES["default"]
        if app["ENGINE"] != "django.db.backends.postgresql":
            self.stdout.write("SQLite: no database roles (row-level security needs PostgreSQL).")
            return
        if not settings.DATABASE_OWNER:
            raise CommandError(
                "Set DATABASE_OWNER_URL (the owner role that runs migrations) to set up roles."
            )
        from hrportal.rowsecurity.roles import setup_roles

        app_role, password = app["USER"], app.get("PASSWORD") or None  # read before the owner's swap in
        with owner_connection() as connection, connection.cursor() as cursor:
            try:
                setup_roles(cursor, app_role=app_role, password=password)
            except ValueError as error:
                raise CommandError(str(error)) from error
            if options["backup_role"]:
                from hrportal.rowsecurity.roles import setup_backup_role

                setup_backup_role(cursor, role=options["backup_role"])
                self.stdout.write(f"Backup role {options['backup_role']} ready (BYPASSRLS, read-only).")
        self.stdout.write(f"Application role {app_role} ready in {app['NAME']}.")

"""`manage.py check_row_security`: the acceptance check of issue #13 against the configured database.

Connected as the running app connects (DATABASE_URL): the role is no superuser, has no BYPASSRLS and owns no
tenant table; every tenant table has its policies with FORCE on; and a raw SELECT without a company returns
0 rows from each. Exit code 1 names what fails (run by .ci/run, and by an operator after a deploy).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hrportal.rowsecurity.policies import row_secured_tables


class Command(BaseCommand):
    help = "Check that the app's database role is under row-level security on every tenant table."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite: no row-level security (the scoped manager alone separates companies).")
            return
        tables = list(row_secured_tables())
        problems = []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            )
            user, superuser, bypass = cursor.fetchone()
            if superuser or bypass:
                problems.append(f"{user} is a superuser or has BYPASSRLS")
            cursor.execute(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner),"
                " (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname)"
                " FROM pg_class c WHERE c.relname = ANY(%s) AND c.relkind = 'r'",
                [tables],
            )
            found = {row[0]: row[1:] for row in cursor.fetchall()}
            for table in tables:
                enabled, forced, owner, policies = found.get(table, (False, False, "", 0))
                if not (enabled and forced and policies >= 2):
                    problems.append(
                        f"{table}: row security enabled={enabled} forced={forced} policies={policies}"
                    )
                if owner == user:
                    problems.append(f"{table} is owned by the application role {user}")
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the model registry
                (count,) = cursor.fetchone()
                if count:
                    problems.append(f"{table}: {count} rows visible without a company")
        if problems:
            raise CommandError("Row-level security check failed:\n  " + "\n  ".join(problems))
        self.stdout.write(
            f"Row-level security holds for {user} on {len(tables)} tables (tenants' and audit)."
        )

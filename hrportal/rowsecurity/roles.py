"""The application role and its grants, created idempotently by the owner (`setup_database_roles`).

Roles are cluster-wide, so their names are shared by every database on the cluster (a developer's and CI's):
`ansatte_app` (or the user of DATABASE_URL) logs in, is neither owner nor superuser, has no BYPASSRLS and
NOINHERIT, so the cross-company policy does not apply to it unless it switches to `ansatte_cross_company`.
Grants are per database; ALTER DEFAULT PRIVILEGES gives the tables of later migrations the same grants.
"""

from psycopg import sql

from hrportal.rowsecurity.policies import ENSURE_CROSS_COMPANY_ROLE
from hrportal.rowsecurity.session import CROSS_COMPANY_ROLE

DML = "SELECT, INSERT, UPDATE, DELETE"


def setup_roles(cursor, *, app_role: str, password: str | None = None, for_tests: bool = False) -> list[str]:
    """Create or correct the roles and grant them this database's tables; returns the statements run."""
    app, cross = sql.Identifier(app_role), sql.Identifier(CROSS_COMPANY_ROLE)
    cursor.execute("SELECT current_user, current_database()")
    owner, database = cursor.fetchone()
    if owner == app_role:
        raise ValueError(f"the application role {app_role!r} must not be the owner that runs migrations")
    owner_id, database_id = sql.Identifier(owner), sql.Identifier(database)
    attributes = sql.SQL("LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")
    create = sql.SQL(
        "DO $$ BEGIN CREATE ROLE {} {}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    ).format(app, attributes)
    statements = [
        sql.SQL(ENSURE_CROSS_COMPANY_ROLE),
        create,
        sql.SQL("ALTER ROLE {} {}").format(app, attributes),
        sql.SQL("GRANT {} TO {}").format(cross, app),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database_id, app),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}, {}").format(app, cross),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}, {}").format(sql.SQL(DML), app, cross),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}, {}").format(app, cross),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON TABLES TO {}, {}").format(
            owner_id, sql.SQL(DML), app, cross
        ),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
            "GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}, {}"
        ).format(owner_id, app, cross),
    ]
    if password:
        statements.append(sql.SQL("ALTER ROLE {} PASSWORD {}").format(app, sql.Literal(password)))
    if for_tests:
        # Only on test databases: TransactionTestCase empties tables with TRUNCATE, which RLS does not cover.
        statements.append(
            sql.SQL("GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {}, {}").format(app, cross)
        )
    done = []
    for statement in statements:
        cursor.execute(statement)
        text = statement.as_string(cursor.connection)
        done.append(text.replace(password, "***") if password else text)
    return done


BACKUP_ROLE = "ansatte_backup"


def setup_backup_role(cursor, *, role: str = BACKUP_ROLE) -> list[str]:
    """The role backups run as: it logs in, reads every row of this database (BYPASSRLS: pg_dump refuses to
    dump a table whose policies would hide rows) and may write nothing. Creating a BYPASSRLS role needs a
    superuser; its password (if the cluster asks for one) is the DBA's to set, never the application's."""
    backup = sql.Identifier(role)
    cursor.execute("SELECT current_user, current_database()")
    owner, database = cursor.fetchone()
    owner_id, database_id = sql.Identifier(owner), sql.Identifier(database)
    attributes = sql.SQL("LOGIN NOINHERIT NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE")
    statements = [
        sql.SQL("DO $$ BEGIN CREATE ROLE {} {}; EXCEPTION WHEN duplicate_object THEN NULL; END $$").format(
            backup, attributes
        ),
        sql.SQL("ALTER ROLE {} {}").format(backup, attributes),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database_id, backup),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(backup),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(backup),
        sql.SQL("GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(backup),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT SELECT ON TABLES TO {}").format(
            owner_id, backup
        ),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT SELECT ON SEQUENCES TO {}"
        ).format(owner_id, backup),
    ]
    for statement in statements:
        cursor.execute(statement)
    return [statement.as_string(cursor.connection) for statement in statements]

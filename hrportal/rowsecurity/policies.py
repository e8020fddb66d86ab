"""The SQL of a tenant table's policies, shared by the migrations and the role set-up.

A row is visible and writable when its company is the one the transaction is scoped to. `NULLIF(..., '')`
makes "no company" (unset or reset to '') match nothing, so a forgotten scope reads 0 rows and writes none.
The role `ansatte_cross_company` (no login; the application role may switch to it, and does so only inside
`tenancy.cross_company()`) sees every row. FORCE applies the policies to the table's owner too.
"""

from hrportal.rowsecurity.session import COMPANY_SETTING, CROSS_COMPANY_ROLE

# In a scalar subquery the planner evaluates it once per query (an InitPlan) instead of once per row scanned,
# and can still use the company_id index: a full-company read (the export) costs no per-row function call.
CURRENT_COMPANY = f"(SELECT NULLIF(current_setting('{COMPANY_SETTING}', true), '')::bigint)"

ENSURE_CROSS_COMPANY_ROLE = f"""
DO $$ BEGIN
    CREATE ROLE {CROSS_COMPANY_ROLE} NOLOGIN NOINHERIT;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
"""


# Tables under the same policies that are not TenantModels, with their company column: the audit log keeps
# plain ids (no foreign key: it outlives the company); its anchor names the chain (company id, 0 for none).
# The employee list version is read and bumped only in the scope of its company (list view, Employee writes,
# company deletion), so it needs no scoped manager but is under the policies (migration 0004).
OTHER_TABLES = {
    "audit_auditevent": "company_id",
    "audit_auditchainanchor": "chain",
    "employees_employeelistversion": "company_id",
}

# Tables with a company column that are deliberately NOT under row-level security, each with the reason
# (listed in docs/security.md). tests/hrportal/rowsecurity/test_rowsecurity.py lists every model with a
# `company` or `company_id` field and fails on one that is neither in row_secured_tables() nor here.
EXCLUDED_TABLES = {
    "companies_membership": (
        "companies.access.resolve_company reads a user's memberships to choose the request's company before "
        "any scope is opened, and login checks (companies.members) count them per user; ids and a role only"
    ),
    "companies_mandate": (
        "provider staff's company list and choice (companies.access) and the expiry sweep "
        "(companies.mandates) read the active mandates of every company, before or without a scope; ids "
        "and dates only"
    ),
    "companies_signupconfirmation": (
        "written by signup before the company is active or has a user, and read back through the email "
        "link and the signup session with the company still pending, so no scope can exist yet"
    ),
    "encryption_datakey": (
        "loaded by key id wherever a sealed value is opened, also after a scope has ended (a value read in "
        "cross_company, opened later), and key rotation (encryption.rotation) creates, lists and re-wraps "
        "keys outside any scope; under the policies such a lookup would fail or, with the key in the "
        "process's cache, succeed. Wrapped by the master key, which never touches the database"
    ),
}


def row_secured_tables() -> dict[str, str]:
    """Every table the policies must cover -> its company column (checked by tests and check_row_security)."""
    from django.apps import apps

    from hrportal.tenancy import TenantModel

    tenant = {
        m._meta.db_table: "company_id"
        for m in apps.get_models()
        if issubclass(m, TenantModel) and not m._meta.proxy
    }
    return dict(sorted({**tenant, **OTHER_TABLES}.items()))


def enable_sql(table: str, column: str = "company_id") -> list[str]:
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"',
        f'CREATE POLICY tenant_isolation ON "{table}" USING ("{column}" = {CURRENT_COMPANY}) '
        f'WITH CHECK ("{column}" = {CURRENT_COMPANY})',
        f'DROP POLICY IF EXISTS cross_company ON "{table}"',
        f'CREATE POLICY cross_company ON "{table}" TO {CROSS_COMPANY_ROLE} USING (true) WITH CHECK (true)',
    ]


def disable_sql(table: str) -> list[str]:
    return [
        f'DROP POLICY IF EXISTS cross_company ON "{table}"',
        f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"',
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
    ]


class EnableRowSecurity:
    """Migration operation factory: `EnableRowSecurity("app_model")` for each new tenant table."""

    def __new__(cls, *tables: str):
        from django.db import migrations

        def forwards(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            schema_editor.execute(ENSURE_CROSS_COMPANY_ROLE)
            for table in tables:
                for statement in enable_sql(table):
                    schema_editor.execute(statement)

        def backwards(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for table in tables:
                for statement in disable_sql(table):
                    schema_editor.execute(statement)

        return migrations.RunPython(forwards, backwards, elidable=False)

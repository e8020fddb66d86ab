"""The policies compare with the session's company through a scalar subquery, evaluated once per query.

Same rows visible and writable as 0001; only the plan changes (see `policies.CURRENT_COMPANY` and the
row-level security benchmark in docs/performance.md). Re-creating a policy is idempotent.
"""

import importlib

from django.db import migrations

from hrportal.rowsecurity.policies import enable_sql

TENANT_TABLES = importlib.import_module("hrportal.rowsecurity.migrations.0001_tenant_row_policies").TENANT_TABLES


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TENANT_TABLES:
        for statement in enable_sql(table):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("rowsecurity", "0001_tenant_row_policies")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]

"""The audit log and its chain anchors under the same policies as the tenant tables.

An event of the scope's company is read and written in its scope; `hrportal.audit.log` writes an event of
another company or of none, and verifies the chains, through `cross_company()`.
"""

from django.db import migrations

from hrportal.rowsecurity.policies import ENSURE_CROSS_COMPANY_ROLE, disable_sql, enable_sql

TABLES = {"audit_auditevent": "company_id", "audit_auditchainanchor": "chain"}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ENSURE_CROSS_COMPANY_ROLE)
    for table, column in TABLES.items():
        for statement in enable_sql(table, column):
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for statement in disable_sql(table):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("rowsecurity", "0002_company_evaluated_once_per_query"),
        ("audit", "0009_read_events"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

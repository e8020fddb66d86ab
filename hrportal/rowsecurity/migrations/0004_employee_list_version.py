"""The employee list version (a random cache token per company) under the same policies as the tenant tables.

It is not a TenantModel (no scoped manager), but every read and write happens in its company's scope: the
list view reads or creates it (`employees.snapshot.current_version`), each write of an Employee bumps it
(`employees.models.bump_list_version`, in the scope the Employee row itself needs), and a company's deletion
runs in that company's scope. Tables with a company column that stay outside the policies are listed, with
their reason, in `policies.EXCLUDED_TABLES` and docs/security.md.
"""

from django.db import migrations

from hrportal.rowsecurity.policies import EnableRowSecurity


class Migration(migrations.Migration):
    dependencies = [
        ("rowsecurity", "0003_audit_tables"),
        ("employees", "0004_employee_version"),
    ]

    operations = [EnableRowSecurity("employees_employeelistversion")]

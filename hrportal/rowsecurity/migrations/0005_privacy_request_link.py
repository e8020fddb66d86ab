"""The company's request link for employees (privacy.RequestLink) under the tenant policies."""

from django.db import migrations

from hrportal.rowsecurity.policies import EnableRowSecurity


class Migration(migrations.Migration):
    dependencies = [
        ("rowsecurity", "0004_employee_list_version"),
        ("privacy", "0002_employee_request_link"),
    ]

    operations = [EnableRowSecurity("privacy_requestlink")]

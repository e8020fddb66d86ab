"""The items an employment contract covers (documents.ContractCoverage) under the tenant policies."""

from django.db import migrations

from hrportal.rowsecurity.policies import EnableRowSecurity


class Migration(migrations.Migration):
    dependencies = [
        ("rowsecurity", "0005_privacy_request_link"),
        ("documents", "0005_contract_coverage"),
    ]

    operations = [EnableRowSecurity("documents_contractcoverage")]

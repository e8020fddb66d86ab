"""Row-level security on every tenant table (every TenantModel, as of this migration).

A later tenant model needs its own `EnableRowSecurity("<table>")` in a migration of this app:
tests/hrportal/rowsecurity/test_rowsecurity.py compares the tenant models with pg_policies and fails until it has one.
"""

from django.db import migrations

from hrportal.rowsecurity.policies import EnableRowSecurity

TENANT_TABLES = (
    "companies_invitation",
    "employees_employee",
    "privacy_retentionpolicy",
    "privacy_datasubjectrequest",
    "privacy_processingrestriction",
    "privacy_retainedrecord",
    "privacy_dpaacceptance",
    "privacy_dpanotice",
    "billing_invoice",
    "documents_document",
    "documents_signaturerequest",
    "documents_signer",
    "documents_signature",
    "jobs_job",
)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0004_one_open_mandate_per_company"),
        ("employees", "0003_photo"),
        ("privacy", "0001_initial"),
        ("billing", "0001_initial"),
        ("documents", "0002_signature_page_version"),
        ("jobs", "0001_initial"),
    ]

    operations = [EnableRowSecurity(*TENANT_TABLES)]

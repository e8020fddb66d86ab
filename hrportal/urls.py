from django.urls import include, path

from hrportal.accounts import urls as accounts_urls
from hrportal.billing import urls as billing_urls
from hrportal.companies import urls as companies_urls
from hrportal.documents import signing_views as document_signing
from hrportal.documents import views as documents
from hrportal.jobs import urls as jobs_urls
from hrportal.privacy import urls as privacy_urls

app_name = "portal"

urlpatterns = [
    # Login, two-factor and passwords (hrportal.accounts)
    *accounts_urls.urlpatterns,
    # Signup, invitations, the company overview, users, mandate, audit log (hrportal.companies)
    *companies_urls.urlpatterns,
    # Employees (hrportal.employees)
    path("employees/", include("hrportal.employees.urls")),
    # Settings (DPA, retention, company deletion) and data-subject requests (hrportal.privacy)
    *privacy_urls.urlpatterns,
    # Settings > Billing, and staff creating invoices (hrportal.billing)
    *billing_urls.urlpatterns,
    *jobs_urls.urlpatterns,
    # Employment documents and signing (hrportal.documents)
    path("documents/", documents.document_list, name="documents"),
    path("documents/contracts/", documents.contract_overview, name="document_contracts"),
    path("employees/<int:employee_id>/documents/", documents.employee_documents, name="employee_documents"),
    path("employees/<int:employee_id>/documents/upload/", documents.document_upload, name="document_upload"),
    path(
        "employees/<int:employee_id>/documents/new/<slug:template>/",
        documents.document_new,
        name="document_new",
    ),
    path("documents/<int:document_id>/", documents.document_detail, name="document_detail"),
    path("documents/<int:document_id>/download/", documents.document_download, name="document_download"),
    path(
        "documents/<int:document_id>/download/signed/",
        documents.document_download_signed,
        name="document_download_signed",
    ),
    path("documents/<int:document_id>/void/", documents.document_void, name="document_void"),
    path(
        "documents/<int:document_id>/contract-items/",
        documents.contract_items,
        name="document_contract_items",
    ),
    path("documents/<int:document_id>/send/", document_signing.document_send, name="document_send"),
    path("documents/<int:document_id>/sign/", document_signing.document_sign, name="document_sign"),
]

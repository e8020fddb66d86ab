from django.urls import path

from hrportal.billing import views as billing
from hrportal.privacy import views

urlpatterns = [
    path("settings/", views.settings_index, name="settings"),
    path("settings/retention/", views.retention_settings, name="retention"),
    path("settings/dpa/", views.dpa_view, name="dpa"),
    path("settings/dpa/pdf/", views.dpa_pdf, name="dpa_pdf"),
    path(
        "settings/dpa/acceptances/<int:acceptance_id>/pdf/",
        views.dpa_acceptance_pdf,
        name="dpa_acceptance_pdf",
    ),
    path("settings/delete-company/", views.company_delete, name="company_delete"),
    path("settings/billing/", billing.invoices, name="invoices"),
    path("settings/billing/<int:invoice_id>/pdf/", billing.invoice_pdf, name="invoice_pdf"),
    path("staff/invoices/new/", billing.staff_invoice_new, name="staff_invoice_new"),
    path("privacy/requests/", views.requests_list, name="requests"),
    path("privacy/requests/new/", views.request_new, name="request_new"),
    path("privacy/requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("privacy/employees/<int:employee_id>/", views.employee_privacy, name="employee_privacy"),
    path("privacy/employees/<int:employee_id>/export/", views.employee_export, name="employee_export"),
    path("privacy/employees/<int:employee_id>/rectify/", views.employee_rectify, name="employee_rectify"),
    path(
        "privacy/employees/<int:employee_id>/restriction/",
        views.employee_restriction,
        name="employee_restriction",
    ),
    path("privacy/employees/<int:employee_id>/erase/", views.employee_erase, name="employee_erase"),
]

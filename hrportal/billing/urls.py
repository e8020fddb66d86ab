"""Routes of billing, included into the portal's URLconf without a namespace of their own: the names stay
`portal:invoices`, `portal:invoice_pdf` and `portal:staff_invoice_new`, the pages stay under Settings."""

from django.urls import path

from hrportal.billing import views

urlpatterns = [
    path("settings/billing/", views.invoices, name="invoices"),
    path("settings/billing/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("staff/invoices/new/", views.staff_invoice_new, name="staff_invoice_new"),
]

"""Language-prefixed consent pages (receipt, no-JavaScript settings); mounted inside i18n_patterns."""

from django.urls import path

from cms_pages.consent import views

app_name = "consent"
urlpatterns = [
    path("settings/", views.consent_settings, name="settings"),
    path("receipt/<uuid:consent_id>/", views.receipt, name="receipt"),
    path("receipt/<uuid:consent_id>/download/", views.receipt_json, name="receipt_json"),
]

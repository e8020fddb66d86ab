"""Unprefixed JSON endpoints consent.js calls from any (cached) page."""

from django.urls import path

from cms_pages.consent import views

app_name = "consent_api"
urlpatterns = [
    path("", views.give_consent, name="give"),
    path("csrf/", views.csrf_token, name="csrf"),
    path("config/", views.consent_config, name="config"),
]

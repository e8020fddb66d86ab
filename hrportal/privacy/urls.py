from django.urls import path

from hrportal.privacy.views import (
    agreement,
    company_settings,
    employee_rights,
    public_requests,
    request_link,
    subject_requests,
)

urlpatterns = [
    path("settings/", company_settings.settings_index, name="settings"),
    path("settings/retention/", company_settings.retention_settings, name="retention"),
    path("settings/dpa/", agreement.dpa_view, name="dpa"),
    path("settings/dpa/pdf/", agreement.dpa_pdf, name="dpa_pdf"),
    path("settings/dpa/object/", agreement.dpa_object, name="dpa_object"),
    path(
        "settings/dpa/acceptances/<int:acceptance_id>/pdf/",
        agreement.dpa_acceptance_pdf,
        name="dpa_acceptance_pdf",
    ),
    path("settings/delete-company/", company_settings.company_delete, name="company_delete"),
    path("privacy/requests/", subject_requests.requests_list, name="requests"),
    path("privacy/requests/new/", subject_requests.request_new, name="request_new"),
    path("privacy/requests/link/", request_link.request_link, name="request_link"),
    path(
        "privacy/requests/link/regenerate/",
        request_link.request_link_regenerate,
        name="request_link_regenerate",
    ),
    path("privacy/requests/<int:request_id>/", subject_requests.request_detail, name="request_detail"),
    path("privacy/employees/<int:employee_id>/", employee_rights.employee_privacy, name="employee_privacy"),
    path(
        "privacy/employees/<int:employee_id>/export/", employee_rights.employee_export, name="employee_export"
    ),
    path(
        "privacy/employees/<int:employee_id>/rectify/",
        employee_rights.employee_rectify,
        name="employee_rectify",
    ),
    path(
        "privacy/employees/<int:employee_id>/restriction/",
        employee_rights.employee_restriction,
        name="employee_restriction",
    ),
    path("privacy/employees/<int:employee_id>/erase/", employee_rights.employee_erase, name="employee_erase"),
]

# The employee's own pages (no login), mounted at the root of the app host by config/urls.py, as /sign/ is.
public_urlpatterns = [
    path("rights/follow/<str:token>/", public_requests.request_follow, name="employee_request_follow"),
    path("rights/<str:token>/", public_requests.request_form, name="employee_request"),
    path("rights/<str:token>/confirm/", public_requests.request_confirm, name="employee_request_confirm"),
]

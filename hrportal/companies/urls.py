"""Routes of the company pages, included without a namespace of their own: their names stay `portal:...`."""

from django.urls import path

from hrportal.companies.views import audit_log, dashboard, invitations, mandate, members, signup, switching

urlpatterns = [
    # Signup and invitations
    path("signup/", signup.signup_start, name="signup"),
    path("signup/check-email/", signup.signup_check_email, name="signup_check_email"),
    path("signup/confirm-email/<str:token>/", signup.signup_confirm_email, name="signup_confirm_email"),
    path("signup/mobile/", signup.signup_mobile, name="signup_mobile"),
    path("signup/password/", signup.signup_password, name="signup_password"),
    path("invite/<str:token>/", invitations.invite_accept, name="invite_accept"),
    # The company: overview, users, mandate, audit log
    path("", dashboard.dashboard, name="dashboard"),
    path("users/", members.users, name="users"),
    path("users/invite/", invitations.user_invite, name="user_invite"),
    path(
        "users/invitations/<int:invitation_id>/cancel/",
        invitations.invitation_cancel,
        name="invitation_cancel",
    ),
    path("users/<int:user_id>/remove/", members.user_remove, name="user_remove"),
    path("users/<int:user_id>/reset-device/", members.user_reset_device, name="user_reset_device"),
    path("mandate/", mandate.mandate, name="mandate"),
    path("mandate/revoke/", mandate.mandate_revoke, name="mandate_revoke"),
    path("audit/", audit_log.audit_log, name="audit_log"),
    # Provider staff and members of several companies
    path("companies/", switching.provider_companies, name="provider_companies"),
    path("companies/<int:company_id>/switch/", switching.switch_company, name="switch_company"),
]

"""Routes of login, two-factor, passwords, language and session, included into the portal's URLconf
without a namespace of their own: the names stay `portal:login`, `portal:security` and so on."""

from django.urls import path

from hrportal.accounts.views import login, passwords, session, twofactor

urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("login/verify/", login.login_verify, name="login_verify"),
    path("logout/", login.logout, name="logout"),
    path("two-factor/setup/", twofactor.twofactor_setup, name="twofactor_setup"),
    path("security/", twofactor.security, name="security"),
    path("security/backup-codes/", twofactor.backup_codes_regenerate, name="backup_codes_regenerate"),
    path("security/password/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", passwords.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("language/", session.set_language, name="language"),
    path("session/", session.session_status, name="session_status"),
    path("session/keepalive/", session.session_keepalive, name="session_keepalive"),
]

from django.urls import include, path

from hrportal.accounts import views as accounts
from hrportal.companies import views as companies

app_name = "portal"

urlpatterns = [
    # Login, two-factor and passwords (hrportal.accounts)
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("login/verify/", accounts.login_verify, name="login_verify"),
    path("logout/", accounts.logout, name="logout"),
    path("two-factor/setup/", accounts.twofactor_setup, name="twofactor_setup"),
    path("security/", accounts.security, name="security"),
    path("security/backup-codes/", accounts.backup_codes_regenerate, name="backup_codes_regenerate"),
    path("security/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("language/", accounts.set_language, name="language"),
    # Company overview
    path("", companies.dashboard, name="dashboard"),
    # Employees (hrportal.employees)
    path("employees/", include("hrportal.employees.urls")),
]

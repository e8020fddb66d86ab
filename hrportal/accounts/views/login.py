"""Logging in with two factors (password, then a code) and out; a failed password is an audit event."""

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import NON_FIELD_ERRORS
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from hrportal.accounts.devices import BackupCodeDevice
from hrportal.accounts.forms import (
    EmailAuthenticationForm,
    OTPTokenForm,
)
from hrportal.accounts.middleware import two_factor_exempt
from hrportal.accounts.twofactor import has_confirmed_device, verify_code
from hrportal.accounts.views.common import first_company_id, safe_next
from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome


@receiver(user_login_failed)
def _audit_failed_login(sender, credentials, request=None, **kwargs):
    record(Action.LOGIN_FAILED, request=request, outcome=Outcome.FAILURE)


@method_decorator(two_factor_exempt, name="dispatch")
class LoginView(auth_views.LoginView):
    """Step one: email and password. The session is not verified until step two."""

    template_name = "hrportal/accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = False

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "ip_limited"):
            response.status_code = 429
        return response

    def form_valid(self, form):
        super().form_valid(form)
        query = f"?next={self.get_redirect_url() or reverse('portal:dashboard')}"
        if has_confirmed_device(form.get_user()):
            return HttpResponseRedirect(reverse("portal:login_verify") + query)
        return HttpResponseRedirect(reverse("portal:twofactor_setup") + query)


@two_factor_exempt
@login_required
def login_verify(request):
    """Step two: a TOTP code or a backup code turns the password-only session into a verified one."""
    user = request.user
    if user.is_verified():
        return redirect(safe_next(request))
    if not has_confirmed_device(user):
        return redirect(reverse("portal:twofactor_setup") + f"?next={safe_next(request)}")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_code(user, form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()  # new session id on privilege elevation
            otp_login(request, device)
            company_id = first_company_id(user)
            record(Action.LOGIN, request=request, company_id=company_id)
            if isinstance(device, BackupCodeDevice):
                record(Action.BACKUP_CODE_USED, request=request, company_id=company_id)
                messages.warning(
                    request,
                    _("You logged in with a backup code. %(count)s codes are left.")
                    % {"count": device.remaining()},
                )
            return redirect(safe_next(request))
        record(Action.OTP_FAILED, request=request, company_id=first_company_id(user), outcome=Outcome.FAILURE)
        form.add_error(
            "code", _("The code is wrong or has already been used. Try the next code from your app.")
        )
    return render(request, "hrportal/accounts/login_verify.html", {"form": form, "next": safe_next(request)})


@two_factor_exempt
@require_POST
def logout(request):
    if request.user.is_authenticated:
        record(Action.LOGOUT, request=request, company_id=first_company_id(request.user))
    auth_logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("portal:login")

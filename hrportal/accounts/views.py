"""Login with two factors, authenticator enrolment, backup codes, password change and reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from config.cache import SharedStateUnavailable
from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice
from hrportal.accounts.forms import (
    EmailAuthenticationForm,
    OTPTokenForm,
    ReauthenticateForm,
    TOTPConfirmForm,
    TOTPReplaceForm,
)
from hrportal.accounts.lockout import password_reset_limited
from hrportal.accounts.middleware import two_factor_exempt
from hrportal.accounts.sessions import mark_active, not_activity, seconds_left
from hrportal.accounts.signals import device_enrolled
from hrportal.accounts.twofactor import has_confirmed_device, verify_code
from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome
from hrportal.employees.cpr import contains_cpr


def _safe_next(request, default="portal:dashboard"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and contains_cpr(target):  # never carried on (see middleware._next_without_cpr)
        target = target.split("?", 1)[0]
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _first_company_id(user):
    membership = user.memberships.order_by("created_at").first()
    return membership.company_id if membership else None


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
        return redirect(_safe_next(request))
    if not has_confirmed_device(user):
        return redirect(reverse("portal:twofactor_setup") + f"?next={_safe_next(request)}")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_code(user, form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()  # new session id on privilege elevation
            otp_login(request, device)
            company_id = _first_company_id(user)
            record(Action.LOGIN, request=request, company_id=company_id)
            if isinstance(device, BackupCodeDevice):
                record(Action.BACKUP_CODE_USED, request=request, company_id=company_id)
                messages.warning(
                    request,
                    _("You logged in with a backup code. %(count)s codes are left.")
                    % {"count": device.remaining()},
                )
            return redirect(_safe_next(request))
        record(
            Action.OTP_FAILED, request=request, company_id=_first_company_id(user), outcome=Outcome.FAILURE
        )
        form.add_error(
            "code", _("The code is wrong or has already been used. Try the next code from your app.")
        )
    return render(request, "hrportal/accounts/login_verify.html", {"form": form, "next": _safe_next(request)})


def _reauthenticated(request, form) -> bool:
    """Both factors again on top of the session: a stolen session alone must not replace them.

    The password goes through `authenticate`, so wrong guesses count towards the django-axes lockout
    and are audited as failed logins; the code goes through the locked, throttled `verify_code`.
    """
    user = request.user
    checked = authenticate(request, username=user.email, password=form.cleaned_data["password"])
    if checked is None or checked.pk != user.pk:
        form.add_error("password", _("The password is wrong."))
        return False
    if verify_code(user, form.cleaned_data["current_code"]) is None:
        record(
            Action.OTP_FAILED, request=request, company_id=_first_company_id(user), outcome=Outcome.FAILURE
        )
        form.add_error(
            "current_code", _("The code is wrong or has already been used. Try the next code from your app.")
        )
        return False
    return True


def _tell_second_factor_changed(user, change) -> None:
    """Email the owner, so a takeover through a stolen session and password does not go unnoticed."""
    language = user.language or settings.LANGUAGE_CODE

    def send():
        with translation.override(language):
            send_mail(
                _("Your two-factor login was changed"),
                render_to_string(
                    "emails/second_factor_changed.txt",
                    {
                        "email": user.email,
                        "change": str(change),
                        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("portal:password_change"),
                    },
                ),
                None,
                [user.email],
            )

    transaction.on_commit(send)


@two_factor_exempt
@login_required
def twofactor_setup(request):
    """Enrol an authenticator. With a password-only session only while the user has none; replacing an
    enrolled one takes a verified session, the password and a code from the current app or a backup code.
    """
    user = request.user
    replacing = has_confirmed_device(user)
    if replacing and not user.is_verified():
        return redirect(reverse("portal:login_verify"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=user, name="Authenticator", confirmed=False)
        device.generate_key()
        device.save()
    form_class = TOTPReplaceForm if replacing else TOTPConfirmForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid() and (not replacing or _reauthenticated(request, form)):
        if device.verify_token(form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            backup, _created = BackupCodeDevice.objects.get_or_create(
                user=user, defaults={"name": "Backup codes", "confirmed": True}
            )
            codes = backup.generate_codes()
            device_enrolled.send(sender=TOTPDevice, user=user, request=request)
            company_id = _first_company_id(user)
            details = {"replaced": True} if replacing else {}
            record(Action.OTP_ENROLLED, request=request, company_id=company_id, details=details)
            record(Action.BACKUP_CODES_GENERATED, request=request, company_id=company_id, details=details)
            if replacing:
                _tell_second_factor_changed(user, _("a new authenticator app replaced the old one"))
            return render(
                request, "hrportal/accounts/backup_codes.html", {"codes": codes, "next": _safe_next(request)}
            )
        form.add_error(
            "code", _("That code did not match. Check the time on your phone and try the newest code.")
        )
    import segno

    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return render(
        request,
        "hrportal/accounts/twofactor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": device.base32_key,
            "replacing": replacing,
            "next": _safe_next(request),
        },
    )


def backup_codes_regenerate(request):
    """New backup codes replace the old ones: only with the password and a current code."""
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _reauthenticated(request, form):
        backup, _created = BackupCodeDevice.objects.get_or_create(
            user=request.user, defaults={"name": "Backup codes", "confirmed": True}
        )
        codes = backup.generate_codes()
        record(Action.BACKUP_CODES_GENERATED, request=request, company_id=_first_company_id(request.user))
        _tell_second_factor_changed(request.user, _("new backup codes replaced the old ones"))
        return render(
            request,
            "hrportal/accounts/backup_codes.html",
            {"codes": codes, "next": reverse("portal:security")},
        )
    return render(request, "hrportal/accounts/backup_codes_regenerate.html", {"form": form})


def security(request):
    backup = BackupCodeDevice.objects.filter(user=request.user).first()
    return render(
        request, "hrportal/accounts/security.html", {"backup_remaining": backup.remaining() if backup else 0}
    )


@two_factor_exempt
@require_POST
def logout(request):
    if request.user.is_authenticated:
        record(Action.LOGOUT, request=request, company_id=_first_company_id(request.user))
    auth_logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("portal:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password rotates the session auth hash: every other session of the user ends."""

    template_name = "hrportal/accounts/password_change.html"
    success_url = reverse_lazy("portal:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        record(Action.PASSWORD_CHANGED, request=self.request, company_id=_first_company_id(form.user))
        messages.success(self.request, _("Your password is changed. Other sessions have been logged out."))
        return response


@method_decorator(two_factor_exempt, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "hrportal/accounts/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")

    def form_valid(self, form):
        """At most a few emails an hour per address and per IP; nothing is sent when the count fails."""
        try:
            limited = password_reset_limited(self.request, form.cleaned_data["email"])
        except SharedStateUnavailable:
            form.add_error(None, _("Password reset is unavailable right now. Try again in a few minutes."))
            return self.render_to_response(self.get_context_data(form=form), status=503)
        if limited:
            form.add_error(None, _("Too many reset requests. Wait an hour and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


@method_decorator(two_factor_exempt, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "hrportal/accounts/password_reset_done.html"


@method_decorator(two_factor_exempt, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset never logs in: the user must still pass both factors afterwards."""

    template_name = "hrportal/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("portal:login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            Action.PASSWORD_RESET,
            actor=form.user,
            request=self.request,
            company_id=_first_company_id(form.user),
        )
        messages.success(self.request, _("Your password is changed. Log in with it and your authenticator."))
        return response


@two_factor_exempt
@require_POST
def set_language(request):
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response = redirect(_safe_next(request))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=True)
    return response


@never_cache
@not_activity
def session_status(request):
    """For session-timeout.js: seconds left, and the warning's texts in the user's language."""
    return JsonResponse(
        {
            "remaining": seconds_left(request.session),
            "warn": settings.SESSION_IDLE_WARNING,
            "message": _("You will be logged out soon because you have not been active."),
            "button": _("Stay logged in"),
            "csrf": get_token(request),
            "keepalive": reverse("portal:session_keepalive"),
        }
    )


@never_cache
@require_POST
def session_keepalive(request):
    """The warning's button: counts as activity (also without JavaScript, as a plain form)."""
    mark_active(request.session)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"remaining": seconds_left(request.session)})
    return redirect(_safe_next(request))

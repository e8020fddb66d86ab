"""Enrolling and replacing the authenticator, backup codes and the security page: each change of a
second factor needs the password again and is told to the user by email."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from config import mail
from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice
from hrportal.accounts.forms import (
    ReauthenticateForm,
    TOTPConfirmForm,
    TOTPReplaceForm,
)
from hrportal.accounts.middleware import two_factor_exempt
from hrportal.accounts.signals import device_enrolled
from hrportal.accounts.twofactor import has_confirmed_device, verify_code
from hrportal.accounts.views.common import first_company_id, safe_next
from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome


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
        record(Action.OTP_FAILED, request=request, company_id=first_company_id(user), outcome=Outcome.FAILURE)
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
            mail.send(
                "emails/second_factor_changed",
                {
                    "email": user.email,
                    "change": str(change),
                    "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("portal:password_change"),
                },
                subject=_("Your two-factor login was changed"),
                to=[user.email],
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
            company_id = first_company_id(user)
            details = {"replaced": True} if replacing else {}
            record(Action.OTP_ENROLLED, request=request, company_id=company_id, details=details)
            record(Action.BACKUP_CODES_GENERATED, request=request, company_id=company_id, details=details)
            if replacing:
                _tell_second_factor_changed(user, _("a new authenticator app replaced the old one"))
            return render(
                request, "hrportal/accounts/backup_codes.html", {"codes": codes, "next": safe_next(request)}
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
            "next": safe_next(request),
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
        record(Action.BACKUP_CODES_GENERATED, request=request, company_id=first_company_id(request.user))
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

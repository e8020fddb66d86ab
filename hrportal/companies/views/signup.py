"""Signing up a company, in steps a visitor without an account takes: email, mobile, password.

Every step is exempt from the two-factor rule (the signer has no authenticator yet); the confirmation in
progress is carried in the session, and only once both the email and the mobile are proven may the signer
choose a password. The rules are in `hrportal.companies.signup`.
"""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config import mail
from config.requests import client_ip
from hrportal.accounts.middleware import two_factor_exempt
from hrportal.companies import signup
from hrportal.companies.forms import SignupForm, SMSCodeForm
from hrportal.companies.models import Company, SignupConfirmation
from hrportal.companies.views import AUTH_BACKEND
from hrportal.masking import mask_phone

SIGNUP_SESSION_KEY = "signup_confirmation_id"


@two_factor_exempt
def signup_start(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and signup.signup_rate_limited(client_ip(request)):
        form.is_valid()
        form.add_error(None, _("Too many signups from your network. Try again in an hour."))
        return render(request, "hrportal/companies/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        if form.email_taken():
            # Same answer as a new signup (no account enumeration); the owner of the address is told.
            mail.send(
                "emails/signup_email_taken",
                {"login": request.build_absolute_uri("/portal/login/")},
                subject=_("Someone tried to sign up with your email"),
                to=[form.cleaned_data["email"]],
            )
            return redirect("portal:signup_check_email")
        confirmation = signup.start_signup(data=form.cleaned_data, ip=client_ip(request))
        request.session[SIGNUP_SESSION_KEY] = confirmation.pk
        base_url = f"{request.scheme}://{request.get_host()}"
        transaction.on_commit(lambda: signup.send_confirmation_email(confirmation, base_url))
        return redirect("portal:signup_check_email")
    return render(request, "hrportal/companies/signup.html", {"form": form})


@two_factor_exempt
def signup_check_email(request):
    return render(request, "hrportal/companies/signup_check_email.html")


@two_factor_exempt
def signup_confirm_email(request, token):
    """GET shows a button, POST confirms: link scanners that prefetch URLs confirm nothing."""
    try:
        if request.method == "POST":
            confirmation = signup.confirm_email(token)
            request.session[SIGNUP_SESSION_KEY] = confirmation.pk
            return redirect("portal:signup_mobile")
    except signup.SignupError as error:
        return render(request, "hrportal/companies/signup_error.html", {"error": str(error)}, status=400)
    return render(request, "hrportal/companies/signup_confirm_email.html")


def _signup_in_session(request) -> SignupConfirmation:
    pk = request.session.get(SIGNUP_SESSION_KEY)
    confirmation = (
        SignupConfirmation.objects.filter(pk=pk, company__status=Company.Status.PENDING)
        .select_related("company")
        .first()
    )
    if confirmation is None or confirmation.email_verified_at is None:
        raise Http404("No signup in progress")
    return confirmation


@two_factor_exempt
def signup_mobile(request):
    confirmation = _signup_in_session(request)
    if confirmation.mobile_verified_at:
        return redirect("portal:signup_password")
    form = SMSCodeForm()
    error = None
    if request.method == "POST":
        try:
            if "send" in request.POST:
                signup.send_sms_code(confirmation)
                messages.info(request, _("We sent a code to your mobile."))
                return redirect("portal:signup_mobile")
            form = SMSCodeForm(request.POST)
            if form.is_valid():
                if signup.verify_sms_code(confirmation, form.cleaned_data["code"]):
                    return redirect("portal:signup_password")
                form.add_error("code", _("The code is wrong. Check the text message and try again."))
        except signup.SignupError as exc:
            error = str(exc)
    context = {"form": form, "mobile": mask_phone(confirmation.signer_mobile), "error": error}
    return render(request, "hrportal/companies/signup_mobile.html", context)


@two_factor_exempt
def signup_password(request):
    confirmation = _signup_in_session(request)
    if confirmation.mobile_verified_at is None:
        return redirect("portal:signup_mobile")
    user = signup.signer_of(confirmation)
    if user.has_usable_password():
        return redirect("portal:login")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session.pop(SIGNUP_SESSION_KEY, None)
        auth_login(request, user, backend=AUTH_BACKEND)
        return redirect(reverse("portal:twofactor_setup") + "?next=" + reverse("portal:dashboard"))
    return render(request, "hrportal/companies/signup_password.html", {"form": form})

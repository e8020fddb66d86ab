"""Password change (ends every other session) and reset (never logs in: both factors are still needed)."""

import logging

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from config import mail
from config.cache import SharedStateUnavailable
from hrportal.accounts.lockout import password_reset_limited
from hrportal.accounts.middleware import two_factor_exempt
from hrportal.accounts.views.common import first_company_id
from hrportal.audit.log import record
from hrportal.audit.models import Action


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password rotates the session auth hash: every other session of the user ends."""

    template_name = "hrportal/accounts/password_change.html"
    success_url = reverse_lazy("portal:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        record(Action.PASSWORD_CHANGED, request=self.request, company_id=first_company_id(form.user))
        messages.success(self.request, _("Your password is changed. Other sessions have been logged out."))
        return response


logger = logging.getLogger(__name__)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its e-mail sent as text and HTML through `config.mail` like every other one."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        link = f"{context['protocol']}://{context['domain']}" + reverse(
            "portal:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        try:
            mail.send(
                email_template_name.removesuffix(".txt"),
                {**context, "link": link},
                subject=mail.render_text(subject_template_name, context),
                to=[to_email],
            )
        except Exception:  # as Django's own: the answer must not tell whether the address has an account
            logger.exception("Failed to send password reset email to %s", context["user"].pk)


@method_decorator(two_factor_exempt, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
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
            company_id=first_company_id(form.user),
        )
        messages.success(self.request, _("Your password is changed. Log in with it and your authenticator."))
        return response

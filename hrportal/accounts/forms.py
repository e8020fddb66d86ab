from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from hrportal.accounts.lockout import login_ip_limited, normalise_login


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"})
    )

    def clean_username(self):
        # One spelling per account, so the lockout counter and the audit see the same name.
        return normalise_login(self.cleaned_data.get("username"))

    def clean(self):
        # Before the password is checked: a sprayed IP is refused for every account, right ones too.
        if self.request is not None and login_ip_limited(self.request):
            raise forms.ValidationError(
                _("Too many failed logins from your network. Wait %(minutes)s minutes and try again.")
                % {"minutes": round(settings.AXES_COOLOFF_TIME * 60)},
                code="ip_limited",
            )
        return super().clean()


class OTPTokenForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class TOTPConfirmForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReauthenticateForm(forms.Form):
    """Both factors again, for changes that would let a stolen session take the account over for good."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    current_code = forms.CharField(
        label=_("Code from your current authenticator app, or a backup code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class TOTPReplaceForm(ReauthenticateForm, TOTPConfirmForm):
    """Replacing an enrolled authenticator: the current factors first, then a code from the new app."""

    field_order = ["password", "current_code", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("6-digit code from the new app")

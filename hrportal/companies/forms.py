import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.audit.models import Action
from hrportal.companies import invitations
from hrportal.companies.models import Company, validate_cvr

AUTHORITY_TEXT = _(
    "I confirm that I am authorised to enter into this agreement on behalf of the company, and that as its "
    "administrator I am responsible for the correctness of the employee data entered."
)


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"\d{8}", digits):
        digits = "+45" + digits
    if not re.fullmatch(r"\+\d{8,15}", digits):
        raise forms.ValidationError(_("Enter a mobile number, for example 20 12 34 56 or +45 20 12 34 56."))
    return digits


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your work email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    mobile = forms.CharField(
        label=_("Your mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    cvr = forms.CharField(
        label=_("CVR number"), max_length=11, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    address = forms.CharField(
        label=_("Address"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=10, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    city = forms.CharField(
        label=_("City"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    authority = forms.BooleanField(
        label=AUTHORITY_TEXT,
        required=True,
        error_messages={"required": _("You must confirm this to continue.")},
    )

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_cvr(self):
        cvr = re.sub(r"\s", "", self.cleaned_data["cvr"])
        validate_cvr(cvr)
        from hrportal.companies.signup import stale_pending_companies

        if Company.objects.filter(cvr=cvr).exclude(pk__in=stale_pending_companies().values("pk")).exists():
            raise forms.ValidationError(
                _("A company with this CVR number already uses Ansatte. Ask its administrator to invite you.")
            )
        return cvr

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if not re.fullmatch(r"\d{4}", code):
            raise forms.ValidationError(_("A Danish postal code is 4 digits."))
        return code

    def email_taken(self) -> bool:
        return get_user_model().objects.filter(email__iexact=self.cleaned_data["email"]).exists()


class SMSCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code from the text message"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits from the text message.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


ALREADY_INVITED = _("An invitation to this email is already open. Cancel it below to send a new one.")


class InviteForm(forms.Form):
    """Name and email of the person to invite. Errors speak only of this company (see `invitations.py`)."""

    name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if invitations.is_member(self.company, email):
            raise forms.ValidationError(_("This person is already an administrator of the company."))
        if invitations.open_invitations().filter(email=email).exists():
            raise forms.ValidationError(ALREADY_INVITED)
        return email

    def clean(self):
        data = super().clean()
        if invitations.open_invitations().count() >= invitations.MAX_OPEN_INVITATIONS:
            raise forms.ValidationError(
                _("The company has %(count)s open invitations. Cancel some before sending more.")
                % {"count": invitations.MAX_OPEN_INVITATIONS}
            )
        return data


class MandateForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        help_text=_("Leave empty for a mandate that lasts until you revoke it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    confirm = forms.BooleanField(
        label=_("I allow Ansatte's staff to handle contracts, warnings and terminations for the company."),
        required=True,
    )

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        if value and value <= timezone.localdate():
            raise forms.ValidationError(_("The end date must be in the future."))
        return value


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date must be before the end date."))
        return data

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.accounts.twofactor import verify_code
from hrportal.privacy.models import DataSubjectRequest, RetentionPolicy

RECTIFIABLE_FIELDS = [
    "name",
    "address",
    "postal_code",
    "city",
    "email",
    "phone",
    "position",
    "department",
    "emergency_contact",
    "notes",
]


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["years_after_employment"]


class RequestForm(forms.ModelForm):
    employee_id = forms.TypedChoiceField(label=_("Employee"), coerce=int)

    class Meta:
        model = DataSubjectRequest
        fields = ["kind", "received_on", "description"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, employees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee_id"].choices = [("", "---------")] + [(e.pk, e.name) for e in employees]
        self.order_fields(["employee_id", "kind", "received_on", "description"])
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        return received


class CloseRequestForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Describe the action, not the person's data."),
    )


class RestrictionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FreshCodeForm(forms.Form):
    """A fresh authenticator code in the form itself: a stolen session alone cannot erase an employee or
    take out their full personal data (CPR included) in an export."""

    code = forms.CharField(
        label=_("A fresh code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        if not self.errors and verify_code(self.user, cleaned.get("code", ""), allow_backup=False) is None:
            self.add_error("code", _("The code is wrong or was already used. Wait for the next code."))
        return cleaned


class ConfirmForm(FreshCodeForm):
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))


class RectifyForm(forms.Form):
    """Built from the employee's fields; only changed fields are saved (audited by name, not value)."""

    def __init__(self, *args, employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        for name in RECTIFIABLE_FIELDS:
            field = employee._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=field.verbose_name,
                max_length=field.max_length,
                required=not field.blank,
                initial=getattr(employee, name) or "",
                widget=forms.Textarea(attrs={"rows": 2}) if (field.max_length or 0) > 300 else None,
            )


class DeleteCompanyForm(FreshCodeForm):
    company_name = forms.CharField(label=_("Type the company's name to confirm"), max_length=200)

    field_order = ["company_name", "code"]

    def __init__(self, *args, company, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.company = company

    def clean_company_name(self):
        name = self.cleaned_data["company_name"].strip()
        if name != self.company.name:
            raise forms.ValidationError(_("The name does not match the company's name."))
        return name

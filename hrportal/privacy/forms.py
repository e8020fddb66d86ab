from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.privacy.deletion import NAME_MISMATCH, company_deletion_refusal, company_name_matches
from hrportal.privacy.erasure import erasure_refusal, fresh_code_refusal
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
    """A fresh authenticator code in the form itself (`erasure.fresh_code_refusal` says why). Subclasses
    name the act's other preconditions in `refusal`; the form asks it only once every field is valid, so a
    form with errors does not spend the code."""

    code = forms.CharField(
        label=_("A fresh code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def refusal(self, cleaned):
        return fresh_code_refusal(self.user, cleaned.get("code", ""))

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            refusal = self.refusal(cleaned)
            if refusal is not None:
                self.add_error(refusal.field, refusal.message)
        return cleaned


class ConfirmForm(FreshCodeForm):
    """Erasing an employee (`erasure.erasure_refusal`)."""

    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))

    def refusal(self, cleaned):
        confirmed, code = cleaned.get("confirm", False), cleaned.get("code", "")
        return erasure_refusal(self.user, confirmed=confirmed, code=code)


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
    """Deleting the company (`deletion.company_deletion_refusal`)."""

    company_name = forms.CharField(label=_("Type the company's name to confirm"), max_length=200)

    field_order = ["company_name", "code"]

    def __init__(self, *args, company, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.company = company

    def clean_company_name(self):
        # Checked here too (not only in `refusal`) so the mismatch shows next to the field even when the
        # code is missing as well.
        name = self.cleaned_data["company_name"].strip()
        if not company_name_matches(self.company, name):
            raise forms.ValidationError(NAME_MISMATCH)
        return name

    def refusal(self, cleaned):
        return company_deletion_refusal(
            self.company, self.user, typed_name=cleaned.get("company_name", ""), code=cleaned.get("code", "")
        )


class EmployeeRequestForm(forms.Form):
    """An employee's own request on the company's public link (`employee_requests.py`)."""

    kind = forms.ChoiceField(
        label=_("What do you want?"),
        choices=DataSubjectRequest.Kind.choices,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        help_text=_("We send a code to this address; the request is sent only once you have entered it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        help_text=_("Describe what your request concerns. Do not write your CPR number."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class EmployeeRequestCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code from the e-mail"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class MatchEmployeeForm(forms.Form):
    """The admin links a request sent through the company's link to an employee, by hand."""

    employee_id = forms.TypedChoiceField(label=_("The employee the request is from"), coerce=int)

    def __init__(self, *args, employees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee_id"].choices = [("", "---------")] + [(e.pk, e.name) for e in employees]

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrportal.employees import photos
from hrportal.employees.cpr import cpr_index, format_cpr
from hrportal.employees.models import Employee
from hrportal.tenancy import require_active_company


class NoEchoTextInput(forms.TextInput):
    """A text input that never writes its value back into the page (a full CPR is never rendered)."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def cpr_taken(value, exclude_pk=None) -> bool:
    company = require_active_company()
    qs = Employee.objects.filter(cpr_index=cpr_index(company.pk, value))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


# The record as HR people think of it: the page (detail.html) shows these groups, and the edit form has one
# fieldset per group, in the same order. Person also shows the birth date and photo (not edited here).
RECORD_GROUPS = [
    ("person", pgettext_lazy("employee record group", "Person"), ["name", "cpr"]),
    (
        "contact",
        pgettext_lazy("employee record group", "Contact"),
        ["email", "phone", "address", "postal_code", "city", "emergency_contact"],
    ),
    (
        "employment",
        pgettext_lazy("employee record group", "Employment"),
        ["position", "department", "weekly_hours", "start_date", "end_date"],
    ),
    ("pay", pgettext_lazy("employee record group", "Pay"), ["salary"]),
    ("notes", pgettext_lazy("employee record group", "Notes"), ["notes"]),
]


class EmployeeForm(forms.ModelForm):
    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=20,
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
        help_text=_("DDMMYY-SSSS. Shown masked after saving."),
    )
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)

    class Meta:
        model = Employee
        fields = [name for _group, _legend, names in RECORD_GROUPS for name in names]
        localized_fields = ["weekly_hours", "salary"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "address": forms.TextInput(attrs={"autocomplete": "off"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            "city": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
            "position": forms.TextInput(),
            "department": forms.TextInput(),
            "emergency_contact": forms.TextInput(attrs={"autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The version the form was based on (the view compares it under a row lock).
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version, required=False
            )
            self.fields["cpr"].required = False
            self.fields["cpr"].help_text = _("Currently %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.cpr_masked
            }

    def groups(self) -> list[dict]:
        """The visible fields by record group: [{"id", "legend", "fields": [BoundField, ...]}, ...]."""
        return [
            {"id": group, "legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for group, legend, names in RECORD_GROUPS
        ]

    def clean_cpr(self):
        value = self.cleaned_data.get("cpr", "")
        if not value:
            return None  # edit form: keep the current number
        value = format_cpr(value)
        if self.instance.pk and value == self.instance.cpr:
            return None
        if cpr_taken(value, exclude_pk=self.instance.pk):
            raise ValidationError(_("An employee with this CPR number already exists."), code="cpr_taken")
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned

    def _post_clean(self):
        # A new CPR goes onto the instance before model validation; an empty one keeps the current number.
        cpr = self.cleaned_data.pop("cpr", None)
        if cpr:
            self.instance.cpr = cpr
        super()._post_clean()
        if cpr:
            self.cleaned_data["cpr"] = cpr

    @property
    def changed_fields(self) -> list[str]:
        changed = [name for name in self.changed_data if name not in ("cpr", "version")]
        if self.cleaned_data.get("cpr"):
            changed.append("cpr")
        return sorted(changed)


class EndEmploymentForm(forms.Form):
    end_date = forms.DateField(label=_("Last day of employment"), widget=DateInput())

    def __init__(self, *args, employee, **kwargs):
        self.employee = employee
        super().__init__(*args, **kwargs)

    def clean_end_date(self):
        value = self.cleaned_data["end_date"]
        if value < self.employee.start_date:
            raise ValidationError(_("The end date cannot be before the start date."))
        return value


class CprRevealReason(TextChoices):
    """Why a full CPR number was shown: a fixed list, stored in the audit log as its code.

    The audit log is append-only and is never erased, so it must not receive free text, which invites
    names, CPR numbers and case details that could then never be deleted.
    """

    PAYROLL = "payroll", _("Payroll reporting")
    PENSION = "pension", _("Pension")
    AUTHORITY_REQUEST = "authority_request", _("Request from a public authority")
    EMPLOYEE_REQUEST = "employee_request", _("The employee's own request")
    OTHER = "other", _("Other")


class RevealCprForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *CprRevealReason.choices],
        error_messages={"invalid_choice": _("Choose one of the listed reasons.")},  # never echo input
        help_text=_("Why you need the full number. The choice is saved in the audit log."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        from hrportal.accounts.twofactor import verify_code

        cleaned = super().clean()
        code = cleaned.get("code")
        # Only spend the single-use code once everything else is valid.
        if code and not self.errors and verify_code(self.user, code, allow_backup=False) is None:
            self.add_error("code", _("The code is wrong or has already been used. Wait for a new code."))
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Semicolon-separated, UTF-8 or Windows-1252."))


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or CPR number"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("active", _("Current employees")), ("ended", _("Ended employments")), ("all", _("All"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A-Å)")),
            ("-name", _("Name (Å-A)")),
            ("start", _("Start date (oldest first)")),
            ("-start", _("Start date (newest first)")),
            ("department", _("Department (A-Å)")),
            ("-department", _("Department (Å-A)")),
        ],
    )
    # Free text here; the select offers the company's own departments (from its list snapshot), and a value
    # that is none of them simply matches nobody.
    department = forms.CharField(label=_("Department"), required=False, max_length=200)


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        allow_empty_file=True,  # refused (and audited) by the content checks
        help_text=_(
            "JPEG, PNG or WebP, at most %(mb)d MB. The photo is scaled down to at most %(side)d pixels and "
            "stored encrypted; location, camera and other details in the file are removed."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = self.fields["photo"].help_text % {
            "mb": photos.max_bytes() // (1024 * 1024),
            "side": photos.MAX_SIDE,
        }

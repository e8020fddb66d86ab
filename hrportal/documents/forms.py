"""Forms of the documents pages: upload, void, the document templates, signing and verification."""

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.documents import signing
from hrportal.documents.models import DocumentKind, Signer

LANGUAGE_CHOICES = [("da", _("Danish")), ("en", _("English"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # refused (and audited) by the content checks
        help_text=_("PDF, Word (DOCX), PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.png,.jpg,.jpeg"}),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    document_date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    # A new random key each time the empty form is shown; a resubmission of the same form carries the
    # same key, and the view answers it with the document the first submission made.
    idempotency_key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,64}$",
        required=False,
        widget=forms.HiddenInput,
        initial=lambda: secrets.token_urlsafe(24),
    )


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


# --- Document templates ---------------------------------------------------------------------------------


def textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class TemplateForm(forms.Form):
    """Fields shared by every template: the language and the date of the document."""

    language = forms.ChoiceField(label=_("Language of the document"), choices=LANGUAGE_CHOICES, initial="da")
    document_date = forms.DateField(
        label=_("Date of the document"), widget=DateInput(), initial=timezone.localdate
    )
    employer_name = forms.CharField(label=_("Employer"), max_length=200)
    employer_address = forms.CharField(label=_("Employer's address"), max_length=300)
    employee_name = forms.CharField(label=_("Employee"), max_length=200)
    employee_address = forms.CharField(label=_("Employee's address"), max_length=300)

    def __init__(self, *args, employee=None, **kwargs):
        self.employee = employee
        super().__init__(*args, **kwargs)


class ContractForm(TemplateForm):
    """Ansættelsesbevisloven: every minimum item is a required field (or required when it applies)."""

    workplace = forms.CharField(
        label=_("Place of work"),
        max_length=300,
        help_text=_(
            "The address, or that the work is done at varying places and where the employer is based."
        ),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200)
    job_description = forms.CharField(label=_("Description of the work"), widget=textarea())
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    fixed_term = forms.BooleanField(label=_("Fixed-term employment"), required=False)
    end_date = forms.DateField(
        label=_("Expected end of a fixed-term employment"), required=False, widget=DateInput()
    )
    probation = forms.CharField(
        label=_("Probation period"), max_length=300, help_text=_('E.g. "3 months" or "No probation period".')
    )
    salary = forms.CharField(
        label=_("Salary"), max_length=200, help_text=_("Amount and period, e.g. DKK 32,000 per month.")
    )
    salary_components = forms.CharField(
        label=_("Other pay components"),
        widget=textarea(2),
        help_text=_('Allowances, bonus, benefits; write "None" if there are none.'),
    )
    payment_times = forms.CharField(label=_("Payment times and method"), max_length=300)
    working_hours = forms.CharField(
        label=_("Normal working hours"),
        max_length=300,
        help_text=_("Hours per day or week and their placement."),
    )
    overtime = forms.CharField(label=_("Overtime and its pay"), max_length=300)
    holiday = forms.CharField(label=_("Holiday"), max_length=300)
    notice = forms.CharField(label=_("Notice periods"), max_length=300)
    collective_agreement = forms.CharField(
        label=_("Collective agreements"), max_length=300, help_text=_('Name them, or write "None".')
    )
    training = forms.CharField(label=_("Training offered by the employer"), max_length=300)
    pension = forms.CharField(label=_("Pension and social security"), max_length=300)
    unpredictable = forms.BooleanField(
        label=_("Entirely or mostly unpredictable working pattern"), required=False
    )
    reference_hours = forms.CharField(
        label=_("Reference hours and days, minimum notice and cancellation rules"),
        required=False,
        widget=textarea(2),
    )
    agency_worker = forms.BooleanField(label=_("Agency worker (vikar)"), required=False)
    user_undertakings = forms.CharField(label=_("User undertakings"), required=False, max_length=300)
    other_terms = forms.CharField(label=_("Other terms"), required=False, widget=textarea())

    # The minimum items of Ansættelsesbevisloven § 2 and where the form holds them.
    CORE_ITEMS = [
        "employer_name",
        "employer_address",
        "employee_name",
        "employee_address",
        "workplace",
        "job_title",
        "job_description",
        "start_date",
        "probation",
        "salary",
        "salary_components",
        "payment_times",
        "working_hours",
        "overtime",
    ]
    OTHER_ITEMS = ["holiday", "notice", "collective_agreement", "training", "pension"]

    def clean(self):
        data = super().clean()
        if data.get("fixed_term") and not data.get("end_date"):
            self.add_error("end_date", _("A fixed-term employment must state its expected duration."))
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        if data.get("unpredictable") and not (data.get("reference_hours") or "").strip():
            self.add_error(
                "reference_hours", _("Unpredictable work must state the reference hours and days.")
            )
        if data.get("agency_worker") and not (data.get("user_undertakings") or "").strip():
            self.add_error(
                "user_undertakings", _("An agency worker's contract must name the user undertakings.")
            )
        return data


class WarningForm(TemplateForm):
    incident_date = forms.DateField(label=_("Date of the incident"), widget=DateInput())
    incident = forms.CharField(label=_("What happened"), widget=textarea(4))
    expectation = forms.CharField(label=_("What is expected from now on"), widget=textarea(3))
    consequence = forms.CharField(
        label=_("Consequence of a repetition"),
        widget=textarea(2),
        initial=_("Termination or summary dismissal."),
    )


class TerminationForm(TemplateForm):
    start_date = forms.DateField(label=_("Start of employment"), widget=DateInput())
    notice_date = forms.DateField(
        label=_("Date notice is given"), widget=DateInput(), initial=timezone.localdate
    )
    reason = forms.CharField(label=_("Reason for the termination"), widget=textarea(3))
    released = forms.BooleanField(
        label=_("Released from work during the notice period (fritstilling)"), required=False
    )
    override_termination_date = forms.DateField(
        label=_("Other termination date (override)"), required=False, widget=DateInput()
    )
    override_reason = forms.CharField(label=_("Reason for the override"), required=False, widget=textarea(2))

    def clean(self):
        data = super().clean()
        if data.get("notice_date") and data.get("start_date") and data["notice_date"] < data["start_date"]:
            self.add_error("notice_date", _("Notice cannot be given before the employment starts."))
        if data.get("override_termination_date") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Give the reason for overriding the statutory notice."))
        return data


class SummaryDismissalForm(TemplateForm):
    effective_date = forms.DateField(
        label=_("Effective date"), widget=DateInput(), initial=timezone.localdate
    )
    reason = forms.CharField(label=_("The gross breach of the employment"), widget=textarea(4))
    settlement = forms.CharField(
        label=_("Final settlement"),
        widget=textarea(2),
        initial=_("Salary and holiday pay earned up to today will be settled with the next payroll."),
    )


class SeveranceForm(TemplateForm):
    termination_date = forms.DateField(label=_("Termination date"), widget=DateInput())
    last_working_day = forms.DateField(label=_("Last working day"), widget=DateInput())
    released = forms.BooleanField(label=_("Released from work until the termination date"), required=False)
    compensation = forms.CharField(label=_("Severance pay (fratrædelsesgodtgørelse)"), max_length=200)
    holiday_settlement = forms.CharField(label=_("Holiday and holiday pay"), widget=textarea(2))
    other_terms = forms.CharField(label=_("Other terms"), required=False, widget=textarea(3))


# --- Signing ---------------------------------------------------------------------------------------------


class SendForSignatureForm(forms.Form):
    """Who signs, and how the employee's code travels.

    There is deliberately no address field: the employee's link and code go only to the email address and
    mobile number in the employee record (changed through the audited employee edit), never to an address
    typed here, so that the person sending cannot route the employee's signature to themselves.
    """

    employee_signs = forms.BooleanField(label=_("The employee signs"), required=False, initial=True)
    channel = forms.ChoiceField(
        label=_("Send the employee's code by"), choices=Signer.Channel.choices, initial=Signer.Channel.EMAIL
    )
    company_signs = forms.BooleanField(label=_("The company signs"), required=False, initial=True)

    def __init__(self, *args, employee, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee

    def clean(self):
        data = super().clean()
        if not data.get("employee_signs") and not data.get("company_signs"):
            raise forms.ValidationError(_("Choose at least one party to sign."))
        if data.get("employee_signs"):
            problem = signing.employee_destination_problem(self.employee, data.get("channel"))
            if problem is not None:
                self.add_error(None, problem.message)
        return data


class SignCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )
    confirm = forms.BooleanField(label=_("I have read the document and sign it"), required=True)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40, required=False)
    file = forms.FileField(label=_("Or upload the signed PDF"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("file"):
            raise forms.ValidationError(_("Enter a verification code or choose a PDF file."))
        return data

"""Forms of the documents pages: upload, void, signing and verification.

Each document template's form is in its own module (`hrportal.documents.templating`).
"""

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.documents import contract_items, signing
from hrportal.documents.models import DocumentKind, Signer


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


class ContractItemsForm(forms.Form):
    """The items of the act an uploaded contract states, ticked by the admin (none by default)."""

    items = forms.MultipleChoiceField(
        label=_("Items the contract states"),
        choices=[(item.key, item.label) for item in contract_items.ITEMS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def rows(self):
        """(checkbox, item) for each item, in the act's order, for a template that shows each item's
        deadline and help text beside its box."""
        return list(zip(self["items"], contract_items.ITEMS, strict=True))


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


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


class EmailedCodeForm(forms.Form):
    """The employee's 6-digit code (e-mail or SMS): alone it opens the signed copy; signing adds a box."""

    code = forms.CharField(
        label=_("Code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class SignCodeForm(EmailedCodeForm):
    confirm = forms.BooleanField(label=_("I have read the document and sign it"), required=True)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40, required=False)
    file = forms.FileField(label=_("Or upload the signed PDF"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("file"):
            raise forms.ValidationError(_("Enter a verification code or choose a PDF file."))
        return data

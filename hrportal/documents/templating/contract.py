"""The employment contract: Ansættelsesbevisloven's statement of the terms of employment.

The act lists the items the employer must give in writing; each is a field of the form, required where
the act requires it, so a contract cannot be finished with an item missing. Their labels in the document
are in the versioned HTML.
"""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hrportal.documents import contract_items, formats, services
from hrportal.documents.forms import DateInput
from hrportal.documents.models import DocumentKind
from hrportal.documents.templating.base import DocumentTemplate, TemplateForm, company_address, textarea


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

    # The minimum items of the act on employment statements (lov om ansættelsesbeviser og visse
    # arbejdsvilkår, in force 1 July 2023, replacing the 1993 ansættelsesbevisloven), which fields state
    # each and which are due within 7 days rather than a month: `hrportal.documents.contract_items.ITEMS`.

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


class ContractTemplate(DocumentTemplate):
    slug = "contract"
    kind = DocumentKind.CONTRACT
    form_class = ContractForm
    position = 10

    def initial(self, employee, company, language: str = "da") -> dict:
        return {
            **super().initial(employee, company, language),
            "job_title": employee.position,
            "start_date": employee.start_date,
            "workplace": company_address(company),
        }

    def after_create(self, document, data: dict, *, user) -> None:
        """The items the form stated (every one: the form refuses to finish without them), so the check
        (`contract_check`) reads what this contract covers."""
        services.set_contract_items(document, contract_items.covered_by_form(data), user=user)

    def prefill_texts(self, employee, company) -> dict:
        language = translation.get_language()  # prefilled_texts overrides it with the document's
        texts = {
            "holiday": _("Holiday under the Danish Holiday Act."),
            "notice": _("Under the rules of the Danish Salaried Employees Act."),
            "payment_times": _(
                "Monthly in arrears, on the last banking day of the month, to the bank account provided."
            ),
            "probation": _(
                "3 months; during the probation period the employment can be terminated with 14 days' notice."
            ),
        }
        if employee.salary:
            texts["salary"] = _("%(amount)s per month") % {
                "amount": formats.amount(employee.salary, language)
            }
        if employee.weekly_hours:
            texts["working_hours"] = _("%(hours)s hours per week") % {
                "hours": formats.number(employee.weekly_hours, language)
            }
        return texts


TEMPLATE = ContractTemplate()

from django import forms
from django.utils.translation import gettext_lazy as _

from hrportal.billing.models import Plan
from hrportal.companies.models import Company


class InvoiceForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())
    plan = forms.ChoiceField(label=_("Plan"), choices=Plan.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    period_start = forms.DateField(label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period to"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label=_("Amount excl. VAT (DKK)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Empty: the plan's monthly price."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.filter(status=Company.Status.ACTIVE).order_by(
            "name"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned

"""A summary dismissal (bortvisning): the employment ends at once for a gross breach.

Only the breach and the settlement are the form's; the consequences (no notice, return of property, the
right to union assistance) are fixed wording in the versioned HTML.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.documents.forms import DateInput
from hrportal.documents.models import DocumentKind
from hrportal.documents.templating.base import DocumentTemplate, TemplateForm, textarea


class SummaryDismissalForm(TemplateForm):
    effective_date = forms.DateField(
        label=_("Effective date"), widget=DateInput(), initial=timezone.localdate
    )
    reason = forms.CharField(label=_("The gross breach of the employment"), widget=textarea(4))
    settlement = forms.CharField(label=_("Final settlement"), widget=textarea(2))


class SummaryDismissalTemplate(DocumentTemplate):
    slug = "summary_dismissal"
    kind = DocumentKind.SUMMARY_DISMISSAL
    form_class = SummaryDismissalForm
    position = 40

    def prefill_texts(self, employee, company) -> dict:
        return {
            "settlement": _(
                "Salary and holiday pay earned up to today will be settled with the next payroll."
            )
        }


TEMPLATE = SummaryDismissalTemplate()

"""A warning (advarsel): what happened, what is expected, and the employee's earlier warnings.

The earlier warnings are listed because a later termination or dismissal may rest on them, and the
employee must see which ones count.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from hrportal.documents.forms import DateInput
from hrportal.documents.models import Document, DocumentKind
from hrportal.documents.templating.base import DocumentTemplate, TemplateForm, textarea


def earlier_warnings(employee) -> list[Document]:
    return list(
        Document.objects.filter(employee=employee, kind=DocumentKind.WARNING)
        .exclude(status=Document.Status.VOID)
        .order_by("document_date", "id")
    )


class WarningForm(TemplateForm):
    incident_date = forms.DateField(label=_("Date of the incident"), widget=DateInput())
    incident = forms.CharField(label=_("What happened"), widget=textarea(4))
    expectation = forms.CharField(label=_("What is expected from now on"), widget=textarea(3))
    consequence = forms.CharField(label=_("Consequence of a repetition"), widget=textarea(2))


class WarningTemplate(DocumentTemplate):
    slug = "warning"
    kind = DocumentKind.WARNING
    form_class = WarningForm
    position = 20

    def prefill_texts(self, employee, company) -> dict:
        return {"consequence": _("Termination or summary dismissal.")}

    def form_page_context(self, employee, data) -> dict:
        return {"earlier_warnings": earlier_warnings(employee)}

    def context(self, data, employee, company) -> dict:
        warnings = [{"date": w.document_date, "title": w.title} for w in earlier_warnings(employee)]
        return {**super().context(data, employee, company), "earlier_warnings": warnings}


TEMPLATE = WarningTemplate()

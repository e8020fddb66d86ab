"""A notice of termination (opsigelse), with the statutory notice under funktionærloven § 2.

The notice is computed (`hrportal.documents.notice`) and shown while the form is filled in, so the
termination date in the document is the law's unless the person writing overrides it with a reason.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.documents import notice
from hrportal.documents.forms import DateInput
from hrportal.documents.models import DocumentKind
from hrportal.documents.templating.base import DocumentTemplate, TemplateForm, textarea


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


class TerminationTemplate(DocumentTemplate):
    slug = "termination"
    kind = DocumentKind.TERMINATION
    form_class = TerminationForm
    position = 30

    def initial(self, employee, company, language: str = "da") -> dict:
        return {**super().initial(employee, company, language), "start_date": employee.start_date}

    def form_page_context(self, employee, data) -> dict:
        if data is None:
            return {}
        return {"notice": notice.employer_notice(data["start_date"], data["notice_date"])}

    def context(self, data, employee, company) -> dict:
        calc = notice.employer_notice(data["start_date"], data["notice_date"])
        return {
            **super().context(data, employee, company),
            "notice": calc,
            "termination_date": data.get("override_termination_date") or calc.termination_date,
            "overridden": bool(data.get("override_termination_date")),
        }


TEMPLATE = TerminationTemplate()

"""A notice of termination (opsigelse), with the statutory notice under funktionærloven § 2 for a
funktionær, and the agreed notice for anyone else.

Whether the employee is a funktionær is asked, never assumed: funktionærloven covers office, sales,
technical and clinical work of more than 8 hours a week on average (§ 1), not every employee, and a letter
citing § 2 to a worker whose notice follows a collective agreement states the wrong law. For a funktionær
the notice is computed (`hrportal.documents.notice`) and shown while the form is filled in, so the
termination date is the law's unless the person writing overrides it with a reason; for anyone else the
person writing states the agreed notice and the termination date it gives (v2; v1 assumed funktionærloven).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrportal.documents import notice
from hrportal.documents.forms import DateInput
from hrportal.documents.models import DocumentKind
from hrportal.documents.templating.base import DocumentTemplate, TemplateForm, textarea

FUNKTIONAER = "funktionaer"
OTHER = "other"


class TerminationForm(TemplateForm):
    employee_status = forms.ChoiceField(
        label=_("Is the employee a funktionær?"),
        choices=[
            (FUNKTIONAER, _("Yes: the notice follows funktionærloven § 2")),
            (OTHER, _("No: the notice follows the employment contract or a collective agreement")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Funktionærloven covers office, sales, technical and clinical work and work as a manager, "
            "averaging more than 8 hours a week."
        ),
    )
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
    agreed_notice = forms.CharField(
        label=_("Agreed notice (not a funktionær)"),
        required=False,
        widget=textarea(2),
        help_text=_('E.g. "3 weeks under the collective agreement for ...".'),
    )
    agreed_termination_date = forms.DateField(
        label=_("Termination date under that notice (not a funktionær)"), required=False, widget=DateInput()
    )

    def clean(self):
        data = super().clean()
        if data.get("employee_status") == OTHER:
            if not (data.get("agreed_notice") or "").strip():
                self.add_error("agreed_notice", _("State the notice that applies to the employee."))
            if not data.get("agreed_termination_date"):
                self.add_error("agreed_termination_date", _("State the termination date the notice gives."))
            elif data.get("notice_date") and data["agreed_termination_date"] < data["notice_date"]:
                self.add_error("agreed_termination_date", _("The termination date is before the notice."))
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
    version = "v2"

    def initial(self, employee, company, language: str = "da") -> dict:
        return {**super().initial(employee, company, language), "start_date": employee.start_date}

    def form_page_context(self, employee, data) -> dict:
        if data is None or data.get("employee_status") == OTHER:
            return {}
        return {"notice": notice.employer_notice(data["start_date"], data["notice_date"])}

    def context(self, data, employee, company) -> dict:
        base = super().context(data, employee, company)
        if data.get("employee_status") == OTHER:
            return {**base, "funktionaer": False, "termination_date": data["agreed_termination_date"]}
        calc = notice.employer_notice(data["start_date"], data["notice_date"])
        return {
            **base,
            "funktionaer": True,
            "notice": calc,
            "termination_date": data.get("override_termination_date") or calc.termination_date,
            "overridden": bool(data.get("override_termination_date")),
        }


TEMPLATE = TerminationTemplate()

"""A severance agreement (fratrædelsesaftale): the agreed end of the employment and its settlement.

Signed by both parties as a full and final settlement (fixed wording in the versioned HTML).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from hrportal.documents.forms import DateInput
from hrportal.documents.models import DocumentKind
from hrportal.documents.templating.base import DocumentTemplate, TemplateForm, textarea


class SeveranceForm(TemplateForm):
    termination_date = forms.DateField(label=_("Termination date"), widget=DateInput())
    last_working_day = forms.DateField(label=_("Last working day"), widget=DateInput())
    released = forms.BooleanField(label=_("Released from work until the termination date"), required=False)
    compensation = forms.CharField(label=_("Severance pay (fratrædelsesgodtgørelse)"), max_length=200)
    holiday_settlement = forms.CharField(label=_("Holiday and holiday pay"), widget=textarea(2))
    other_terms = forms.CharField(label=_("Other terms"), required=False, widget=textarea(3))


class SeveranceTemplate(DocumentTemplate):
    slug = "severance"
    kind = DocumentKind.SEVERANCE
    form_class = SeveranceForm
    position = 50


TEMPLATE = SeveranceTemplate()

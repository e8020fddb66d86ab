"""What every document template shares: the parties' fields, their prefill, and the rendering context.

A template module subclasses `DocumentTemplate` and adds only what is its own (fields, prefill, context),
so the parties, the language and the date read the same in every document.
"""

import functools
import re

from django import forms
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from hrportal.documents.forms import DateInput
from hrportal.documents.models import DocumentKind

LANGUAGE_CHOICES = [("da", _("Danish")), ("en", _("English"))]


def textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class TemplateForm(forms.Form):
    """Fields shared by every template: the language and the date of the document, and the parties."""

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


# The title a versioned file declares in its first comment, `{# title: Advarsel #}`: a comment renders
# nothing, so declaring it changed no version's text.
DECLARED_TITLE = re.compile(r"\{#\s*title:\s*(?P<title>[^#]+?)\s*#\}")


@functools.cache
def declared_title(template_name: str) -> str:
    """The title in a versioned file; a file without one is an error, not a silent fallback."""
    source = get_template(template_name).template.source
    match = DECLARED_TITLE.search(source)
    if match is None:
        raise LookupError(f"{template_name} declares no title: start it with {{# title: ... #}}")
    return match["title"]


def _join(*parts) -> str:
    return ", ".join(str(p).strip() for p in parts if p and str(p).strip())


def _words(text: str) -> str:
    return " ".join(str(text).split())


def company_address(company) -> str:
    return _join(company.address, f"{company.postal_code} {company.city}")


class DocumentTemplate:
    """One kind of document the portal writes.

    Its wording, labels included, lives in the versioned HTML files
    `templates/hrportal/documents/templates/<slug>_<version>_<language>.html`, never here: a document records
    the template and version that produced it (`Document.template_name/template_version`), and that pair
    must keep meaning the same text. A change in substance is a new version file and a new `version`; the
    old files stay. The title (the form page's heading, the document's title, the PDF's footer and metadata)
    follows the same rule: each versioned file declares its own in a first comment, `{# title: ... #}`.
    """

    slug: str  # the module's name, the URL part and `Document.template_name`
    kind: str  # a DocumentKind
    form_class: type[TemplateForm]
    position: int  # where it is listed among the templates
    version = "v1"

    @property
    def menu_label(self):
        """The link on the employee's documents page (translated)."""
        return DocumentKind(self.kind).label

    def template_name(self, language: str, version: str | None = None) -> str:
        return f"hrportal/documents/templates/{self.slug}_{version or self.version}_{language}.html"

    def title(self, language: str, version: str | None = None) -> str:
        return declared_title(self.template_name(language, version))

    def version_label(self, language: str) -> str:
        with translation.override(language):
            return str(_("template %(version)s") % {"version": self.version})

    def initial(self, employee, company, language: str = "da") -> dict:
        """The form's prefill from the employee and the company; the person writing checks every field.

        Prefilled wording is in the document's `language`, never the UI's: an admin with an English UI who
        writes a Danish advarsel gets Danish text to start from."""
        return {
            "language": language,
            "employer_name": f"{company.name} (CVR {company.cvr})",
            "employer_address": company_address(company),
            "employee_name": employee.name,
            "employee_address": _join(employee.address, f"{employee.postal_code} {employee.city}".strip()),
            "document_date": timezone.localdate(),
            **self.prefilled_texts(employee, company, language),
        }

    def prefill_texts(self, employee, company) -> dict:
        """Wording the form starts with, as (lazy) translatable strings; `prefilled_texts` writes them in
        a document language."""
        return {}

    def prefilled_texts(self, employee, company, language: str) -> dict[str, str]:
        with translation.override(language):
            return {name: str(text) for name, text in self.prefill_texts(employee, company).items()}

    def follow_language(self, data, employee, company):
        """The submitted form with every prefilled text left as it was rewritten in the chosen language.

        The form starts in Danish; an admin who switches the document to English and previews would
        otherwise keep Danish sentences in an English document. Only a text still equal to a prefill in
        another language is replaced: anything the admin wrote stays theirs."""
        language = data.get("language")
        codes = [code for code, _label in LANGUAGE_CHOICES]
        if language not in codes:
            return data
        wanted = self.prefilled_texts(employee, company, language)
        others = [self.prefilled_texts(employee, company, code) for code in codes if code != language]
        data = data.copy()
        for name, text in wanted.items():
            submitted = _words(data.get(name, ""))
            if any(submitted == _words(other[name]) for other in others):
                data[name] = text
        return data

    def after_create(self, document, data: dict, *, user) -> None:
        """What the template records beside its new document, in the document's transaction."""

    def form_page_context(self, employee, data: dict | None) -> dict:
        """What the form page shows beside the form (`data`: the cleaned data once the form is valid)."""
        return {}

    def context(self, data: dict, employee, company) -> dict:
        """The context the versioned HTML is rendered with."""
        language = data["language"]
        return {
            "data": data,
            "title": self.title(language),
            "header": company.name,
            # The template's version in the document's own words ("skabelon v1"): the slug is an English
            # identifier, and the document records the template exactly (`Document.template_name`).
            "footer": f"{self.title(language)} · {self.version_label(language)}",
            "template_version": self.version,
            "generated_on": timezone.localdate(),
        }

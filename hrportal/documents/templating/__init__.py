"""Document templates: which form fills which versioned template, and how the result becomes a PDF.

Each template describes itself in one module of this package (title, form, prefill, context; see
`base.DocumentTemplate`), with its wording in the versioned HTML files
`templates/hrportal/documents/templates/<slug>_<version>_<language>.html`. The modules are discovered, so
adding a template is its module, its HTML and its test, and nothing here or in the views changes.

A template that changes in substance gets new version files (v2) and its module's `version` moves; old
versions stay, so each document records the exact template that produced it
(`Document.template_name/template_version`).
"""

import importlib
import pkgutil

from hrportal import pdf
from hrportal.documents import services
from hrportal.documents.models import Document
from hrportal.documents.templating.base import LANGUAGE_CHOICES, DocumentTemplate

_NOT_TEMPLATES = {"base"}


def _discover() -> dict[str, DocumentTemplate]:
    found = []
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_") or module_info.name in _NOT_TEMPLATES:
            continue
        found.append(importlib.import_module(f"{__name__}.{module_info.name}").TEMPLATE)
    return {template.slug: template for template in sorted(found, key=lambda t: t.position)}


TEMPLATES = _discover()
LANGUAGE_CODES = [code for code, _label in LANGUAGE_CHOICES]


def initial_for(spec: DocumentTemplate, employee, company, language: str = "da") -> dict:
    return spec.initial(employee, company, language)


def form_page_context(spec: DocumentTemplate, employee, data: dict | None = None) -> dict:
    """What the form page shows beside the form, so the person writing sees what the document will say
    (e.g. the employee's earlier warnings, or the statutory notice once the form is valid)."""
    return spec.form_page_context(employee, data)


def build_context(spec: DocumentTemplate, data: dict, employee, company) -> dict:
    return spec.context(data, employee, company)


def render_preview_html(spec: DocumentTemplate, data: dict, employee, company) -> str:
    context = build_context(spec, data, employee, company)
    return pdf.render_html(spec.template_name(data["language"]), context, data["language"])


def render_document_pdf(spec: DocumentTemplate, data: dict, employee, company) -> bytes:
    context = build_context(spec, data, employee, company)
    # The document's own date, so the same data always renders the same bytes.
    return pdf.render_pdf(
        spec.template_name(data["language"]), context, data["language"], created_at=data["document_date"]
    )


def create_document(spec: DocumentTemplate, data: dict, employee, company, *, user) -> Document:
    """Render the PDF and store it as the employee's document, recording which template version made it;
    the template's `after_create` runs in the same transaction."""
    return services.create_from_pdf(
        employee=employee,
        kind=spec.kind,
        title=spec.title(data["language"]),
        document_date=data["document_date"],
        pdf=render_document_pdf(spec, data, employee, company),
        template_name=spec.slug,
        template_version=spec.version,
        language=data["language"],
        user=user,
        then=lambda document: spec.after_create(document, data, user=user),
    )

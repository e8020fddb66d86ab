"""Document templates: which form fills which versioned template, and how the result becomes a PDF.

Templates live in `templates/hrportal/documents/templates/<name>_<version>_<language>.html`. A template that
changes in substance gets a new version file (v2) and `CURRENT_VERSION` here moves; old versions stay, so
each document records the exact template that produced it (`Document.template_name/template_version`).
"""

from dataclasses import dataclass

from django.utils import timezone

from hrportal import pdf
from hrportal.documents import forms, notice, services
from hrportal.documents.models import Document, DocumentKind


@dataclass(frozen=True)
class TemplateSpec:
    slug: str
    kind: str
    form_class: type
    version: str = "v1"

    def template_name(self, language: str, version: str | None = None) -> str:
        return f"hrportal/documents/templates/{self.slug}_{version or self.version}_{language}.html"


TEMPLATES = {
    spec.slug: spec
    for spec in [
        TemplateSpec("contract", DocumentKind.CONTRACT, forms.ContractForm),
        TemplateSpec("warning", DocumentKind.WARNING, forms.WarningForm),
        TemplateSpec("termination", DocumentKind.TERMINATION, forms.TerminationForm),
        TemplateSpec("summary_dismissal", DocumentKind.SUMMARY_DISMISSAL, forms.SummaryDismissalForm),
        TemplateSpec("severance", DocumentKind.SEVERANCE, forms.SeveranceForm),
    ]
}

TITLES = {
    "contract": {
        "da": "Ansættelseskontrakt (ansættelsesbevis)",
        "en": "Employment contract (statement of terms)",
    },
    "warning": {"da": "Advarsel", "en": "Warning"},
    "termination": {"da": "Opsigelse", "en": "Notice of termination"},
    "summary_dismissal": {"da": "Bortvisning", "en": "Summary dismissal"},
    "severance": {"da": "Fratrædelsesaftale", "en": "Severance agreement"},
}


def _join(*parts) -> str:
    return ", ".join(str(p).strip() for p in parts if p and str(p).strip())


def initial_for(spec: TemplateSpec, employee, company) -> dict:
    """Prefill from the employee and the company."""
    initial = {
        "employer_name": f"{company.name} (CVR {company.cvr})",
        "employer_address": _join(company.address, f"{company.postal_code} {company.city}"),
        "employee_name": employee.name,
        "employee_address": _join(employee.address, f"{employee.postal_code} {employee.city}".strip()),
        "document_date": timezone.localdate(),
    }
    if spec.slug == "contract":
        initial.update(
            {
                "job_title": employee.position,
                "start_date": employee.start_date,
                "workplace": _join(company.address, f"{company.postal_code} {company.city}"),
                "salary": f"{employee.salary:.2f} kr. pr. måned" if employee.salary else "",
                "working_hours": f"{employee.weekly_hours:g} timer pr. uge" if employee.weekly_hours else "",
                "holiday": "Ferie efter ferieloven.",
                "notice": "Efter funktionærlovens regler.",
                "payment_times": "Månedsvis bagud, den sidste bankdag i måneden, til den oplyste bankkonto.",
                "probation": "3 måneder; i prøvetiden kan ansættelsen opsiges med 14 dages varsel.",
            }
        )
    elif spec.slug == "termination":
        initial["start_date"] = employee.start_date
    return initial


def earlier_warnings(employee) -> list[Document]:
    return list(
        Document.objects.filter(employee=employee, kind=DocumentKind.WARNING)
        .exclude(status=Document.Status.VOID)
        .order_by("document_date", "id")
    )


def form_page_context(spec: TemplateSpec, employee, data: dict | None = None) -> dict:
    """What the form page shows beside the form, so the person writing sees what the document will say:
    the employee's earlier warnings, and (once the form is valid) the statutory notice."""
    context = {}
    if spec.slug == "warning":
        context["earlier_warnings"] = earlier_warnings(employee)
    if spec.slug == "termination" and data is not None:
        context["notice"] = notice.employer_notice(data["start_date"], data["notice_date"])
    return context


def build_context(spec: TemplateSpec, data: dict, employee, company) -> dict:
    language = data["language"]
    context = {
        "data": data,
        "title": TITLES[spec.slug][language],
        "header": company.name,
        "footer": f"{TITLES[spec.slug][language]} · {spec.slug} {spec.version} ({language})",
        "template_version": spec.version,
        "generated_on": timezone.localdate(),
    }
    if spec.slug == "contract":
        context["items"] = contract_items(data, language)
    if spec.slug == "warning":
        context["earlier_warnings"] = [
            {"date": w.document_date, "title": w.title} for w in earlier_warnings(employee)
        ]
    if spec.slug == "termination":
        calc = notice.employer_notice(data["start_date"], data["notice_date"])
        context["notice"] = calc
        context["termination_date"] = data.get("override_termination_date") or calc.termination_date
        context["overridden"] = bool(data.get("override_termination_date"))
    return context


def contract_items(data: dict, language: str) -> list[tuple[str, str]]:
    """The Ansættelsesbevisloven items in order, with labels in the document's language."""
    labels = {
        "da": {
            "workplace": "Arbejdssted",
            "job": "Stilling og arbejdets art",
            "start_date": "Tiltrædelse",
            "duration": "Ansættelsens varighed",
            "probation": "Prøvetid",
            "salary": "Løn",
            "salary_components": "Øvrige løndele",
            "payment_times": "Udbetaling",
            "working_hours": "Normal arbejdstid",
            "overtime": "Overarbejde",
            "holiday": "Ferie",
            "notice": "Opsigelsesvarsler",
            "collective_agreement": "Kollektive overenskomster",
            "training": "Uddannelse",
            "pension": "Pension og social sikring",
            "reference_hours": "Referencetimer og -dage (uforudsigeligt arbejdsmønster)",
            "user_undertakings": "Brugervirksomheder (vikar)",
            "other_terms": "Øvrige vilkår",
            "permanent": "Tidsubegrænset ansættelse",
            "fixed_until": "Tidsbegrænset, forventes at ophøre",
        },
        "en": {
            "workplace": "Place of work",
            "job": "Job title and description",
            "start_date": "Start date",
            "duration": "Duration",
            "probation": "Probation period",
            "salary": "Salary",
            "salary_components": "Other pay components",
            "payment_times": "Payment",
            "working_hours": "Normal working hours",
            "overtime": "Overtime",
            "holiday": "Holiday",
            "notice": "Notice periods",
            "collective_agreement": "Collective agreements",
            "training": "Training",
            "pension": "Pension and social security",
            "reference_hours": "Reference hours and days (unpredictable work)",
            "user_undertakings": "User undertakings (agency work)",
            "other_terms": "Other terms",
            "permanent": "Permanent employment",
            "fixed_until": "Fixed-term, expected to end on",
        },
    }[language]
    date_format = "%d.%m.%Y"
    duration = (
        f"{labels['fixed_until']} {data['end_date']:{date_format}}"
        if data.get("fixed_term")
        else labels["permanent"]
    )
    items = [
        (labels["workplace"], data["workplace"]),
        (labels["job"], f"{data['job_title']}. {data['job_description']}"),
        (labels["start_date"], f"{data['start_date']:{date_format}}"),
        (labels["duration"], duration),
        (labels["probation"], data["probation"]),
        (labels["salary"], data["salary"]),
        (labels["salary_components"], data["salary_components"]),
        (labels["payment_times"], data["payment_times"]),
        (labels["working_hours"], data["working_hours"]),
        (labels["overtime"], data["overtime"]),
        (labels["holiday"], data["holiday"]),
        (labels["notice"], data["notice"]),
        (labels["collective_agreement"], data["collective_agreement"]),
        (labels["training"], data["training"]),
        (labels["pension"], data["pension"]),
    ]
    if data.get("unpredictable"):
        items.append((labels["reference_hours"], data["reference_hours"]))
    if data.get("agency_worker"):
        items.append((labels["user_undertakings"], data["user_undertakings"]))
    if (data.get("other_terms") or "").strip():
        items.append((labels["other_terms"], data["other_terms"]))
    return items


def render_preview_html(spec: TemplateSpec, data: dict, employee, company) -> str:
    context = build_context(spec, data, employee, company)
    return pdf.render_html(spec.template_name(data["language"]), context, data["language"])


def render_document_pdf(spec: TemplateSpec, data: dict, employee, company) -> bytes:
    context = build_context(spec, data, employee, company)
    # The document's own date, so the same data always renders the same bytes.
    return pdf.render_pdf(
        spec.template_name(data["language"]), context, data["language"], created_at=data["document_date"]
    )


def create_document(spec: TemplateSpec, data: dict, employee, company, *, user) -> Document:
    """Render the PDF and store it as the employee's document, recording which template version made it."""
    return services.create_from_pdf(
        employee=employee,
        kind=spec.kind,
        title=TITLES[spec.slug][data["language"]],
        document_date=data["document_date"],
        pdf=render_document_pdf(spec, data, employee, company),
        template_name=spec.slug,
        template_version=spec.version,
        language=data["language"],
        user=user,
    )

"""Document templates: prefill, the contract's mandatory items, preview, PDF with Danish text, versions."""

import datetime
import io

import pytest
from pypdf import PdfReader

from hrportal.documents import services
from hrportal.documents.models import Document
from hrportal.pdf import render_pdf
from hrportal.tenancy import company_scope
from tests.factories import make_document, make_document_employee


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def employee(company):
    return make_document_employee(company, name="Åse Ørum Kjær", address="Æblevej 1")


CONTRACT = {
    "language": "da",
    "document_date": "2024-03-01",
    "employer_name": "Demo ApS",
    "employer_address": "Nyvej 9, 4180 Sorø",
    "employee_name": "Åse Ørum Kjær",
    "employee_address": "Æblevej 1, 4180 Sorø",
    "workplace": "Nyvej 9, 4180 Sorø",
    "job_title": "Bogholder",
    "job_description": "Løbende bogføring og afstemning.",
    "start_date": "2024-03-01",
    "probation": "3 måneder",
    "salary": "35.000 kr. pr. måned",
    "salary_components": "Ingen",
    "payment_times": "Månedsvis bagud",
    "working_hours": "37 timer pr. uge, mandag-fredag",
    "overtime": "Afspadsering 1:1",
    "holiday": "Efter ferieloven",
    "notice": "Efter funktionærloven",
    "collective_agreement": "Ingen",
    "training": "Efter aftale",
    "pension": "5 % arbejdsgiverbetalt",
}

MANDATORY = [
    "workplace",
    "job_title",
    "job_description",
    "start_date",
    "probation",
    "salary",
    "salary_components",
    "payment_times",
    "working_hours",
    "overtime",
    "holiday",
    "notice",
    "collective_agreement",
    "training",
    "pension",
    "employer_name",
    "employee_name",
]


def url(employee, template="contract"):
    return f"/portal/employees/{employee.pk}/documents/new/{template}/"


@pytest.mark.django_db
def test_form_is_prefilled_from_employee_and_company(admin_client, company, employee):
    response = admin_client.get(url(employee))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Åse Ørum Kjær" in html and company.cvr in html and "Æblevej 1" in html


@pytest.mark.django_db
@pytest.mark.parametrize("missing", MANDATORY)
def test_contract_refuses_to_finish_with_a_missing_item(admin_client, company, employee, missing):
    data = {**CONTRACT, "create": "1"}
    data[missing] = ""
    response = admin_client.post(url(employee), data)
    assert response.status_code == 400
    with company_scope(company):
        assert not Document.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra,field",
    [
        ({"fixed_term": "on"}, "end_date"),
        ({"unpredictable": "on"}, "reference_hours"),
        ({"agency_worker": "on"}, "user_undertakings"),
    ],
)
def test_conditional_items_are_required_when_they_apply(admin_client, company, employee, extra, field):
    response = admin_client.post(url(employee), {**CONTRACT, **extra, "create": "1"})
    assert response.status_code == 400
    assert f'id="id_{field}_error"'.encode() in response.content
    with company_scope(company):
        assert not Document.objects.exists()


@pytest.mark.django_db
def test_preview_then_create_stores_a_versioned_pdf_with_danish_text(admin_client, company, employee):
    preview = admin_client.post(url(employee), {**CONTRACT, "preview": "1"})
    assert preview.status_code == 200
    assert "Løbende bogføring".encode() in preview.content
    with company_scope(company):
        assert not Document.objects.exists()
    response = admin_client.post(url(employee), {**CONTRACT, "create": "1"})
    assert response.status_code == 302
    with company_scope(company):
        document = Document.objects.get()
        assert (document.template_name, document.template_version, document.language) == (
            "contract",
            "v1",
            "da",
        )
        assert document.source == Document.Source.TEMPLATE
        with services.open_original(document) as fh:
            text = "".join(page.extract_text() for page in PdfReader(fh).pages)
    for phrase in [
        "Ansættelseskontrakt",
        "Åse Ørum Kjær",
        "Løbende bogføring",
        "Prøvetid",
        "Opsigelsesvarsler",
    ]:
        assert phrase in text


@pytest.mark.django_db
def test_english_contract(admin_client, company, employee):
    response = admin_client.post(url(employee), {**CONTRACT, "language": "en", "create": "1"})
    assert response.status_code == 302
    with company_scope(company):
        document = Document.objects.get()
        with services.open_original(document) as fh:
            text = PdfReader(fh).pages[0].extract_text()
    assert "Employment contract" in text and "Probation period" in text


@pytest.mark.django_db
def test_termination_shows_the_notice_calculation(admin_client, company, employee):
    data = {
        "language": "da",
        "employee_status": "funktionaer",
        "document_date": "2024-08-20",
        "employer_name": "Demo ApS",
        "employer_address": "Nyvej 9",
        "employee_name": "Åse Ørum Kjær",
        "employee_address": "Æblevej 1",
        "start_date": "2019-03-01",
        "notice_date": "2024-08-20",
        "reason": "Omstrukturering",
    }
    response = admin_client.post(url(employee, "termination"), {**data, "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "4 måneder" in html or "4 month" in html
    assert "31. december 2024" in html
    # An override needs a reason.
    response = admin_client.post(
        url(employee, "termination"), {**data, "override_termination_date": "2024-10-31", "create": "1"}
    )
    assert response.status_code == 400
    response = admin_client.post(
        url(employee, "termination"),
        {
            **data,
            "override_termination_date": "2024-10-31",
            "override_reason": "Aftalt kortere",
            "create": "1",
        },
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_warning_lists_earlier_warnings(admin_client, company, employee):
    make_document(company, employee, kind="warning")
    data = {
        "language": "da",
        "document_date": "2024-05-01",
        "employer_name": "Demo ApS",
        "employer_address": "Nyvej 9",
        "employee_name": "Åse Ørum Kjær",
        "employee_address": "Æblevej 1",
        "incident_date": "2024-04-30",
        "incident": "Udeblev fra arbejde uden at melde fra.",
        "expectation": "Sygdom meldes før kl. 8.",
        "consequence": "Opsigelse.",
    }
    response = admin_client.post(url(employee, "warning"), {**data, "preview": "1"})
    assert response.status_code == 200
    assert b"1. januar 2024: Kontrakt" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["summary_dismissal", "severance"])
def test_other_templates_render(admin_client, employee, template):
    assert admin_client.get(url(employee, template)).status_code == 200


def test_render_pdf_keeps_danish_characters():
    pdf = render_pdf(
        "hrportal/documents/templates/_parties_da.html",
        {"data": {"employer_name": "Blåbær ÆØÅ ApS", "employee_name": "Øjvind – “citat”"}},
        "da",
        created_at=datetime.date(2026, 1, 5),
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Blåbær ÆØÅ ApS" in text and "Øjvind – “citat”" in text


@pytest.mark.django_db
def test_contract_keeps_names_outside_windows_1252(admin_client, company):
    """Polish Ł, Turkish Ş and Danish Æ/ø in one name: each printed as itself, not as "?"."""
    name = "Łukasz Şahin Ærø"
    employee = make_document_employee(company, name=name, address="Ćwiklińskiej 3")
    response = admin_client.post(
        url(employee),
        {**CONTRACT, "employee_name": name, "employee_address": "Ćwiklińskiej 3", "create": "1"},
    )
    assert response.status_code == 302
    with company_scope(company), services.open_original(Document.objects.get()) as fh:
        text = "".join(page.extract_text() for page in PdfReader(fh).pages)
    assert name in text
    assert "Ćwiklińskiej 3" in text
    assert "?ukasz" not in text and "?ahin" not in text


def test_characters_without_a_glyph_are_replaced_not_fatal():
    pdf = render_pdf(
        "hrportal/documents/templates/_parties_da.html",
        {"data": {"employer_name": "Firma 中 ApS", "employee_name": "Łukasz"}},
        "da",
        created_at=datetime.date(2026, 1, 5),
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Firma ? ApS" in text and "Łukasz" in text


def test_the_same_document_renders_the_same_bytes_whatever_the_clock():
    """The PDF's creation date is the document's own, and its /ID follows the content: a re-render a second
    (or a year) later is byte-identical, which signing's re-rendering and byte comparisons rely on."""
    from freezegun import freeze_time

    context = {"data": {"employer_name": "Demo ApS", "employee_name": "Søren"}}
    renders = []
    for moment in ("2026-03-01 10:00:00.999", "2026-03-01 10:00:01.001", "2027-01-01 00:00:00"):
        with freeze_time(moment):
            renders.append(
                render_pdf(
                    "hrportal/documents/templates/_parties_da.html",
                    context,
                    "da",
                    created_at=datetime.date(2026, 2, 27),
                )
            )
    assert renders[0] == renders[1] == renders[2]
    assert b"D:20260227000000" in renders[0]  # the document's date, not the clock's
    other_day = render_pdf(
        "hrportal/documents/templates/_parties_da.html", context, "da", created_at=datetime.date(2026, 2, 28)
    )
    assert other_day != renders[0]


TERMINATION = {
    "language": "da",
    "document_date": "2026-11-20",
    "employer_name": "Demo ApS",
    "employer_address": "Nyvej 9",
    "employee_name": "Åse Ørum Kjær",
    "employee_address": "Æblevej 1",
    "start_date": "2019-03-01",
    "notice_date": "2026-11-20",
    "reason": "Omstrukturering",
}


def termination_text(company) -> str:
    with company_scope(company):
        document = Document.objects.get()
        with services.open_original(document) as fh:
            return " ".join(" ".join(p.extract_text() for p in PdfReader(fh).pages).split())


@pytest.mark.django_db
def test_a_termination_asks_whether_the_employee_is_a_funktionaer(admin_client, employee):
    response = admin_client.post(url(employee, "termination"), {**TERMINATION, "create": "1"})
    assert response.status_code == 400
    assert "Er medarbejderen funktionær?" in response.content.decode()  # listed as missing, never assumed


@pytest.mark.django_db
def test_a_funktionaer_gets_the_statutory_notice(admin_client, company, employee):
    data = {**TERMINATION, "employee_status": "funktionaer", "create": "1"}
    assert admin_client.post(url(employee, "termination"), data).status_code == 302
    text = termination_text(company)
    # 7 years 8 months of seniority: 5 months to the end of a month (§ 2, stk. 2).
    assert "Opsigelsesvarsel (funktionærloven § 2)" in text and "5 måneder til udgangen af en måned" in text
    assert "30. april 2027" in text


@pytest.mark.django_db
def test_not_a_funktionaer_states_the_agreed_notice_and_never_cites_funktionaerloven(
    admin_client, company, employee
):
    data = {**TERMINATION, "employee_status": "other", "released": "on", "create": "1"}
    refused = admin_client.post(url(employee, "termination"), data)
    assert refused.status_code == 400
    assert "Angiv det varsel, der gælder for medarbejderen." in refused.content.decode()
    too_early = {**data, "agreed_notice": "3 uger", "agreed_termination_date": "2026-11-01"}
    assert admin_client.post(url(employee, "termination"), too_early).status_code == 400

    data.update(agreed_notice="3 uger efter Industriens Overenskomst", agreed_termination_date="2026-12-11")
    assert admin_client.post(url(employee, "termination"), data).status_code == 302
    text = termination_text(company)
    assert "Varsel efter aftale eller overenskomst 3 uger efter Industriens Overenskomst" in text
    assert "fratrædelsesdato) er 11. december 2026" in text
    assert "funktionær" not in text.lower()
    with company_scope(company):
        assert Document.objects.get().template_version == "v2"

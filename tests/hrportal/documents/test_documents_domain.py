"""The rules the document and signing pages rely on, called directly (no request, no view)."""

import datetime

import pytest

from hrportal.documents import services, signing, templating
from hrportal.documents.models import Document, Signer
from hrportal.tenancy import company_scope
from tests.factories import make_document, make_document_employee

TERMINATION = {
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


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def cleaned(slug, data, employee):
    form = templating.TEMPLATES[slug].form_class(data, employee=employee)
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.mark.django_db
def test_the_warning_form_page_lists_earlier_warnings_but_not_void_ones(company):
    employee = make_document_employee(company)
    kept = make_document(company, employee, kind="warning")
    voided = make_document(company, employee, kind="warning")
    make_document(company, employee, kind="contract")
    with company_scope(company):
        services.void_document(voided, user=None, reason="Fejl")
        context = templating.form_page_context(templating.TEMPLATES["warning"], employee)
        assert [w.pk for w in context["earlier_warnings"]] == [kept.pk]
        assert templating.form_page_context(templating.TEMPLATES["contract"], employee) == {}


@pytest.mark.django_db
def test_the_termination_form_page_shows_the_notice_once_the_form_is_valid(company):
    employee = make_document_employee(company)
    spec = templating.TEMPLATES["termination"]
    assert "notice" not in templating.form_page_context(spec, employee)
    notice = templating.form_page_context(spec, employee, cleaned("termination", TERMINATION, employee))[
        "notice"
    ]
    assert notice.notice_months == 4
    assert notice.termination_date == datetime.date(2024, 12, 31)


@pytest.mark.django_db
def test_create_document_stores_the_pdf_with_its_template_version_and_title(company):
    employee = make_document_employee(company)
    data = cleaned("termination", {**TERMINATION, "language": "en"}, employee)
    with company_scope(company):
        document = templating.create_document(
            templating.TEMPLATES["termination"], data, employee, company, user=None
        )
        document.refresh_from_db()
    assert (document.template_name, document.template_version, document.language) == (
        "termination",
        templating.TEMPLATES["termination"].version,  # the current version (v2 asks about funktionær)
        "en",
    )
    assert document.title == "Notice of termination"
    assert document.kind == "termination" and document.source == Document.Source.TEMPLATE


@pytest.mark.django_db
def test_contract_warning_only_for_an_active_employee_without_a_contract(company):
    employee = make_document_employee(company, start_date=datetime.date(2024, 1, 1))
    few_hours = make_document_employee(company, weekly_hours=3)
    with company_scope(company):
        assert services.contract_warning(employee) is not None
        assert services.contract_warning(few_hours) is None
    contract = make_document(company, employee, kind="contract")
    with company_scope(company):
        assert services.contract_warning(employee) is None
        assert services.contract_warning(employee, [contract]) is None
        services.void_document(contract, user=None, reason="Fejl")
        assert services.contract_warning(employee) is not None


@pytest.mark.django_db
def test_signing_status_offers_only_the_steps_the_workflow_allows(company):
    document = make_document(company, make_document_employee(company, email="soren@example.dk"))
    with company_scope(company):
        fresh = signing.signing_status(document)
        assert fresh.can_send and fresh.request is None and not fresh.company_can_sign
        request = signing.send_for_signature(
            document, user=None, employee_signs=True, company_signs=True, base_url="http://testserver"
        )
        pending = signing.signing_status(document)
        assert not pending.can_send and pending.request == request and pending.company_can_sign
        by_role = {s.role: s.masked_destination for s in pending.signers}
        assert by_role == {Signer.Role.EMPLOYEE: "s***@example.dk", Signer.Role.COMPANY: ""}
        details = signing.sent_audit_details(request)
    assert details["request"] == request.pk and details["employee"] and details["company_signs"]
    assert details["channel"] == "email" and "@" not in str(details)

"""Documents in one language, the right one (issue 14): every template, written by an admin whose UI is in
the other language, holds no word of the UI's language in its PDF, nor on the signature page.

The words are ones our own UI strings use and the other language never does, so a label, a prefill or a
method name that slipped through gettext in the UI's language shows up here.
"""

import io
import re

import pytest
from django import forms
from django.core import mail
from pypdf import PdfReader

from hrportal.documents import services, templating
from hrportal.documents.models import Document
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.factories import make_document_employee
from tests.hrportal.documents.test_signing import admin_sign, emailed_code, employee_flow_start

FOREIGN = {
    # In a Danish document: English words.
    "da": re.compile(
        r"\b(the|and|of|with|from|Employee|Employer|Company|Signature|Signed|Date|Method|Role|Salary|Holiday|"
        r"Notice|Termination|Probation|month|week|hours|page|Code|email|authenticator)\b",
        re.IGNORECASE,
    ),
    # In an English document: Danish words.
    "en": re.compile(
        r"\b(og|af|med|til|den|det|ikke|eller|Medarbejder\w*|Arbejdsgiver\w*|Virksomhed\w*|Underskr\w*|Dato|"
        r"Opsigelse\w*|Ferie\w*|måned\w*|uge|timer|side|Kode|godkendelsesapp|sendt|pr)\b",
        re.IGNORECASE,
    ),
}
WRITTEN = {"da": "Tekst skrevet på dansk", "en": "Text written in English"}


# Encrypted files in the test's own folder (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("private_storage")


def other(language: str) -> str:
    return "en" if language == "da" else "da"


def ui_in(client, language):
    client.post("/portal/language/", {"language": language, "next": "/portal/"})


def form_data(spec, employee, company, language) -> dict:
    """The prefill in `language`, and the admin's own words in that language for the rest."""
    data = {key: value for key, value in spec.initial(employee, company, language).items() if value}
    for name, field in spec.form_class(employee=employee).fields.items():
        if name in data or not field.required:
            continue
        if isinstance(field, forms.DateField):
            data[name] = "2026-11-20"
        elif isinstance(field, forms.ChoiceField):
            data[name] = field.choices[0][0]
        else:
            data[name] = WRITTEN[language]
    return {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in data.items()}


def pdf_text(fileobj) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(fileobj).pages).split())


def foreign_words(text: str, language: str) -> list[str]:
    return sorted({match.group(0) for match in FOREIGN[language].finditer(text)})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("template", sorted(templating.TEMPLATES))
def test_every_template_in_one_language_whatever_the_ui(admin_client, company, language, template):
    employee = make_document_employee(company, name="Åse Ørum Kjær", email="ase@example.test")
    ui_in(admin_client, other(language))
    spec = templating.TEMPLATES[template]
    data = {**form_data(spec, employee, company, language), "create": "1"}
    response = admin_client.post(f"/portal/employees/{employee.pk}/documents/new/{template}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with company_scope(company):
        document = Document.objects.get(employee=employee)
        assert document.language == language
        with services.open_original(document) as fh:
            text = pdf_text(fh)
    assert WRITTEN[language] in text or template != "warning"
    assert foreign_words(text, language) == [], text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_the_signature_page_is_in_the_documents_language(
    admin_client, admin_user, client, company, language, django_capture_on_commit_callbacks
):
    employee = make_document_employee(company, name="Åse Ørum Kjær", email="ase@example.test")
    ui_in(admin_client, other(language))
    spec = templating.TEMPLATES["warning"]
    data = {**form_data(spec, employee, company, language), "create": "1"}
    created = admin_client.post(f"/portal/employees/{employee.pk}/documents/new/warning/", data)
    assert created.status_code == 302
    with company_scope(company):
        document = Document.objects.get(employee=employee)
    link = employee_flow_start(admin_client, document, django_capture_on_commit_callbacks)
    assert admin_sign(admin_client, document, next_code(admin_user.totp)).status_code == 302
    client.post(link + "code/", HTTP_ACCEPT_LANGUAGE=other(language))
    code = emailed_code()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed = client.post(link, {"code": code, "confirm": "on"}, HTTP_ACCEPT_LANGUAGE=other(language))
    assert signed.status_code == 200
    with company_scope(company):
        document.refresh_from_db()
        with services.open_signed(document) as fh:
            raw = fh.read()
    last_page = " ".join((PdfReader(io.BytesIO(raw)).pages[-1].extract_text() or "").split())
    assert admin_user.get_full_name() in last_page and "Åse Ørum Kjær" in last_page
    assert foreign_words(last_page, language) == [], last_page

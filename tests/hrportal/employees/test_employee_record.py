"""The employee record in groups (person, contact, employment, pay, notes, documents, requests, history), the
edit form in the same groups, Danish and English amounts, the history kept to this company, and a query
count that does not grow with the events and documents."""

import datetime
import re
from decimal import Decimal

import pytest

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.tenancy import company_scope
from tests.factories import gdpr_request, make_document, make_employee


def page(client, employee):
    response = client.get(f"/portal/employees/{employee.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def speak(user, language):
    """The portal speaks the logged-in user's saved language (accounts.middleware.UserLanguageMiddleware)."""
    user.language = language
    user.save(update_fields=["language"])


def section(html, group):
    """The text of one <section id=group>, tags dropped and spaces squeezed."""
    match = re.search(rf'<section[^>]*id="{group}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {group}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def heading(html, group):
    match = re.search(rf'<section[^>]*id="{group}"[^>]*>\s*<h2[^>]*>(.*?)</h2>', html, re.S)
    assert match, f"section {group} has no h2 first"
    return match.group(1).strip()


@pytest.fixture
def employee(company):
    return make_employee(
        company,
        name="Karen Blixen",
        cpr="170485-1234",
        email="karen@example.dk",
        phone="+45 20 30 40 50",
        address="Rungstedlund 111",
        postal_code="2960",
        city="Rungsted Kyst",
        emergency_contact="Thomas Dinesen",
        position="Forfatter",
        department="Litteratur",
        weekly_hours=Decimal("37.5"),
        start_date=datetime.date(2020, 8, 1),
        salary=Decimal("32000.00"),
        notes="Foretrækker post",
    )


@pytest.mark.django_db
def test_danish_record_in_groups(admin_client, admin_user, employee):
    speak(admin_user, "da")
    html = page(admin_client, employee)
    headings = {group: heading(html, group) for group in ("person", "contact", "employment", "pay", "notes")}
    assert headings == {
        "person": "Person",
        "contact": "Kontakt",
        "employment": "Ansættelse",
        "pay": "Løn",
        "notes": "Noter",
    }
    person = section(html, "person")
    assert "Karen Blixen" in person and "170485-XXXX" in person and "17.04.1985" in person
    assert "170485-1234" not in html
    assert f'href="/portal/employees/{employee.pk}/cpr/"' in html
    contact = section(html, "contact")
    for value in (
        "karen@example.dk",
        "+45 20 30 40 50",
        "Rungstedlund 111",
        "2960 Rungsted Kyst",
        "Thomas Dinesen",
    ):
        assert value in contact
    employment = section(html, "employment")
    assert "Forfatter" in employment and "Litteratur" in employment and "37,5" in employment
    assert "01.08.2020" in employment
    assert "32.000 kr." in section(html, "pay")
    assert "Foretrækker post" in section(html, "notes")
    assert '<h2 id="documents-heading">Dokumenter</h2>' in html
    assert heading(html, "requests") == "Anmodninger" and heading(html, "history") == "Historik"


@pytest.mark.django_db
def test_english_record_in_groups(admin_client, admin_user, employee):
    speak(admin_user, "en")
    html = page(admin_client, employee)
    assert [heading(html, g) for g in ("person", "contact", "employment", "pay", "requests", "history")] == [
        "Person",
        "Contact",
        "Employment",
        "Pay",
        "Requests",
        "History",
    ]
    assert "DKK 32,000" in section(html, "pay") and "32.000 kr." not in html
    assert "37.5" in section(html, "employment")


@pytest.mark.django_db
def test_an_amount_with_ore_keeps_them(admin_client, admin_user, company):
    employee = make_employee(company, salary=Decimal("32000.50"))
    assert "32.000,50 kr." in section(page(admin_client, employee), "pay")
    speak(admin_user, "en")
    assert "DKK 32,000.50" in section(page(admin_client, employee), "pay")


@pytest.mark.django_db
def test_requests_linked_to_the_employee_with_status_and_deadline(admin_client, company, employee):
    with company_scope(company):
        dsr = gdpr_request(company, employee, kind="access", received_on=datetime.date(2026, 1, 15))
        gdpr_request(company, kind="erasure")  # another employee's: not on this record
    requests = section(page(admin_client, employee), "requests")
    assert f"#{dsr.pk} Indsigt og kopi" in requests and "15.02.2026" in requests and "Åben" in requests
    assert "Sletning" not in requests
    assert f'href="/portal/privacy/requests/{dsr.pk}/"' in page(admin_client, employee)


@pytest.mark.django_db
def test_history_shows_this_employees_events_of_this_company_only(
    admin_client, admin_user, company, other_company, employee
):
    someone_else = make_employee(company, name="Anden Person")
    record(
        Action.EMPLOYEE_CHANGED,
        actor=admin_user,
        company=company,
        target=employee,
        details={"fields": ["salary"]},
    )
    record(Action.EMPLOYEE_CHANGED, company=company, target=someone_else, details={"fields": ["notes"]})
    # Another company's chain, naming the same employee id (a foreign row that must never show here).
    record(
        Action.CPR_REVEALED,
        company=other_company,
        target_type="employees.employee",
        target_id=str(employee.pk),
        details={"reason": "pension"},
    )
    history = section(page(admin_client, employee), "history")
    assert "Medarbejder ændret" in history and "Lønbasis (kr. pr. måned)" in history
    assert "Noter" not in history  # the other employee's change
    assert "CPR-nummer vist" not in history  # the other company's event
    assert admin_user.email in history or admin_user.get_full_name() in history


@pytest.mark.django_db
def test_history_includes_the_employees_documents(admin_client, company, employee, private_storage):
    document = make_document(company, employee)
    record(Action.DOCUMENT_DOWNLOADED, company=company, target=document)
    html = page(admin_client, employee)
    assert "Dokument downloadet" in section(html, "history")
    assert f'<a href="/portal/documents/{document.pk}/">Et dokument</a>' in html


@pytest.mark.django_db
def test_history_is_the_latest_ten(admin_client, company, employee):
    for _ in range(12):
        record(Action.EMPLOYEE_CHANGED, company=company, target=employee, details={"fields": ["phone"]})
    html = page(admin_client, employee)
    rows = re.search(r'<section[^>]*id="history".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert rows.count("<tr>") == 10
    assert 'href="/portal/audit/"' in html


@pytest.mark.django_db
def test_provider_staff_under_a_mandate_see_no_requests_or_history(staff_client, company, employee):
    from tests.factories import MandateFactory

    MandateFactory(company=company)
    staff_client.post(f"/portal/companies/{company.pk}/switch/")
    html = page(staff_client, employee)
    assert 'id="person"' in html and 'id="pay"' in html
    assert 'id="requests"' not in html and 'id="history"' not in html


@pytest.mark.django_db
def test_query_count_does_not_grow_with_events_documents_or_requests(
    admin_client, admin_user, company, employee, private_storage, django_assert_max_num_queries
):
    page(admin_client, employee)  # the read is audited once an hour: the next views write nothing
    with django_assert_max_num_queries(20) as few:
        page(admin_client, employee)
    for _ in range(15):
        record(
            Action.EMPLOYEE_CHANGED,
            actor=admin_user,
            company=company,
            target=employee,
            details={"fields": ["city"]},
        )
    for _ in range(3):
        document = make_document(company, employee)
        record(Action.DOCUMENT_VIEWED, actor=admin_user, company=company, target=document)
    with company_scope(company):
        for _ in range(3):
            gdpr_request(company, employee)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(admin_client, employee)
    # The events are there, not left out to keep the count: the latest ten, the documents' three included.
    assert html.count("Medarbejder ændret") == 7 and html.count("Dokument åbnet") == 3


@pytest.mark.django_db
def test_edit_form_in_the_same_groups_and_order(admin_client, employee):
    html = admin_client.get(
        f"/portal/employees/{employee.pk}/edit/", HTTP_ACCEPT_LANGUAGE="da"
    ).content.decode()
    legends = re.findall(r'<fieldset class="record-group" id="group-(\w+)">\s*<legend>(.*?)</legend>', html)
    assert legends == [
        ("person", "Person"),
        ("contact", "Kontakt"),
        ("employment", "Ansættelse"),
        ("pay", "Løn"),
        ("notes", "Noter"),
    ]
    order = re.findall(r'<label for="id_(\w+)"', html)
    assert order == [
        "name", "cpr", "email", "phone", "address", "postal_code", "city", "emergency_contact",
        "position", "department", "weekly_hours", "start_date", "end_date", "salary", "notes",
    ]  # fmt: skip


@pytest.mark.django_db
def test_edit_errors_stay_by_their_field(admin_client, employee):
    data = {
        "version": employee.version,
        "name": "",
        "cpr": "",
        "start_date": "2020-08-01",
        "end_date": "2019-01-01",
        "salary": "mange",
    }
    response = admin_client.post(f"/portal/employees/{employee.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    person = re.search(r'id="group-person">(.*?)</fieldset>', html, re.S).group(1)
    employment = re.search(r'id="group-employment">(.*?)</fieldset>', html, re.S).group(1)
    pay = re.search(r'id="group-pay">(.*?)</fieldset>', html, re.S).group(1)
    assert 'id="id_name_error"' in person
    assert 'id="id_end_date_error"' in employment and "Slutdatoen kan ikke" in employment
    assert 'id="id_salary_error"' in pay

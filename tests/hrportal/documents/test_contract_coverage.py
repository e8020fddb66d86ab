"""The ansættelsesbevis check (issue #14): every item of the act filled or listed as missing, with the
7-day and 1-month deadlines, for contracts made in the portal and for uploaded ones the admin ticks."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import contract_check, contract_items
from hrportal.documents.models import ContractCoverage, Document
from hrportal.tenancy import company_scope
from tests.factories import make_document, make_document_employee
from tests.hrportal.documents.test_documents_templates import CONTRACT

pytestmark = pytest.mark.usefixtures("private_storage")

OVERVIEW = "/portal/documents/contracts/"


def items_url(document):
    return f"/portal/documents/{document.pk}/contract-items/"


def danish(day):
    with override("da"):
        return date_format(day, "DATE_FORMAT")


def rows(html):
    """The overview's rows: employee id -> the row's text (tags stripped)."""
    found = re.findall(r'<tr data-employee="(\d+)"[^>]*>(.*?)</tr>', html, re.S)
    return {int(pk): " ".join(re.sub(r"<[^>]+>", " ", row).split()) for pk, row in found}


def make_contract(admin_client, employee, **extra):
    response = admin_client.post(
        f"/portal/employees/{employee.pk}/documents/new/contract/", {**CONTRACT, **extra, "create": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return int(re.search(r"/documents/(\d+)/", response["Location"]).group(1))


# --- the item list --------------------------------------------------------------------------------------


def test_every_item_has_a_directive_letter_and_the_form_fields_it_names_exist():
    from hrportal.documents.templating.contract import ContractForm

    letters = [item.directive for item in contract_items.ITEMS]
    assert letters == list("abcdefghijklmno")  # art. 4(2) a-o, once each, in order
    core = {item.directive for item in contract_items.ITEMS if item.core}
    assert core == set("abcdegklm")  # art. 5(1): within 7 days
    fields = set(ContractForm.base_fields)
    for item in contract_items.ITEMS:
        assert set(item.fields) <= fields, item.key
        assert not item.applies_if or item.applies_if in fields


def test_an_item_that_does_not_apply_counts_as_covered_and_one_that_does_must_be_filled():
    data = {name: "x" for item in contract_items.ITEMS for name in item.fields}
    assert contract_items.covered_by_form(data) == list(contract_items.KEYS)
    permanent = {**data, "end_date": None, "user_undertakings": "", "reference_hours": ""}
    assert contract_items.covered_by_form(permanent) == list(contract_items.KEYS)
    fixed_without_end = {**permanent, "fixed_term": True, "job_title": "", "salary": " "}
    covered = contract_items.covered_by_form(fixed_without_end)
    # A title *or* a description suffices; the pay item needs all its parts.
    assert "work" in covered and "fixed_term" not in covered and "pay" not in covered


# --- a contract made in the portal --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_portal_contract_with_every_item_is_complete_and_not_listed(admin_client, company):
    employee = make_document_employee(company, name="Åse Ørum Kjær", start_date=timezone.localdate())
    document_id = make_contract(admin_client, employee, fixed_term="on", end_date="2030-01-01")
    with company_scope(company):
        coverage = ContractCoverage.objects.get(document_id=document_id)
        assert coverage.items == list(contract_items.KEYS)
        status = contract_check.employee_status(employee)
        assert status.complete and status.due is None
    html = admin_client.get(OVERVIEW).content.decode()
    assert employee.pk not in rows(html)
    assert "Alt er i orden" in html
    detail = admin_client.get(f"/portal/documents/{document_id}/").content.decode()
    assert "Kontrakten indeholder alle lovens punkter." in detail


@pytest.mark.django_db
def test_the_coverage_is_not_kept_when_the_document_is_not(admin_client, company, monkeypatch):
    """The coverage is written in the document's transaction: a failure leaves neither behind."""
    from hrportal.documents import services

    def broken(*args, **kwargs):
        raise RuntimeError("coverage failed")

    monkeypatch.setattr(services, "set_contract_items", broken)
    employee = make_document_employee(company)
    with pytest.raises(RuntimeError):
        admin_client.post(
            f"/portal/employees/{employee.pk}/documents/new/contract/", {**CONTRACT, "create": "1"}
        )
    with company_scope(company):
        assert not Document.objects.exists() and not ContractCoverage.objects.exists()


# --- an uploaded contract -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_uploaded_contract_with_some_ticks_names_the_missing_items(admin_client, company):
    start = timezone.localdate() - datetime.timedelta(days=3)
    employee = make_document_employee(company, name="Bo Bech", start_date=start)
    document = make_document(company, employee, kind="contract")

    # Before any tick: every item is missing and the fix is the ticks page.
    row = rows(admin_client.get(OVERVIEW).content.decode())[employee.pk]
    assert "Den uploadede kontrakts punkter er ikke afkrydset endnu" in row
    page = admin_client.get(items_url(document))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<fieldset" in html and "<legend>Punkter, som kontrakten indeholder</legend>" in html
    assert "checked" not in html  # all unticked by default
    assert f'href="{items_url(document)}"' in admin_client.get(OVERVIEW).content.decode()

    ticked = [k for k in contract_items.KEYS if k not in {"probation", "holiday", "pension"}]
    response = admin_client.post(items_url(document), {"items": ticked})
    assert response.status_code == 302
    message = admin_client.get(response["Location"]).content.decode()
    assert "Gemt. 3 af lovens punkter mangler stadig i kontrakten." in message

    row = rows(admin_client.get(OVERVIEW).content.decode())[employee.pk]
    assert "Prøvetid" in row and "Ferie" in row and "Pension og social sikring" in row
    assert "Arbejdsstedet" not in row and "Løn, andre løndele" not in row
    # A core item (probation) is missing: the 7-day deadline counts, and it is within 14 days.
    assert danish(start + datetime.timedelta(days=7)) in row and "4 dage tilbage" in row
    event = AuditEvent.objects.get(company_id=company.pk, action=Action.CONTRACT_ITEMS_CHANGED)
    assert event.details == {"added": ticked, "removed": []}

    # The ticks can be changed later; all ticked, the employee leaves the list.
    admin_client.post(items_url(document), {"items": list(contract_items.KEYS)})
    assert employee.pk not in rows(admin_client.get(OVERVIEW).content.decode())
    changes = AuditEvent.objects.filter(company_id=company.pk, action=Action.CONTRACT_ITEMS_CHANGED)
    assert changes.first().details == {"added": ["probation", "holiday", "pension"], "removed": []}
    # Unticking is a change too; saving the same ticks again is none.
    admin_client.post(items_url(document), {"items": [k for k in contract_items.KEYS if k != "notice"]})
    admin_client.post(items_url(document), {"items": [k for k in contract_items.KEYS if k != "notice"]})
    assert changes.count() == 3 and changes.first().details == {"added": [], "removed": ["notice"]}
    page = admin_client.get(items_url(document)).content.decode()
    assert page.count(" checked") == len(contract_items.KEYS) - 1
    assert 'aria-describedby="id_items_4_help"' in page  # the fixed-term item's help is read with its box


@pytest.mark.django_db
def test_an_unknown_item_is_refused_in_the_users_language_and_nothing_is_saved(admin_client, company):
    document = make_document(company, kind="contract")
    response = admin_client.post(items_url(document), {"items": ["parties", "bogus"]})
    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    with company_scope(company):
        assert not ContractCoverage.objects.exists()


@pytest.mark.django_db
def test_the_newest_contract_counts_and_a_void_one_does_not(admin_client, company):
    employee = make_document_employee(company)
    old = make_document(company, employee, kind="contract")
    admin_client.post(items_url(old), {"items": list(contract_items.KEYS)})
    assert employee.pk not in rows(admin_client.get(OVERVIEW).content.decode())
    admin_client.post(f"/portal/documents/{old.pk}/void/", {"reason": "Forkert fil"})
    row = rows(admin_client.get(OVERVIEW).content.decode())[employee.pk]
    assert "Ingen kontrakt" in row
    # A void contract's page shows its items and cannot be ticked.
    page = admin_client.get(items_url(old)).content.decode()
    assert "Kontrakten er annulleret" in page and "<fieldset" not in page
    admin_client.post(items_url(old), {"items": []})
    with company_scope(company):
        assert ContractCoverage.objects.get(document=old).items == list(contract_items.KEYS)


@pytest.mark.django_db
def test_a_portal_contracts_items_are_shown_not_ticked(admin_client, company):
    employee = make_document_employee(company)
    document_id = make_contract(admin_client, employee)
    document = Document.unscoped.get(pk=document_id)
    page = admin_client.get(items_url(document)).content.decode()
    assert "Kontrakten er lavet i portalen" in page and "<fieldset" not in page
    admin_client.post(items_url(document), {"items": ["parties"]})
    with company_scope(company):
        assert ContractCoverage.objects.get(document=document).items == list(contract_items.KEYS)


@pytest.mark.django_db
def test_only_contracts_have_an_items_page(admin_client, company):
    warning = make_document(company, kind="warning")
    assert admin_client.get(items_url(warning)).status_code == 404


# --- no contract, deadlines, the list -----------------------------------------------------------------


@pytest.mark.django_db
def test_an_employee_without_a_contract_is_listed_with_both_deadlines_and_the_fix(admin_client, company):
    start = timezone.localdate() - datetime.timedelta(days=10)
    employee = make_document_employee(company, name="Nyansat Nielsen", start_date=start)
    html = admin_client.get(OVERVIEW).content.decode()
    row = rows(html)[employee.pk]
    assert "Nyansat Nielsen" in row and "Ingen kontrakt" in row
    assert f"7 dage: {danish(start + datetime.timedelta(days=7))}" in row
    rest = contract_check.notice.add_months(start, 1)
    assert f"1 måned: {danish(rest)}" in row
    assert "Fristen er overskredet" in row  # the 7 days have passed
    assert f'href="/portal/employees/{employee.pk}/documents/new/contract/"' in html


@pytest.mark.django_db
def test_the_list_is_most_urgent_first_and_leaves_out_who_the_act_does_not_cover(admin_client, company):
    today = timezone.localdate()
    recent = make_document_employee(company, name="Ny", start_date=today)
    oldest = make_document_employee(company, name="Gammel", start_date=today - datetime.timedelta(days=90))
    middle = make_document_employee(company, name="Midt", start_date=today - datetime.timedelta(days=20))
    make_document_employee(company, name="Få timer", weekly_hours=3)
    make_document_employee(company, name="Fratrådt", end_date=today - datetime.timedelta(days=1))
    html = admin_client.get(OVERVIEW).content.decode()
    assert list(rows(html)) == [oldest.pk, middle.pk, recent.pk]
    assert "Få timer" not in html and "Fratrådt" not in html


@pytest.mark.django_db
def test_the_list_is_paginated(admin_client, company):
    for n in range(contract_check_page_size() + 1):
        make_document_employee(company, name=f"Ansat {n}")
    first = admin_client.get(OVERVIEW).content.decode()
    second = admin_client.get(OVERVIEW + "?page=2").content.decode()
    assert len(rows(first)) == contract_check_page_size() and len(rows(second)) == 1
    assert 'rel="next"' in first


def contract_check_page_size():
    from hrportal.documents.views import CONTRACTS_PER_PAGE

    return CONTRACTS_PER_PAGE


@pytest.mark.django_db
def test_the_documents_page_links_to_the_check(admin_client, company):
    assert f'href="{OVERVIEW}"' in admin_client.get("/portal/documents/").content.decode()


# --- isolation and cost ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_companys_employees_and_contracts_never_appear_or_open(admin_client, company, other_company):
    theirs = make_document_employee(other_company, name="Fremmed Frandsen")
    their_contract = make_document(other_company, theirs, kind="contract")
    make_document_employee(other_company, name="Anden Andersen")
    html = admin_client.get(OVERVIEW).content.decode()
    assert "Fremmed Frandsen" not in html and "Anden Andersen" not in html
    assert admin_client.get(items_url(their_contract)).status_code == 404
    assert admin_client.post(items_url(their_contract), {"items": ["parties"]}).status_code == 404
    with company_scope(other_company):
        assert not ContractCoverage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("employees", [3, 30])
def test_the_list_costs_the_same_at_3_and_30_employees(
    admin_client, company, employees, django_assert_max_num_queries
):
    for n in range(employees):
        employee = make_document_employee(company, name=f"Ansat {n}")
        if n % 3 == 1:
            document = make_document(company, employee, kind="contract")
            with company_scope(company):
                ContractCoverage.objects.create(document=document, items=["parties"])
        elif n % 3 == 2:
            make_document(company, employee, kind="contract")
    admin_client.get(OVERVIEW)  # warm the session and the caches a first request fills
    # 10 on SQLite today: the session, user, device, membership, the employees, their contracts, the layout.
    with django_assert_max_num_queries(12) as captured:
        response = admin_client.get(OVERVIEW)
    assert response.status_code == 200, len(captured)
    assert len(rows(response.content.decode())) == min(employees, contract_check_page_size())


@pytest.mark.django_db
def test_the_front_page_links_to_the_check_when_more_lack_a_contract_than_it_shows(admin_client, company):
    from hrportal.companies.todo import SHOWN

    for n in range(SHOWN):
        make_document_employee(company, name=f"Ansat {n}")
    assert f'href="{OVERVIEW}"' not in admin_client.get("/portal/").content.decode()
    make_document_employee(company, name="En til")
    html = admin_client.get("/portal/").content.decode()
    assert f'<a href="{OVERVIEW}">Flere medarbejdere mangler et ansættelsesbevis: se dem alle</a>' in html


@pytest.mark.django_db
def test_the_employees_pages_say_an_uploaded_contract_is_not_ticked_and_link_to_the_ticks(
    admin_client, company
):
    employee = make_document_employee(company)
    document = make_document(company, employee, kind="contract")
    for url in (f"/portal/employees/{employee.pk}/documents/", f"/portal/employees/{employee.pk}/"):
        html = admin_client.get(url).content.decode()
        assert "Ingen har endnu afkrydset, hvilke af lovens punkter den uploadede kontrakt" in html
        assert f'href="{items_url(document)}"' in html
    admin_client.post(items_url(document), {"items": list(contract_items.KEYS)})
    html = admin_client.get(f"/portal/employees/{employee.pk}/").content.decode()
    assert "Ingen har endnu afkrydset" not in html and "mangler punkter" not in html


@pytest.mark.django_db
def test_two_admins_ticking_at_once_do_not_overwrite_each_other(admin_client, company):
    from django.test import Client

    from tests.conftest import login_verified, make_admin

    colleague = login_verified(Client(), make_admin(company))
    document = make_document(company, kind="contract")
    mine = admin_client.get(items_url(document)).content.decode()
    version = re.search(r'name="version" value="(\d+)"', mine).group(1)
    assert colleague.post(items_url(document), {"items": ["parties"], "version": version}).status_code == 302
    response = admin_client.post(items_url(document), {"items": ["workplace"], "version": version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "En anden har ændret afkrydsningerne" in html
    assert re.search(r'value="parties" id="id_items_0" checked', html)  # the saved ticks are shown
    with company_scope(company):
        assert ContractCoverage.objects.get(document=document).items == ["parties"]
    # Saving again from the page that showed the colleague's ticks is a deliberate choice, and works.
    again = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert (
        admin_client.post(items_url(document), {"items": ["workplace"], "version": again}).status_code == 302
    )
    with company_scope(company):
        assert ContractCoverage.objects.get(document=document).items == ["workplace"]

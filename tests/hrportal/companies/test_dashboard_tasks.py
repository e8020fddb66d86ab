"""The front page lists what the admin has to do, most urgent first, each linking to the action (issue 17).

A seeded company with one of each task sees each; a company with nothing to do is told so; another
company's tasks never show; the page's queries do not grow with the number of employees.
"""

import datetime
import re

import pytest
from django.utils import timezone

from cms_pages.dpa.demo import seed as seed_dpa
from hrportal.jobs.models import Job
from hrportal.tenancy import company_scope
from tests.factories import MandateFactory, gdpr_acceptance, gdpr_request, make_document, make_employee
from tests.hrportal.jobs.factories import JobFactory

# The front page's queries, warm: the same bound at 3 and 30 employees.
QUERIES = 31  # 25 for the to-do list and the tiles, 6 for the two charts (hrportal/companies/charts.py)


def tasks(html: str) -> list[tuple[str, str, str]]:
    """(kind, link, text) of each task in the order shown."""
    found = re.findall(
        r'<li class="todo__item[^"]*" data-task="([a-z]+)">\s*<a href="([^"]+)">([^<]+)</a>', html
    )
    return [(kind, href, " ".join(text.split())) for kind, href, text in found]


def accept_current_dpa(company):
    from cms_pages.dpa import content

    current = content.current_agreement("da")
    gdpr_acceptance(
        company,
        agreement_id=current.pk,
        version=current.version,
        processors_sha256=content.processors_fingerprint(),
    )


@pytest.mark.django_db
def test_nothing_to_do_is_said(admin_client, company):
    seed_dpa()
    accept_current_dpa(company)
    html = admin_client.get("/portal/").content.decode()
    assert tasks(html) == []
    assert "Der er ingen opgaver lige nu." in html


@pytest.mark.django_db
def test_one_of_each_task_most_urgent_first(admin_client, company, other_company, private_storage):
    seed_dpa()  # a current agreement the company has not accepted
    today = timezone.localdate()
    newcomer = make_employee(company, name="Nyansat Nielsen", start_date=today - datetime.timedelta(days=2))
    with_contract = make_employee(company, name="Kontrakt Karlsen", start_date=datetime.date(2020, 1, 1))
    make_document(company, with_contract, kind="contract")
    dsr = gdpr_request(company, received_on=today - datetime.timedelta(days=20))
    JobFactory(company=company, status=Job.Status.FAILED)
    MandateFactory(company=company, valid_until=timezone.now() + datetime.timedelta(days=5))
    # Another company's work never shows here.
    make_employee(other_company, name="Fremmed Frandsen", start_date=today)
    gdpr_request(other_company, received_on=today)

    html = admin_client.get("/portal/").content.decode()
    shown = tasks(html)
    kinds = [kind for kind, _href, _text in shown]
    assert {"contract", "request", "agreement", "job", "mandate"} <= set(kinds), shown
    assert "Fremmed Frandsen" not in html and "Kontrakt Karlsen" not in html
    texts = {kind: (href, text) for kind, href, text in shown}
    assert texts["request"][0] == f"/portal/privacy/requests/{dsr.pk}/"
    assert texts["contract"] == (
        f"/portal/employees/{newcomer.pk}/documents/",
        "Giv Nyansat Nielsen et ansættelsesbevis",
    )
    assert texts["agreement"][0] == "/portal/settings/dpa/"
    assert texts["mandate"][0] == "/portal/mandate/"
    # Dated tasks by their deadline (the contract's 7 days come before the request's month), undated last.
    assert (
        kinds.index("contract") < kinds.index("mandate") < kinds.index("request") < kinds.index("agreement")
    )
    assert "5 dage tilbage" in html and "dag over fristen" not in html
    # There is exactly one of the other company's requests and it is not listed.
    with company_scope(company):
        assert sum(1 for kind in kinds if kind == "request") == 1


@pytest.mark.django_db
def test_documents_awaiting_a_signature_name_who_is_missing(
    admin_client, company, private_storage, django_capture_on_commit_callbacks
):
    employee = make_employee(company, name="Signe Sørensen", email="signe@example.test")
    document = make_document(company, employee, kind="warning")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/portal/documents/{document.pk}/send/",
            {"employee_signs": "on", "company_signs": "on", "channel": "email"},
        )
    shown = {kind: (href, text) for kind, href, text in tasks(admin_client.get("/portal/").content.decode())}
    assert shown["signature"] == (
        f"/portal/documents/{document.pk}/",
        "Advarsel venter på underskrift fra dig (virksomheden), medarbejderen",
    )


@pytest.mark.django_db
def test_an_overdue_contract_says_so(admin_client, company):
    make_employee(
        company, name="Gammel Gregersen", start_date=timezone.localdate() - datetime.timedelta(days=60)
    )
    html = admin_client.get("/portal/").content.decode()
    assert "todo__item--overdue" in html and "dage over fristen" in html


@pytest.mark.django_db
@pytest.mark.parametrize("employees", [3, 30])
def test_the_front_page_costs_the_same_at_3_and_30_employees(
    admin_client, company, employees, django_assert_max_num_queries
):
    for n in range(employees):
        make_employee(company, name=f"Ansat {n}", start_date=datetime.date(2024, 1, 1))
    admin_client.get("/portal/")  # warm the session and the caches a first request fills
    with django_assert_max_num_queries(QUERIES) as captured:
        response = admin_client.get("/portal/")
    assert response.status_code == 200, len(captured)
    contracts = [t for t in tasks(response.content.decode()) if t[0] == "contract"]
    assert len(contracts) == min(employees, 5)  # the rest is counted, not listed


@pytest.mark.django_db
def test_the_awaiting_count_links_to_the_documents_awaiting_signature(
    admin_client, company, other_company, private_storage
):
    from django.urls import reverse

    from hrportal.documents.models import Document

    waiting = make_document(company)
    signed = make_document(company)
    foreign = make_document(other_company)
    for document, scope, status, title in (
        (waiting, company, Document.Status.AWAITING_SIGNATURES, "Venter"),
        (signed, company, Document.Status.SIGNED, "Underskrevet"),
        (foreign, other_company, Document.Status.AWAITING_SIGNATURES, "Fremmed"),
    ):
        with company_scope(scope):
            document.status, document.title = status, title
            document.save(update_fields=["status", "title"])
    front = admin_client.get(reverse("portal:dashboard")).content.decode()
    link = re.search(r'href="([^"]*\?status=awaiting)"><span class="tile__number">1</span>', front)
    assert link, "the count of documents awaiting signature links to them"
    listed = admin_client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Venter" in listed and "Underskrevet" not in listed and "Fremmed" not in listed
    assert "Viser dokumenter" in listed
    everything = admin_client.get(reverse("portal:documents") + "?status=nonsense").content.decode()
    assert "Venter" in everything and "Underskrevet" in everything

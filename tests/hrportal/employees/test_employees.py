"""Employee pages: list (search, sort, filter, pagination, query count), add, edit, end, reveal, export."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from hrportal.accounts.devices import TOTPDevice
from hrportal.audit.models import Action, AuditEvent, Outcome
from hrportal.employees.cpr import birth_date_from_cpr, mask_cpr, normalize_cpr
from hrportal.employees.models import Employee
from hrportal.tenancy import company_scope
from tests.conftest import next_code
from tests.factories import make_employee

LIST = "/portal/employees/"


def assert_not_found(response):
    """404 (LocaleMiddleware may first redirect an unmatched /portal/ path to /da/..., which then 404s)."""
    assert response.status_code == 404, response.status_code


def valid_post(**overrides):
    data = {
        "name": "Søren Kierkegaard",
        "cpr": "050513-1234",
        "address": "Nytorv 2",
        "postal_code": "1450",
        "city": "København K",
        "email": "soren@example.dk",
        "phone": "+45 12 34 56 78",
        "start_date": "2022-02-01",
        "end_date": "",
        "position": "Filosof",
        "department": "Tænkning",
        "weekly_hours": "37,5",
        "salary": "42000",
        "emergency_contact": "Regine Olsen",
        "notes": "",
    }
    data.update(overrides)
    return data


# --- CPR rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cpr,born",
    [
        ("010170-1234", datetime.date(1970, 1, 1)),
        ("0101701234", datetime.date(1970, 1, 1)),
        ("010105-4123", datetime.date(2005, 1, 1)),
        ("010140-4123", datetime.date(1940, 1, 1)),
        ("010160-5123", datetime.date(1860, 1, 1)),
        ("010110-8123", datetime.date(2010, 1, 1)),
        ("010136-9123", datetime.date(2036, 1, 1)),
        ("010199-9123", datetime.date(1999, 1, 1)),
        ("290200-4123", datetime.date(2000, 2, 29)),
    ],
)
def test_birth_date_from_cpr_century_rules(cpr, born):
    assert birth_date_from_cpr(cpr) == born


@pytest.mark.parametrize("bad", ["", "12345", "010170-12345", "320170-1234", "011370-1234", "abcdef-ghij"])
def test_invalid_cpr(bad):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        normalize_cpr(bad)


def test_modulus_11_is_not_required():
    assert normalize_cpr("010170-1235") == "0101701235"


def test_mask():
    assert mask_cpr("010170-1234") == "010170-XXXX"


# --- blind index ------------------------------------------


def test_blind_index_unique_per_company_and_differs_between_companies(company, other_company):
    from django.db import IntegrityError, transaction

    a = make_employee(company, cpr="010170-1234")
    b = make_employee(other_company, cpr="010170-1234")  # same CPR in another company: fine
    assert a.cpr_index != b.cpr_index
    with pytest.raises(IntegrityError), transaction.atomic():
        make_employee(company, cpr="0101701234")


# --- list ------------------------------------------


def test_list_shows_masked_cpr_and_names(admin_client, company):
    make_employee(company, name="Åse Ørsted", cpr="010170-1234")
    make_employee(company, name="Anders And", cpr="020270-2345")
    response = admin_client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "010170-XXXX" in body and "010170-1234" not in body
    assert body.index("Anders And") < body.index("Åse Ørsted")  # Danish order: Å last
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_list_search_by_name_and_by_cpr_with_and_without_dash(admin_client, company, other_company):
    make_employee(company, name="Karen Blixen", cpr="170485-1234")
    make_employee(company, name="Hans Christian Andersen", cpr="020405-1111")
    make_employee(other_company, name="Karen Other", cpr="170485-1234")
    body = admin_client.get(LIST, {"q": "blix"}).content.decode()
    assert "Karen Blixen" in body and "Andersen" not in body
    body = admin_client.get(LIST, {"q": "hans andersen"}).content.decode()
    assert "Andersen" in body and "Blixen" not in body
    for query in ("170485-1234", "1704851234", " 170485 - 1234 "):
        body = admin_client.post(LIST, {"q": query}, follow=True).content.decode()
        assert "Karen Blixen" in body and "Andersen" not in body and "Karen Other" not in body
    body = admin_client.post(LIST, {"q": "170485-9999"}, follow=True).content.decode()
    assert "Blixen" not in body


def test_list_filters_active_and_ended_and_sorts_by_start(admin_client, company):
    make_employee(company, name="Old Timer", start_date=datetime.date(2001, 1, 1))
    make_employee(company, name="New Comer", start_date=datetime.date(2024, 1, 1))
    make_employee(
        company, name="Gone Person", start_date=datetime.date(2010, 1, 1), end_date=datetime.date(2011, 1, 1)
    )
    body = admin_client.get(LIST).content.decode()
    assert "Old Timer" in body and "Gone Person" not in body
    body = admin_client.get(LIST, {"status": "ended"}).content.decode()
    assert "Gone Person" in body and "Old Timer" not in body
    body = admin_client.get(LIST, {"status": "all", "sort": "-start"}).content.decode()
    assert body.index("New Comer") < body.index("Gone Person") < body.index("Old Timer")
    body = admin_client.get(LIST, {"status": "all", "sort": "-name"}).content.decode()
    assert body.index("Old Timer") < body.index("New Comer") < body.index("Gone Person")


def test_list_paginates(admin_client, company, settings):
    settings.EMPLOYEES_PER_PAGE = 5
    for i in range(12):
        make_employee(company, name=f"Person {i:02d}")
    body = admin_client.get(LIST).content.decode()
    assert (
        "Person 00" in body
        and "Person 05" not in body
        and "12 employees" in body.replace("medarbejdere", "employees")
    )
    body = admin_client.get(LIST, {"page": 3}).content.decode()
    assert "Person 10" in body and "Person 00" not in body


def test_list_query_count_does_not_grow(admin_client, company, django_assert_max_num_queries):
    for i in range(3):
        make_employee(company, name=f"Few {i}")
    admin_client.get(LIST)  # warm caches (session, keys)
    make_employee(company, name="Few 3")  # the next request rebuilds the list snapshot (its costliest path)
    with django_assert_max_num_queries(12) as few:
        admin_client.get(LIST)
    for i in range(60):
        make_employee(company, name=f"Many {i}")
    for params in ({}, {"sort": "start"}, {"q": "many"}):
        with django_assert_max_num_queries(len(few.captured_queries)):
            admin_client.get(LIST, params)


# --- add / edit / end ------------------------------------------


def test_add_employee_encrypts_audits_and_derives_birth_date(admin_client, company):
    response = admin_client.post(f"{LIST}add/", valid_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    with company_scope(company):
        employee = Employee.objects.get()
    assert employee.name == "Søren Kierkegaard"
    assert employee.birth_date == datetime.date(1913, 5, 5)
    assert employee.weekly_hours == Decimal("37.5")
    event = AuditEvent.objects.get(action=Action.EMPLOYEE_CREATED)
    assert event.target_id == str(employee.pk)
    assert "cpr" in event.details["fields"] and "name" in event.details["fields"]
    assert "Søren" not in str(event.details)
    detail = admin_client.get(response["Location"]).content.decode()
    assert "050513-XXXX" in detail and "050513-1234" not in detail


def test_add_errors_never_echo_the_cpr(admin_client, company):
    make_employee(company, cpr="050513-1234")
    response = admin_client.post(f"{LIST}add/", valid_post(name=""))
    body = response.content.decode()
    assert response.status_code == 200
    assert "050513-1234" not in body
    response = admin_client.post(f"{LIST}add/", valid_post())
    body = response.content.decode()
    assert "findes allerede" in body or "already exists" in body
    assert "050513-1234" not in body
    response = admin_client.post(f"{LIST}add/", valid_post(cpr="320513-1234"))
    assert "320513-1234" not in response.content.decode()


def test_edit_records_changed_field_names_only(admin_client, company):
    employee = make_employee(company, name="Before Name", cpr="010170-1234")
    page = admin_client.get(f"{LIST}{employee.pk}/edit/").content.decode()
    assert "010170-1234" not in page and "010170-XXXX" in page
    data = valid_post(name="After Name", cpr="", start_date="2021-03-01", version=employee.version)
    response = admin_client.post(f"{LIST}{employee.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with company_scope(company):
        fresh = Employee.objects.get(pk=employee.pk)
    assert fresh.name == "After Name" and fresh.cpr == "010170-1234"
    event = AuditEvent.objects.get(action=Action.EMPLOYEE_CHANGED)
    assert "name" in event.details["fields"] and "cpr" not in event.details["fields"]
    assert "After" not in str(event.details)
    response = admin_client.post(
        f"{LIST}{employee.pk}/edit/", dict(data, cpr="020270-1234", version=fresh.version)
    )
    with company_scope(company):
        fresh = Employee.objects.get(pk=employee.pk)
    assert fresh.cpr == "020270-1234" and fresh.birth_date == datetime.date(1970, 2, 2)
    assert AuditEvent.objects.filter(action=Action.EMPLOYEE_CHANGED).first().details["fields"] == ["cpr"]


def test_end_employment(admin_client, company):
    employee = make_employee(company, start_date=datetime.date(2020, 1, 1))
    response = admin_client.post(f"{LIST}{employee.pk}/end/", {"end_date": "2019-01-01"})
    assert response.status_code == 200
    response = admin_client.post(f"{LIST}{employee.pk}/end/", {"end_date": "2023-06-30"})
    assert response.status_code == 302
    with company_scope(company):
        assert Employee.objects.get(pk=employee.pk).end_date == datetime.date(2023, 6, 30)
    assert AuditEvent.objects.filter(action=Action.EMPLOYMENT_ENDED, target_id=str(employee.pk)).exists()


# --- reveal ------------------------------------------


def test_reveal_needs_a_fresh_code_and_a_reason_and_is_audited(admin_client, admin_user, company):
    employee = make_employee(company, cpr="010170-1234")
    url = f"{LIST}{employee.pk}/cpr/"
    assert "010170-1234" not in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"code": "000000", "reason": "payroll"})
    assert "010170-1234" not in response.content.decode()
    TOTPDevice.objects.get(user=admin_user).throttle_reset()  # django-otp throttles after a wrong code
    code = next_code(admin_user.totp)
    for reason in ("", "Lønindberetning for Anne Hansen 010170-1234"):  # a listed reason is required
        response = admin_client.post(url, {"code": code, "reason": reason})
        assert "010170-1234" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.CPR_REVEALED, outcome=Outcome.SUCCESS).exists()
    response = admin_client.post(url, {"code": code, "reason": "payroll"})
    assert "010170-1234" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=Action.CPR_REVEALED, outcome=Outcome.SUCCESS)
    assert event.actor_id == admin_user.pk and event.target_id == str(employee.pk)
    assert event.details == {"reason": "payroll"}
    # the same code cannot be used twice
    response = admin_client.post(url, {"code": code, "reason": "payroll"})
    assert "010170-1234" not in response.content.decode()


def test_the_audit_log_never_receives_free_text_from_the_reveal_form(admin_client, admin_user, company):
    """Whatever is typed into the form, the append-only log holds only a code from the fixed list."""
    from hrportal.employees.forms import CprRevealReason

    employee = make_employee(company, cpr="010170-1234", name="Anne Hansen")
    url = f"{LIST}{employee.pk}/cpr/"
    page = admin_client.get(url).content.decode()
    assert '<select name="reason"' in page and "Lønindberetning" in page
    admin_client.post(url, {"code": next_code(admin_user.totp), "reason": "Anne Hansen 010170-1234"})
    TOTPDevice.objects.get(user=admin_user).throttle_reset()
    admin_client.post(url, {"code": next_code(admin_user.totp), "reason": "other", "note": "Anne Hansen"})
    events = AuditEvent.objects.filter(action=Action.CPR_REVEALED)
    assert events.count() == 2
    for event in events:
        text = str(event.details)
        assert "Anne" not in text and "1234" not in text
        assert set(event.details) <= {"reason", "errors"}
        assert event.details.get("reason", "other") in CprRevealReason.values


def test_provider_staff_under_mandate_can_work_with_employees(staff_user, company):
    from django.test import Client

    from tests.conftest import login_verified
    from tests.factories import MandateFactory

    MandateFactory(company=company)
    employee = make_employee(company, name="Mandate Visible")
    client = login_verified(Client(), staff_user)
    client.session  # noqa: B018
    session = client.session
    session["portal_company_id"] = company.pk
    session.save()
    body = client.get(LIST).content.decode()
    assert "Mandate Visible" in body
    assert client.get(f"{LIST}{employee.pk}/").status_code == 200


def test_staff_without_mandate_gets_404(staff_client, company):
    employee = make_employee(company)
    assert_not_found(staff_client.get(LIST, follow=True))
    assert_not_found(staff_client.get(f"{LIST}{employee.pk}/", follow=True))


# --- export ------------------------------------------


def test_export_csv_masks_cpr_and_is_audited(admin_client, company, other_company):
    make_employee(company, name="Export Me", cpr="010170-1234", salary="31000.50", position="=HYPERLINK(1)")
    make_employee(other_company, name="Not Me")
    response = admin_client.get(f"{LIST}export.csv")
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert text.startswith("Navn;CPR-nummer;")
    assert "Export Me;010170-XXXX;" in text and "1234" not in text.replace("010170-XXXX", "")
    assert "31000,50" in text and "'=HYPERLINK(1)" in text
    assert "Not Me" not in text
    event = AuditEvent.objects.get(action=Action.EMPLOYEES_EXPORTED)
    assert event.details == {"format": "csv", "count": 1}


def test_export_xlsx(admin_client, company):
    make_employee(company, name="Excel Person", cpr="010170-1234", weekly_hours="37.5")
    response = admin_client.get(f"{LIST}export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Navn" and rows[1][0] == "Excel Person" and rows[1][1] == "010170-XXXX"
    assert not any(re.search(r"\d{6}-\d{4}", str(cell)) for row in rows for cell in row if cell)
    assert AuditEvent.objects.filter(action=Action.EMPLOYEES_EXPORTED).exists()


def test_key_failure_shows_a_clear_page_and_no_data(admin_client, company, settings):
    import base64

    from hrportal.encryption import datakeys

    employee = make_employee(company, name="Hidden Person", cpr="010170-1234")
    datakeys.clear_cache()
    settings.ENCRYPTION_MASTER_KEYS = "test1:" + base64.b64encode(b"w" * 32).decode()
    for url in (LIST, f"{LIST}{employee.pk}/", f"{LIST}export.csv"):
        response = admin_client.get(url)
        assert response.status_code == 503
        body = response.content.decode()
        assert "Hidden Person" not in body and "v1." not in body

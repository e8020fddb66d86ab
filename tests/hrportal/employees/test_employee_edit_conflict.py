"""Lost updates: two admins edit the same employee; the second save, based on an older version, gets a
conflict page with both values, and neither change is lost."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from hrportal.audit.models import Action, AuditEvent
from hrportal.employees.models import Employee
from hrportal.tenancy import company_scope
from tests.conftest import login_verified, make_admin
from tests.factories import make_employee
from tests.hrportal.employees.test_employees import valid_post


def edit_form(client, employee) -> dict:
    """What the browser posts back: the form as it was opened (its hidden version included)."""
    html = client.get(f"/portal/employees/{employee.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return valid_post(cpr="", version=version, phone="+45 11 11 11 11", position="Filosof")


def saved(company, employee):
    with company_scope(company):
        return Employee.objects.get(pk=employee.pk)


@pytest.fixture
def two_admins(company):
    return login_verified(Client(), make_admin(company)), login_verified(Client(), make_admin(company))


@pytest.mark.django_db
def test_the_second_save_of_one_version_gets_a_conflict_and_loses_nothing(company, two_admins):
    anna, bo = two_admins
    employee = make_employee(company, name="Søren Kierkegaard", phone="+45 11 11 11 11", position="Filosof")
    anna_form, bo_form = edit_form(anna, employee), edit_form(bo, employee)
    anna_form["phone"] = "+45 22 22 22 22"
    assert anna.post(f"/portal/employees/{employee.pk}/edit/", anna_form).status_code == 302
    bo_form["position"] = "Teolog"
    response = bo.post(f"/portal/employees/{employee.pk}/edit/", bo_form, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 409
    page = response.content.decode()
    assert "En anden har gemt denne medarbejder, mens du redigerede" in page
    # Both values of each field that differs: the phone Anna saved (Bo's form still had the old one)
    # and the position Bo typed.
    rows = {
        label.strip(): (now, yours)
        for label, now, yours in re.findall(
            r'<th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td>', page
        )
    }
    assert rows["Telefon"] == ("+45 22 22 22 22", "+45 11 11 11 11")
    assert rows["Stilling"] == ("Filosof", "Teolog")
    assert len(rows) == 2
    current = saved(company, employee)
    assert current.phone == "+45 22 22 22 22" and current.position == "Filosof"  # Anna's change kept
    # Bo's values are in the form again, on the current version: saving again is his deliberate choice.
    assert 'value="Teolog"' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert int(version) == current.version
    retry = dict(bo_form, version=version, phone="+45 22 22 22 22")
    assert bo.post(f"/portal/employees/{employee.pk}/edit/", retry).status_code == 302
    current = saved(company, employee)
    assert current.phone == "+45 22 22 22 22" and current.position == "Teolog"
    assert AuditEvent.objects.filter(action=Action.EMPLOYEE_CHANGED, target_id=str(employee.pk)).count() == 2


@pytest.mark.django_db
def test_ending_the_employment_meanwhile_is_a_conflict_too(company, two_admins):
    anna, bo = two_admins
    employee = make_employee(company, name="Søren Kierkegaard")
    bo_form = edit_form(bo, employee)
    assert anna.post(f"/portal/employees/{employee.pk}/end/", {"end_date": "2024-06-30"}).status_code == 302
    response = bo.post(f"/portal/employees/{employee.pk}/edit/", bo_form)
    assert response.status_code == 409
    assert str(saved(company, employee).end_date) == "2024-06-30"


@pytest.mark.django_db
def test_a_conflicting_cpr_is_never_shown_in_full(company, two_admins):
    anna, bo = two_admins
    employee = make_employee(company, name="Søren Kierkegaard", cpr="010170-1234")
    anna_form, bo_form = edit_form(anna, employee), edit_form(bo, employee)
    assert (
        anna.post(f"/portal/employees/{employee.pk}/edit/", dict(anna_form, name="Søren K")).status_code
        == 302
    )
    response = bo.post(f"/portal/employees/{employee.pk}/edit/", dict(bo_form, cpr="020270-1234"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "020270-1234" not in page and "010170-1234" not in page
    assert "020270-XXXX" in page and "010170-XXXX" in page
    assert saved(company, employee).cpr == "010170-1234"


@pytest.mark.django_db
def test_a_form_without_a_version_is_not_saved_blindly(company, admin_client):
    employee = make_employee(company, name="Søren Kierkegaard")
    response = admin_client.post(f"/portal/employees/{employee.pk}/edit/", valid_post(cpr="", name="Ny"))
    assert response.status_code == 409
    assert saved(company, employee).name == "Søren Kierkegaard"


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_version_at_once_save_one(company):
    if connection.vendor != "postgresql":
        pytest.skip("the row lock between concurrent transactions is what this proves; SQLite serialises")
    clients = [login_verified(Client(), make_admin(company)) for _ in range(2)]
    employee = make_employee(company, name="Søren Kierkegaard")
    forms = [dict(edit_form(c, employee), position=f"Stilling {n}") for n, c in enumerate(clients)]
    barrier = threading.Barrier(2)
    statuses = []

    def post(client, data):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(f"/portal/employees/{employee.pk}/edit/", data).status_code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 409]
    assert saved(company, employee).position in ("Stilling 0", "Stilling 1")

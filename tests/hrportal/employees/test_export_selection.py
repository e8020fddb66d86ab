"""Exporting the employees ticked in the list (issue #17's bulk action): only those, only the company's
own, never a restricted one, by POST only, audited."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hrportal.audit.models import Action, AuditEvent
from hrportal.privacy.restriction import place_restriction
from hrportal.tenancy import company_scope
from tests.factories import make_employee

pytestmark = pytest.mark.django_db
URL = reverse("portal:employees:export_selected")


def test_the_list_offers_a_tick_per_row_and_exports_only_the_ticked(admin_client, company):
    ticked = make_employee(company, name="Valgt Person", cpr="010170-1234")
    make_employee(company, name="Ikke Valgt")
    page = admin_client.get(reverse("portal:employees:list")).content.decode()
    assert f'name="selected" value="{ticked.pk}"' in page and "Eksportér valgte" in page
    response = admin_client.post(URL, {"selected": [ticked.pk], "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "Valgt Person;010170-XXXX;" in text and "Ikke Valgt" not in text
    event = AuditEvent.objects.get(action=Action.EMPLOYEES_EXPORTED, company_id=company.pk)
    assert event.details == {"format": "csv", "count": 1, "selection": True}


def test_excel_of_a_selection(admin_client, company):
    first = make_employee(company, name="Anna Ager")
    second = make_employee(company, name="Bo Bak")
    make_employee(company, name="Carl Clausen")
    response = admin_client.post(URL, {"selected": [second.pk, first.pk], "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Anna Ager", "Bo Bak"]  # name order, whatever the tick order


def test_another_companys_ids_and_a_restricted_employee_are_never_exported(
    admin_client, company, other_company
):
    own = make_employee(company, name="Egen Medarbejder")
    foreign = make_employee(other_company, name="Fremmed Person")
    restricted = make_employee(company, name="Begrænset Person")
    with company_scope(company):
        place_restriction(restricted, reason="disputed accuracy")
    response = admin_client.post(URL, {"selected": [own.pk, foreign.pk, restricted.pk], "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "Egen Medarbejder" in text
    assert "Fremmed Person" not in text and "Begrænset Person" not in text
    # Only foreign ids: nothing to export, and nothing audited as an export.
    before = AuditEvent.objects.filter(action=Action.EMPLOYEES_EXPORTED).count()
    nothing = admin_client.post(URL, {"selected": [foreign.pk], "format": "csv"}, follow=True)
    assert "Markér mindst én medarbejder" in nothing.content.decode()
    assert AuditEvent.objects.filter(action=Action.EMPLOYEES_EXPORTED).count() == before


def test_a_get_exports_nothing(admin_client, company):
    employee = make_employee(company, name="Ingen Link")
    response = admin_client.get(URL, {"selected": [employee.pk]})
    assert response.status_code == 405 and b"Ingen Link" not in response.content

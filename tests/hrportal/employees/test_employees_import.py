"""CSV import: dry run, all-or-nothing, encodings, duplicates, translated error messages."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrportal.audit.models import Action, AuditEvent
from hrportal.employees.models import Employee
from hrportal.tenancy import company_scope
from tests.factories import make_employee

URL = "/portal/employees/import/"
HEADER = "Navn;CPR-nummer;Adresse;Postnummer;By;E-mail;Startdato;Stilling;Timer pr. uge;Løn"
ROWS = [
    "Jens Ærø;010170-1111;Østergade 1;8000;Århus C;jens@example.dk;01-02-2020;Smed;37,5;32.500,00",
    "Birgitte Åby;0202801222;Strøget 2;1160;København K;;15.08.2021;Kok;30;28000",
]


def upload(client, text, encoding="utf-8"):
    data = text.encode(encoding)
    return client.post(URL, {"file": SimpleUploadedFile("ansatte.csv", data, content_type="text/csv")})


def payload_of(response):
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else None


def count(company):
    with company_scope(company):
        return Employee.objects.count()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_dry_run_then_confirm_imports_all_rows(admin_client, company, encoding):
    response = upload(admin_client, "\r\n".join([HEADER, *ROWS]) + "\r\n", encoding)
    body = response.content.decode()
    assert response.status_code == 200
    assert count(company) == 0  # a dry run saves nothing
    payload = payload_of(response)
    assert payload and "Jens" not in payload and "010170" not in body
    response = admin_client.post(URL, {"payload": payload})
    assert response.status_code == 302
    with company_scope(company):
        people = {e.name: e for e in Employee.objects.all()}
    assert set(people) == {"Jens Ærø", "Birgitte Åby"}
    jens = people["Jens Ærø"]
    assert jens.city == "Århus C" and str(jens.salary) == "32500.00" and str(jens.weekly_hours) == "37.5"
    assert jens.start_date.isoformat() == "2020-02-01" and jens.cpr == "010170-1111"
    assert people["Birgitte Åby"].cpr == "020280-1222"
    assert AuditEvent.objects.get(action=Action.EMPLOYEES_IMPORTED).details == {"count": 2}


def test_errors_name_row_and_column_in_danish_and_nothing_is_saved(admin_client, company):
    bad = [
        ROWS[0],
        ";320170-1111;;;;ikke-en-mail;2020-13-01;;;",
        "Dobbelt Jens;0101701111;;;;;01-01-2020;;;",
    ]
    response = upload(admin_client, "\n".join([HEADER, *bad]))
    body = response.content.decode()
    assert payload_of(response) is None
    assert "Række 3, kolonne “Navn”" in body
    assert "Række 3, kolonne “CPR-nummer”" in body
    assert "Række 3, kolonne “E-mail”" in body
    assert "Række 3, kolonne “Startdato”" in body
    assert "Række 4, kolonne “CPR-nummer”: samme CPR-nummer som række 2" in body
    assert "320170-1111" not in body
    assert count(company) == 0


def test_english_messages_for_english_users(admin_client, admin_user, company):
    admin_client.cookies["django_language"] = "en"
    response = admin_client.post(
        URL,
        {"file": SimpleUploadedFile("a.csv", f"{HEADER}\n;010170-1111;;;;;01-01-2020;;;".encode())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "Row 2, column “Navn”" in body or "Række 2, kolonne “Navn”" in body


def test_duplicate_of_an_existing_employee_is_an_error(admin_client, company):
    make_employee(company, cpr="010170-1111")
    body = upload(admin_client, "\n".join([HEADER, *ROWS])).content.decode()
    assert "Række 2, kolonne “CPR-nummer”" in body
    assert count(company) == 1


def test_all_or_nothing_when_a_conflict_appears_after_the_dry_run(admin_client, company):
    response = upload(admin_client, "\n".join([HEADER, *ROWS]))
    payload = payload_of(response)
    make_employee(company, cpr="020280-1222")  # someone adds one of the rows meanwhile
    response = admin_client.post(URL, {"payload": payload})
    assert response.status_code == 200
    assert count(company) == 1  # not even the valid first row


def test_file_level_errors(admin_client, company):
    body = upload(admin_client, "Navn;Hemmelig kolonne\nA;B").content.decode()
    assert "Ukendt kolonne “Hemmelig kolonne”" in body
    assert "Kolonnen “CPR-nummer” mangler" in body
    body = upload(admin_client, "").content.decode()
    assert "tom" in body
    response = admin_client.post(URL, {"file": SimpleUploadedFile("x.csv", b"\x81\x8d\x8f\x90\x9d" * 3)})
    assert "hverken UTF-8" in response.content.decode()


def test_payload_is_bound_to_company_and_user(admin_client, other_admin_client, company, other_company):
    payload = payload_of(upload(admin_client, "\n".join([HEADER, *ROWS])))
    response = other_admin_client.post(URL, {"payload": payload})
    assert response.status_code == 302
    assert count(other_company) == 0 and count(company) == 0
    tampered = payload[:-4] + ("AAAA" if not payload.endswith("AAAA") else "BBBB")
    admin_client.post(URL, {"payload": tampered})
    assert count(company) == 0

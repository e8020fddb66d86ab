"""Repeated uploads: the upload form carries a random idempotency key, and the same key gives the same
document, whether the form is posted twice (double click, reload) or six times at once."""

import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents.models import Document
from hrportal.tenancy import company_scope
from tests.conftest import login_verified, make_admin
from tests.factories import make_document_employee, sample_pdf_bytes


@pytest.fixture
def storage_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def form_key(client, employee) -> str:
    html = client.get(f"/portal/employees/{employee.pk}/documents/upload/").content.decode()
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def upload(client, employee, key, title="Kontrakt"):
    return client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile("kontrakt.pdf", sample_pdf_bytes(), content_type="application/pdf"),
            "kind": "contract",
            "title": title,
            "document_date": "2024-02-01",
            "idempotency_key": key,
        },
        HTTP_ACCEPT_LANGUAGE="da",
    )


def documents(company):
    with company_scope(company):
        return list(Document.objects.order_by("pk"))


@pytest.mark.django_db
def test_the_same_form_posted_twice_makes_one_document(admin_client, company, storage_root):
    employee = make_document_employee(company)
    key = form_key(admin_client, employee)
    first = upload(admin_client, employee, key)
    again = upload(admin_client, employee, key)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert len(documents(company)) == 1
    assert len(stored_files(storage_root)) == 1
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.DOCUMENT_UPLOADED).count() == 1
    page = admin_client.get(again["Location"]).content.decode()
    assert "Denne fil er allerede gemt; her er dokumentet." in page


@pytest.mark.django_db
def test_each_time_the_form_is_opened_it_is_a_new_upload(admin_client, company, storage_root):
    employee = make_document_employee(company)
    first_key, second_key = form_key(admin_client, employee), form_key(admin_client, employee)
    assert first_key != second_key and len(first_key) >= 16
    upload(admin_client, employee, first_key)
    upload(admin_client, employee, second_key)
    assert len(documents(company)) == 2  # the same file twice on purpose is two documents


@pytest.mark.django_db
def test_a_key_from_another_employees_form_is_refused(admin_client, company, storage_root):
    anna, bo = make_document_employee(company, name="Anna"), make_document_employee(company, name="Bo")
    key = form_key(admin_client, anna)
    upload(admin_client, anna, key)
    response = upload(admin_client, bo, key)
    assert response.status_code == 409
    assert "Formularen er allerede brugt." in response.content.decode()
    assert [d.employee_id for d in documents(company)] == [anna.pk]


@pytest.mark.django_db
def test_keys_are_per_company(admin_client, company, other_company, other_admin_client, storage_root):
    mine, theirs = make_document_employee(company), make_document_employee(other_company)
    key = "k" * 32
    assert upload(admin_client, mine, key).status_code == 302
    assert upload(other_admin_client, theirs, key).status_code == 302
    assert len(documents(company)) == 1 and len(documents(other_company)) == 1


@pytest.mark.django_db(transaction=True)
def test_six_concurrent_posts_of_one_form_make_one_document(company, storage_root):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions and the unique index are what this proves; SQLite serialises")
    admin = make_admin(company)
    client = login_verified(Client(), admin)
    employee = make_document_employee(company)
    key = form_key(client, employee)
    barrier = threading.Barrier(6)
    answers, errors = [], []

    def post():
        from django.db import connection as thread_connection

        twin = Client()
        twin.cookies = client.cookies  # six tabs of one session
        try:
            barrier.wait(timeout=10)
            response = upload(twin, employee, key)
            answers.append((response.status_code, response.get("Location")))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(answers) == 6 and len(set(answers)) == 1 and answers[0][0] == 302
    assert len(documents(company)) == 1
    assert len(stored_files(storage_root)) == 1  # the losers' encrypted files were removed

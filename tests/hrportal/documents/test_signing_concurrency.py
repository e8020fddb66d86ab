"""Signing under real concurrency: two requests at once, each in its own thread and database connection.

The sequential double-submit test (test_signing.py) shows the checks; only concurrent transactions on
PostgreSQL show that the row locks (`select_for_update` on the signer and on the request) hold: exactly one
signature per signer and exactly one signed PDF, however the two requests interleave.
"""

import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents.models import Document, Signature, SignatureRequest
from hrportal.tenancy import company_scope
from tests.conftest import login_verified, make_admin, next_code
from tests.factories import make_document, make_document_employee

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "proves row locks (SELECT ... FOR UPDATE) between concurrent transactions; SQLite serialises "
            "writers anyway. Run with DATABASE_URL=postgres://..."
        )


@pytest.fixture
def storage_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def setup(company, storage_root):
    """A document sent to the employee and the company; returns (admin, admin client, signing link)."""
    admin = make_admin(company)
    admin_client = login_verified(Client(), admin)
    employee = make_document_employee(company, name="Søren Hansen", email="soren@example.test")
    document = make_document(company, employee)
    response = admin_client.post(
        f"/portal/documents/{document.pk}/send/",
        {"employee_signs": "on", "company_signs": "on", "channel": "email"},
    )
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/sign/[^/\s]+/)", mail.outbox[-1].body).group(1)
    return admin, admin_client, document, link


def same_session(client: Client) -> Client:
    """A second browser tab: another client with the same session cookie."""
    twin = Client()
    twin.cookies = client.cookies
    return twin


def at_once(*posts):
    """Run the (client, path, data) posts in threads released together; returns their status codes."""
    barrier = threading.Barrier(len(posts))
    statuses = [None] * len(posts)
    errors = []

    def run(index, client, path, data):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            statuses[index] = client.post(path, data).status_code
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


def employee_code(link):
    client = Client()
    assert client.post(link + "code/").status_code == 302
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def signatures_by_role(company):
    with company_scope(company):
        return sorted(Signature.objects.values_list("signer__role", flat=True))


def signed_pdfs(company, document, storage_root):
    """(completions audited, files stored besides the original, the document's signed file name)."""
    with company_scope(company):
        document = Document.objects.get(pk=document.pk)
    files = list(storage_root.rglob("*.enc"))
    completed = AuditEvent.objects.filter(company_id=company.pk, action=Action.SIGNING_COMPLETED).count()
    return completed, len(files) - 1, document.signed_storage_name


def test_two_concurrent_employee_signings_give_one_signature(company, setup):
    _admin, _admin_client, _document, link = setup
    code = employee_code(link)
    statuses = at_once(
        (Client(), link, {"code": code, "confirm": "on"}), (Client(), link, {"code": code, "confirm": "on"})
    )
    assert sorted(statuses)[0] == 200 and sorted(statuses)[1] in (400, 410)
    assert signatures_by_role(company) == ["employee"]


def test_two_concurrent_company_signings_give_one_signature(company, setup):
    admin, admin_client, document, _link = setup
    code = next_code(admin.totp)
    path = f"/portal/documents/{document.pk}/sign/"
    data = {"code": code, "confirm": "on"}
    at_once((admin_client, path, data), (same_session(admin_client), path, data))
    assert signatures_by_role(company) == ["company"]
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.DOCUMENT_SIGNED).count() == 1


def test_employee_and_company_signing_at_once_complete_exactly_once(company, setup, storage_root):
    admin, admin_client, document, link = setup
    code = employee_code(link)
    at_once(
        (
            admin_client,
            f"/portal/documents/{document.pk}/sign/",
            {"code": next_code(admin.totp), "confirm": "on"},
        ),
        (Client(), link, {"code": code, "confirm": "on"}),
    )
    assert signatures_by_role(company) == ["company", "employee"]
    completed, extra_files, signed_name = signed_pdfs(company, document, storage_root)
    assert completed == 1
    assert extra_files == 1 and signed_name  # one signed PDF, and it is the one the document points at
    with company_scope(company):
        assert SignatureRequest.objects.get().status == SignatureRequest.Status.COMPLETED

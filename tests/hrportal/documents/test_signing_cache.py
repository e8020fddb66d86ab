"""The public pages /sign/ and /verify/ must not be kept by browsers or shared caches.

`never_cache` on every public view sends `Cache-Control: max-age=0, no-cache, no-store, must-revalidate,
private`: these tests pin that every answer (a usable link, a dead link, the code request, the document,
/verify/ before and after a check) carries both `private` and `no-store`.
"""

import re

import pytest
from django.core import mail

from tests.factories import make_document, make_document_employee


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def directives(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}


def assert_private_no_store(response):
    assert {"private", "no-store"} <= directives(response), response.get("Cache-Control")


@pytest.mark.django_db
def test_sign_pages_are_private_and_not_stored(
    admin_client, client, company, django_capture_on_commit_callbacks
):
    document = make_document(company, make_document_employee(company))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/portal/documents/{document.pk}/send/",
            {"employee_signs": "on", "company_signs": "on", "channel": "email"},
        )
    link = re.search(r"https?://[^/\s]+(/sign/[^/\s]+/)", mail.outbox[-1].body).group(1)

    responses = [client.get(link), client.post(link + "code/")]
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    responses += [
        client.get(link + "?sent=1"),
        client.post(link, {"code": wrong, "confirm": "on"}),
        client.get(link + "document/"),
        client.get("/sign/not-a-real-token/"),
        client.post("/sign/not-a-real-token/code/"),
    ]
    assert [r.status_code for r in responses] == [200, 302, 200, 400, 200, 410, 410]
    for response in responses:
        assert_private_no_store(response)


@pytest.mark.django_db
def test_verify_page_is_private_and_not_stored(client):
    for response in (
        client.get("/verify/"),
        client.post("/verify/", {"code": "AAAA-BBBB-CCCC-DDDD"}),
        client.post("/verify/", {}),
    ):
        assert_private_no_store(response)

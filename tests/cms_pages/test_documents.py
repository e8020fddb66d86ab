"""Wagtail documents (public files editors upload): an allowlist of extensions, so no .html or .svg is ever
served from the site's origin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection

from tests.conftest import login_verified
from tests.factories import UserFactory, add_totp_device, sample_pdf_bytes

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/portal/employees/export.csv")</script></svg>'
HTML = b"<!DOCTYPE html><script>fetch('/portal/employees/export.csv')</script>"


@pytest.fixture
def editor_client():
    user = UserFactory(is_superuser=True)
    user.totp = add_totp_device(user)
    return login_verified(Client(), user)


def add(client, name, data):
    return client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize(
    "name,data",
    [
        ("angreb.svg", SVG),
        ("angreb.html", HTML),
        ("angreb.htm", HTML),
        ("angreb.xhtml", HTML),
        ("angreb.xml", SVG),
        ("angreb.js", b"alert(1)"),
        ("angreb", HTML),
    ],
)
def test_an_editor_cannot_upload_a_file_a_browser_would_run(editor_client, name, data):
    response = add(editor_client, name, data)
    assert response.status_code == 200  # the form again, with the error
    assert "File extension" in response.content.decode() and "is not allowed" in response.content.decode()
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize("name", ["vilkaar.pdf", "prisliste.xlsx", "skabelon.docx", "data.csv", "logo.png"])
def test_office_files_text_and_images_are_accepted(editor_client, name):
    data = sample_pdf_bytes() if name.endswith(".pdf") else b"content"
    response = add(editor_client, name, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    document = get_document_model().objects.get()
    assert document.file.name.endswith(name.rsplit(".", 1)[1])

import uuid

import pytest
from wagtail.models import Locale

from cms_pages.consent.models import ConsentRecord, CookieDeclaration
from tests.conftest import login_verified
from tests.factories import UserFactory, add_totp_device


@pytest.fixture
def editor_client(client, db):
    editor = UserFactory(is_superuser=True, is_staff=True)
    editor.totp = add_totp_device(editor)
    return login_verified(client, editor)


@pytest.mark.django_db
def test_dashboard_tells_editors_about_unclassified_cookies(editor_client):
    assert "?category=unclassified" not in editor_client.get("/admin/").content.decode()
    CookieDeclaration.objects.create(
        name="_mystery", provider="x", locale=Locale.get_default(), translation_key=uuid.uuid4()
    )
    html = editor_client.get("/admin/").content.decode()
    assert "?category=unclassified" in html


@pytest.mark.django_db
def test_consent_records_are_read_only_in_the_admin(editor_client):
    record = ConsentRecord.objects.create(
        categories=["statistics"], policy_version="v", banner_version="b", epoch="e", language="da"
    )
    assert editor_client.get("/admin/snippets/consent/consentrecord/").status_code == 200
    assert editor_client.get(f"/admin/snippets/consent/consentrecord/inspect/{record.pk}/").status_code == 200
    assert editor_client.get(f"/admin/snippets/consent/consentrecord/edit/{record.pk}/").status_code in (
        302,
        403,
    )
    assert editor_client.get("/admin/snippets/consent/consentrecord/add/").status_code in (302, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["trackingscript", "cookiedeclaration"])
def test_editors_manage_scripts_and_declarations(editor_client, model):
    assert editor_client.get(f"/admin/snippets/consent/{model}/").status_code == 200
    assert editor_client.get(f"/admin/snippets/consent/{model}/add/").status_code == 200
    assert editor_client.get(f"/admin/snippets/consent/{model}/?q=ga").status_code == 200

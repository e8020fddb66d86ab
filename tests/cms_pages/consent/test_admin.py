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


@pytest.mark.django_db
def test_a_scanned_cookie_waits_for_review_before_visitors_see_it(editor_client, home):
    """scan_cookies adds what it finds as "unclassified" (provider = the host, no purpose): it is listed for
    editors, and neither the banner nor the public declaration shows it until an editor classifies it."""
    from cms_pages.consent.scanner import CrawlResult, compare_and_record
    from tests.cms_pages.consent.helpers import publish_cookie_policy
    from tests.conftest import public_client

    policy = publish_cookie_policy(home)
    visitor = public_client()
    found = {"_found_unreviewed": {"domain": "127.0.0.1", "expires": -1}}
    compare_and_record("http://127.0.0.1", ["/da/"], CrawlResult(cookies=found))
    queue = editor_client.get("/admin/snippets/consent/cookiedeclaration/?category=unclassified")
    assert "_found_unreviewed" in queue.content.decode()
    for url in (policy.url, "/da/"):
        assert "_found_unreviewed" not in visitor.get(url).content.decode(), url
    cookie = CookieDeclaration.objects.get(name="_found_unreviewed")
    cookie.category, cookie.provider, cookie.purpose = "statistics", "Ansatte", "Tæller besøg"
    cookie.save()
    for url in (policy.url, "/da/"):
        assert "_found_unreviewed" in visitor.get(url).content.decode(), url

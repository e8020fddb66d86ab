import json
import re

import pytest
from django.test import Client

from cms_pages.consent import state
from cms_pages.consent.models import ConsentRecord, CookieDeclaration, CookieScan
from tests.cms_pages.consent.helpers import publish_cookie_policy
from tests.conftest import public_client


@pytest.mark.django_db
def test_consent_record_holds_the_cookie_policy_version_in_force(cookie_policy):
    client = public_client(enforce_csrf_checks=True)
    token = client.get("/consent/csrf/").json()["csrfToken"]
    response = client.post(
        "/consent/",
        json.dumps({"choice": "accept_all", "language": "da"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    record = ConsentRecord.objects.get(consent_id=response.json()["consentId"])
    assert record.policy_version == cookie_policy.version_id
    assert record.policy_version != state.NO_POLICY


@pytest.mark.django_db
def test_only_a_material_policy_version_changes_the_epoch(home, cookie_policy):
    before = state.consent_epoch()
    publish_cookie_policy(home, material=False, summary="Stavefejl rettet")
    assert state.consent_epoch() == before
    publish_cookie_policy(home, material=True, summary="Ny marketingpartner")
    after_material = state.consent_epoch()
    assert after_material != before
    publish_cookie_policy(home, material=False, summary="Endnu en rettelse")
    assert state.consent_epoch() == after_material  # the newest *material* version decides


@pytest.mark.django_db
def test_cookie_policy_page_shows_the_declaration_and_last_scan(client, cookie_policy, settings):
    from django.utils import timezone

    CookieDeclaration.objects.create(
        name="_ga", provider="Google", purpose="Statistik", category="statistics", locale=cookie_policy.locale
    )
    CookieScan.objects.create(base_url="http://x", finished_at=timezone.now())
    html = client.get(cookie_policy.url).content.decode()
    assert "Cookies vi bruger" in html
    assert "_ga" in html
    # The necessary cookies under the names the browser sees (the two origins' own CSRF cookies, the portal's
    # session), not Django's defaults that the site no longer sets.
    for name in (settings.PUBLIC_CSRF_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME):
        assert name in html
    assert "csrftoken" not in html and "sessionid" not in html
    assert "Sidst scannet den" in html


@pytest.mark.django_db
def test_banner_links_to_the_cookie_policy(client, cookie_policy):
    html = client.get("/da/").content.decode()
    assert f'href="{cookie_policy.url}"' in html


def material_box(client, page) -> str:
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    return re.search(r'<input[^>]*name="material_change"[^>]*>', html).group(0)


@pytest.mark.django_db
def test_the_material_change_box_starts_unticked_for_the_next_version(home):
    from tests.conftest import login_verified
    from tests.factories import UserFactory, add_totp_device

    editor = UserFactory(is_superuser=True, is_staff=True)
    editor.totp = add_totp_device(editor)
    client = login_verified(Client(), editor)
    policy = publish_cookie_policy(home, material=True, summary="Ny marketingpartner")
    assert policy.material_change  # the published version is material, and stays so in the history
    assert "checked" not in material_box(client, policy)  # the next version is not, unless said so

    # A draft of the next version that the editor marked material keeps its tick until published.
    draft = policy.get_latest_revision_as_object()
    draft.material_change = True
    draft.change_summary = "Endnu en partner"
    draft.save_revision()
    assert "checked" in material_box(client, policy)

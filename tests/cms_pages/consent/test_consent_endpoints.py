import json

import pytest
from django.test import Client

from cms_pages.consent import state
from cms_pages.consent.models import ConsentRecord, TrackingScript
from cms_pages.consent.visitors import user_agent_summary
from config.requests import hash_ip, truncate_ip
from tests.conftest import public_client

CHROME_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)


def csrf_client():
    client = public_client(enforce_csrf_checks=True, HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.77")
    token = client.get("/consent/csrf/").json()["csrfToken"]
    return client, token


def give(client, token, **body):
    return client.post("/consent/", json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token)


@pytest.mark.django_db
def test_csrf_endpoint_is_uncached_and_sets_the_token_cookie(settings):
    response = public_client().get("/consent/csrf/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response.json()["csrfToken"]
    # The public host's own CSRF cookie: never the app host's, which the public site cannot read or set.
    assert list(response.cookies) == [settings.PUBLIC_CSRF_COOKIE_NAME]
    assert settings.CSRF_COOKIE_NAME != settings.PUBLIC_CSRF_COOKIE_NAME


@pytest.mark.django_db
def test_consent_post_without_csrf_token_is_refused():
    client = public_client(enforce_csrf_checks=True)
    response = client.post("/consent/", json.dumps({"choice": "accept_all"}), content_type="application/json")
    assert response.status_code == 403
    assert not ConsentRecord.objects.exists()


@pytest.mark.django_db
def test_accept_all_records_proof_and_sets_the_consent_cookie():
    client, token = csrf_client()
    response = give(client, token, choice="accept_all", language="en")
    assert response.status_code == 201
    data = response.json()
    record = ConsentRecord.objects.get(consent_id=data["consentId"])
    assert record.categories == ["preferences", "statistics", "marketing"]
    assert record.language == "en"
    assert record.policy_version == state.policy_version("en")
    assert record.banner_version == state.banner_version()
    assert record.epoch == state.consent_epoch()
    assert record.ip_hash == hash_ip("203.0.113.77") and "203.0.113" not in record.ip_hash
    assert record.user_agent == "Chrome 126 / Linux"
    cookie = response.cookies["ansatte_consent"]
    assert cookie.value.startswith(f"{record.consent_id}|preferences+statistics+marketing|{record.epoch}|")
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert data["receiptUrl"] == f"/en/consent/receipt/{record.consent_id}/"


@pytest.mark.django_db
def test_custom_choice_keeps_only_offered_categories_and_reject_all_replaces_it():
    client, token = csrf_client()
    first = give(
        client, token, choice="custom", categories=["statistics", "spyware", "necessary"], language="da"
    )
    record = ConsentRecord.objects.get(consent_id=first.json()["consentId"])
    assert record.categories == ["statistics"]
    second = give(client, token, choice="reject_all", language="da")
    withdrawn = ConsentRecord.objects.get(consent_id=second.json()["consentId"])
    assert withdrawn.categories == []
    assert withdrawn.replaces == record.consent_id
    assert ConsentRecord.objects.count() == 2  # proof is never overwritten


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{"choice": "everything"}, {"choice": "custom", "categories": "statistics"}])
def test_bad_choices_are_rejected(body):
    client, token = csrf_client()
    assert give(client, token, **body).status_code == 400
    assert not ConsentRecord.objects.exists()


@pytest.mark.django_db
def test_form_fallback_without_javascript_redirects_to_the_receipt(client):
    response = client.post("/consent/", {"choice": "custom", "categories": ["marketing"], "language": "da"})
    record = ConsentRecord.objects.get()
    assert record.categories == ["marketing"]
    assert response.status_code == 302
    assert response["Location"] == f"/da/consent/receipt/{record.consent_id}/"
    bad = client.post("/consent/", {"choice": "reject_all", "next": "https://evil.example/"})
    assert bad["Location"].startswith("/da/consent/receipt/")


@pytest.mark.django_db
def test_settings_page_renders_a_csrf_protected_form(client):
    response = client.get("/en/consent/settings/")
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_receipt_page_and_download_show_the_record(client):
    record = ConsentRecord.objects.create(
        categories=["statistics"], policy_version="42", banner_version="b1", epoch="e", language="da"
    )
    page = client.get(f"/en/consent/receipt/{record.consent_id}/")
    html = page.content.decode()
    assert str(record.consent_id) in html and "Statistics" in html and "42" in html
    download = client.get(f"/en/consent/receipt/{record.consent_id}/download/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.json()["categories"] == ["necessary", "statistics"]
    assert download.json()["cookie_policy_version"] == "42"


@pytest.mark.django_db
def test_unknown_receipt_is_404(client):
    assert client.get("/da/consent/receipt/00000000-0000-4000-8000-000000000000/").status_code == 404


@pytest.mark.django_db
def test_config_lists_active_scripts_and_epoch_changes_with_a_new_category(client):
    TrackingScript.objects.create(name="Stats", category="statistics", src="http://127.0.0.2/s.js")
    TrackingScript.objects.create(
        name="Off", category="statistics", src="http://127.0.0.2/o.js", active=False
    )
    first = client.get("/consent/config/").json()
    assert [s["name"] for s in first["scripts"]] == ["Stats"]
    assert client.get("/consent/config/").json()["epoch"] == first["epoch"]  # stable
    TrackingScript.objects.create(name="Ads", category="marketing", src="http://127.0.0.2/a.js")
    assert client.get("/consent/config/").json()["epoch"] != first["epoch"]


@pytest.mark.django_db
def test_consent_endpoint_is_rate_limited(settings):
    settings.CONSENT_RATE_LIMIT_PER_HOUR = 2
    client, token = csrf_client()
    assert give(client, token, choice="reject_all").status_code == 201
    assert give(client, token, choice="reject_all").status_code == 201
    assert give(client, token, choice="reject_all").status_code == 429


def test_ip_is_truncated_before_hashing():
    assert truncate_ip("203.0.113.77") == "203.0.113.0"
    assert truncate_ip("2001:db8:abcd:12:1:2:3:4") == "2001:db8:abcd::"
    assert hash_ip("203.0.113.77") == hash_ip("203.0.113.1")
    assert hash_ip("203.0.113.77") != hash_ip("198.51.100.77")
    assert hash_ip("not an ip") == ""


def test_user_agent_summary_is_coarse():
    assert user_agent_summary(CHROME_UA) == "Chrome 126 / Linux"
    assert user_agent_summary("") == "Other / Other"


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def messages_cookie(text: str) -> str:
    """A real `messages` cookie as Django's cookie storage writes it (e.g. after a redirect elsewhere)."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.INFO, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


@pytest.mark.django_db
def test_public_page_stays_cacheable_with_the_banner(client, home, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    response = client.get("/da/")
    html = response.content.decode()
    assert "data-consent-banner" in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies  # no per-visitor cookie, no Vary on it
    assert "Cookie" not in response.get("Vary", "")
    assert "js/consent.js" in html
    assert cache_control(response) == {"public", "max-age=300", "s-maxage=300"}

    # A visitor's flash message (say, left by a portal page) is not put into the page everyone gets.
    portal = Client()
    portal.cookies["messages"] = messages_cookie("Personal note for one visitor")
    assert "Personal note for one visitor" in portal.get("/portal/login/").content.decode()  # a real one
    visitor = public_client()
    visitor.cookies["messages"] = messages_cookie("Personal note for one visitor")
    with_message = visitor.get("/da/")
    assert with_message.content == response.content
    assert cache_control(with_message) == {"public", "max-age=300", "s-maxage=300"}
    assert not with_message.cookies


@pytest.mark.django_db
def test_an_editors_session_stays_on_the_app_host_and_a_preview_is_never_public(home, settings):
    from tests.conftest import PUBLIC_HOST, login_verified
    from tests.factories import UserFactory, add_totp_device

    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    editor = UserFactory(is_superuser=True, is_staff=True)
    editor.totp = add_totp_device(editor)
    client = login_verified(Client(), editor)
    assert settings.SESSION_COOKIE_NAME in client.cookies
    # The browser sends the app host's cookies to the public host too in a test client; the public host
    # ignores them: the editor is an anonymous visitor there and gets the page everyone gets.
    anonymous = public_client().get("/da/")
    response = client.get("/da/", HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200 and response.content == anonymous.content
    assert cache_control(response) == {"public", "max-age=300", "s-maxage=300"}
    assert not response.cookies
    draft = client.get(f"/admin/pages/{home.pk}/view_draft/")
    html = draft.content.decode()
    assert draft.status_code == 200 and "<h1" in html
    # A preview runs no tracking: neither the banner nor the script that loads consented trackers.
    assert "data-consent-banner" not in html and "js/consent.js" not in html
    # It is the editor's: the userbar with its accessibility checks (the edit view's Checks panel).
    assert "wagtail-userbar" in html
    assert "wagtail-userbar" not in response.content.decode()  # the live page: the same for everyone
    assert "public" not in cache_control(draft) and "no-store" in cache_control(draft)


@pytest.mark.django_db
@pytest.mark.parametrize("restriction_type", ["password", "login"])
def test_a_restricted_page_is_never_served_on_the_public_site(client, home, restriction_type):
    """The public host keeps no session, so a restriction could never be passed there: the page is not found
    rather than shown to everyone, and the admin offers no shared passwords."""
    from wagtail.admin.forms.pages import PageViewRestrictionForm
    from wagtail.models import PageViewRestriction

    from tests.cms_pages.factories import ArticleIndexPageFactory

    secret = ArticleIndexPageFactory(parent=home, title="Intern", slug="intern")
    assert client.get(secret.url).status_code == 200
    PageViewRestriction.objects.create(page=secret, restriction_type=restriction_type, password="hemmelig")
    response = client.get(secret.url)
    assert response.status_code == 404 and "Intern" not in response.content.decode()
    assert "public" not in cache_control(response)
    choices = dict(PageViewRestrictionForm().fields["restriction_type"].choices)
    assert PageViewRestriction.PASSWORD not in choices


@pytest.mark.django_db
def test_a_document_in_a_restricted_collection_is_not_served_on_the_public_site(client):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    private = root.add_child(name="Intern")
    Document = get_document_model()
    public_doc = Document.objects.create(title="Pris", file=ContentFile(b"%PDF-1.4 pris", name="pris.pdf"))
    secret = Document.objects.create(
        title="Intern", file=ContentFile(b"%PDF-1.4 intern", name="intern.pdf"), collection=private
    )
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    assert client.get(public_doc.url).status_code == 200
    response = client.get(secret.url)
    assert response.status_code == 404 and b"intern" not in response.content


@pytest.mark.django_db
def test_wagtails_own_forms_on_the_public_host_never_set_the_portals_cookies(client, settings):
    """Wagtail's login form uses Django's CSRF decorator, not our per-host middleware: its cookie is
    dropped on the way out, so the public host never holds a cookie named like the portal's."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("da"):
        login = reverse("wagtailcore_login")
    response = client.get(login)
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_portal_pages_have_no_banner(client):
    assert "data-consent-banner" not in client.get("/portal/login/").content.decode()


@pytest.mark.django_db
def test_a_preview_runs_no_tracking_even_for_an_editor_who_accepted_everything(home, rf):
    """The page editor's preview and the draft view both render through Wagtail's preview request; with an
    accept-all consent cookie the live page offers the consent script, the preview still does not."""
    from tests.factories import UserFactory

    TrackingScript.objects.create(name="Stats", category="statistics", src="https://stats.example/a.js")
    client, token = csrf_client()
    consent = give(client, token, choice="accept_all", language="da").cookies["ansatte_consent"].value
    live = public_client()
    live.cookies["ansatte_consent"] = consent
    assert "js/consent.js" in live.get("/da/").content.decode()  # so the check below can fail

    original = rf.get("/admin/pages/edit/preview/", HTTP_COOKIE=f"ansatte_consent={consent}")
    original.user = UserFactory(is_superuser=True, is_staff=True)
    for mode in home.preview_modes:
        preview = home.make_preview_request(original_request=original, preview_mode=mode[0])
        html = preview.render().content.decode() if hasattr(preview, "render") else preview.content.decode()
        assert "<h1" in html
        assert "js/consent.js" not in html and "data-consent-banner" not in html
        assert "stats.example" not in html

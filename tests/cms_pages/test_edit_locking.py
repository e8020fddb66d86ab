"""Two editors on one page or snippet: Wagtail's edit lock holds for pages and the editable snippets, and
its editing sessions tell each editor that someone else is editing."""

import pytest
from django.test import Client
from wagtail.admin.models import EditingSession
from wagtail.admin.utils import get_user_display_name
from wagtail.models import LockableMixin
from wagtail.snippets.models import get_snippet_models

from cms_pages.consent.models import TrackingScript
from cms_pages.contact.models import SupervisoryAuthority
from cms_pages.models.tags import ArticleTag
from cms_pages.newsletter.models import NewsletterIssue
from tests.cms_pages.factories import ArticleIndexPageFactory, CustomerLogoFactory
from tests.conftest import login_verified
from tests.factories import UserFactory, add_totp_device

pytestmark = pytest.mark.django_db


def editor(name):
    user = UserFactory(is_superuser=True, first_name=name, last_name="Redaktør")
    user.totp = add_totp_device(user)
    return user, login_verified(Client(), user)


@pytest.fixture
def two_editors():
    return editor("Anna"), editor("Bo")


def test_a_locked_page_cannot_be_saved_by_another_editor(home, two_editors):
    (anna, anna_client), (bo, bo_client) = two_editors
    page = ArticleIndexPageFactory(parent=home, title="Artikler")
    assert anna_client.post(f"/admin/pages/{page.pk}/lock/").status_code == 302
    edit = bo_client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "locked" in edit.lower()
    bo_client.post(
        f"/admin/pages/{page.pk}/edit/", {"title": "Bo's titel", "slug": page.slug, "action-publish": "1"}
    )
    page.refresh_from_db()
    assert page.title == "Artikler" and page.locked and page.locked_by == anna
    assert anna_client.post(f"/admin/pages/{page.pk}/unlock/").status_code == 302
    bo_client.post(
        f"/admin/pages/{page.pk}/edit/", {"title": "Bo's titel", "slug": page.slug, "action-publish": "1"}
    )
    page.refresh_from_db()
    assert page.title == "Bo's titel"


def logo_form(logo):
    return {"name": "Overskrevet", "image": logo.image_id, "url": "", "active": "on"}


def authority_form(authority):
    fields = ("name_en", "address", "postal_code", "city", "phone", "email", "website")
    return {"name": "Overskrevet", **{f: getattr(authority, f) for f in fields}}


def tag_form(tag):
    return {"name": "Overskrevet", "slug": tag.slug}


def issue_form(issue):
    return {"subject_da": "Overskrevet", "body_da": issue.body_da, "subject_en": "", "body_en": ""}


# Snippets no editor edits: what visitors and the scanner wrote is evidence, kept as it came.
NOT_EDITED = {
    "newsletter.Subscriber": "read-only in the admin (unsubscribe and delete only)",
    "consent.ConsentRecord": "proof of a visitor's consent, read-only",
    "consent.CookieScan": "the scanner's record, read-only",
    "contact.ContactMessage": "a visitor's message; editors mark it handled, they do not rewrite it",
}


def test_every_snippet_an_editor_edits_can_be_locked():
    """A new editable snippet without the lock fails here, so two editors cannot overwrite each other."""
    unlockable = sorted(
        model._meta.label
        for model in get_snippet_models()
        if not issubclass(model, LockableMixin) and model._meta.label not in NOT_EDITED
    )
    assert unlockable == []
    assert all(label in {m._meta.label for m in get_snippet_models()} for label in NOT_EDITED)


def script_form(script):
    return {
        "name": "Overskrevet",
        "category": script.category,
        "src": script.src,
        "active": "on",
        "sort_order": "0",
    }


@pytest.mark.parametrize(
    "make,url,form",
    [
        (lambda: CustomerLogoFactory(name="Kunde A/S"), "/admin/snippets/cms_pages/customerlogo/", logo_form),
        (SupervisoryAuthority.objects.get, "/admin/snippets/contact/supervisoryauthority/", authority_form),
        (
            lambda: TrackingScript.objects.create(
                name="Stats", category="statistics", src="https://s.example/a.js"
            ),
            "/admin/snippets/consent/trackingscript/",
            script_form,
        ),
        (
            lambda: ArticleTag.objects.create(name="Ferie", slug="ferie"),
            "/admin/snippets/cms_pages/articletag/",
            tag_form,
        ),
        (
            lambda: NewsletterIssue.objects.create(subject_da="Nyt i januar", body_da="Hej"),
            "/admin/snippets/newsletter/newsletterissue/",
            issue_form,
        ),
    ],
)
def test_snippets_can_be_locked_and_a_lock_holds(home, two_editors, make, url, form):
    (anna, anna_client), (bo, bo_client) = two_editors
    snippet = make()
    field = next(name for name, value in form(snippet).items() if value == "Overskrevet")
    before = getattr(snippet, field)
    assert anna_client.post(f"{url}lock/{snippet.pk}/").status_code == 302
    snippet.refresh_from_db()
    assert snippet.locked and snippet.locked_by == anna
    edit = bo_client.get(f"{url}edit/{snippet.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "locked" in edit.lower()
    bo_client.post(f"{url}edit/{snippet.pk}/", form(snippet))
    snippet.refresh_from_db()
    assert getattr(snippet, field) == before
    # The same post once Anna unlocks: it was a valid edit, only the lock refused it.
    assert anna_client.post(f"{url}unlock/{snippet.pk}/").status_code == 302
    assert bo_client.post(f"{url}edit/{snippet.pk}/", form(snippet)).status_code == 302
    snippet.refresh_from_db()
    assert getattr(snippet, field) == "Overskrevet"


def test_each_editor_is_told_that_the_other_is_editing_and_saved_a_newer_revision(home, two_editors):
    (anna, anna_client), (bo, bo_client) = two_editors
    page = ArticleIndexPageFactory(parent=home, title="Artikler")
    opened = page.save_revision(user=anna)
    assert anna_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert bo_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    bo_session = EditingSession.objects.get(user=bo)
    ping = f"/admin/editing-sessions/ping/wagtailcore/page/{page.pk}/{bo_session.pk}/"
    others = bo_client.post(ping, {"is_editing": "1", "revision_id": opened.pk}).json()["other_sessions"]
    assert [s["user"] for s in others] == [get_user_display_name(anna)]
    newer = page.save_revision(user=anna)  # Anna saves while Bo still has the old revision open
    others = bo_client.post(ping, {"is_editing": "1", "revision_id": opened.pk}).json()["other_sessions"]
    assert others[0]["user"] == get_user_display_name(anna) and others[0]["revision_id"] == newer.pk

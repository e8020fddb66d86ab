"""The public version history: only published versions, readable as they were, compared as a word diff."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from cms_pages.models import PolicyPage
from cms_pages.versions import diff_html, text_blocks
from tests.cms_pages.conftest import NEW_TEXT, OLD_TEXT
from tests.cms_pages.factories import body, publish

pytestmark = pytest.mark.django_db


def test_history_lists_only_published_versions_newest_first(client, policy):
    response = client.get("/da/privatlivspolitik/versioner/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ny adresse." in html and "Første udgave." in html
    assert html.index("Ny adresse.") < html.index("Første udgave.")
    assert "HEMMELIGT UDKAST" not in html
    versions = policy.published_versions()
    assert [v.change_summary for v in versions] == ["Ny adresse.", "Første udgave."]
    assert [v.valid_from for v in versions] == [datetime.date(2022, 2, 4), datetime.date(2018, 2, 4)]
    assert policy.draft_revision.pk not in {v.revision_id for v in versions}


def test_a_scheduled_version_stays_out_of_the_history_until_it_goes_live(client, policy):
    policy.change_summary = "Planlagt version."
    policy.go_live_at = timezone.now() + datetime.timedelta(days=3)
    policy.save_revision().publish()
    assert "Planlagt version." not in client.get("/da/privatlivspolitik/versioner/").content.decode()
    assert "Planlagt version." not in client.get("/da/privatlivspolitik/").content.decode()


def test_a_scheduled_version_joins_the_history_when_publish_scheduled_puts_it_live(client, policy):
    """Wagtail logs a scheduled go-live as "wagtail.publish.scheduled", not "wagtail.publish"."""
    policy.change_summary = "Planlagt version."
    policy.go_live_at = timezone.now() + datetime.timedelta(days=3)
    revision = policy.save_revision()
    revision.publish()
    with freeze_time(timezone.now() + datetime.timedelta(days=4)):
        call_command("publish_scheduled")
    history = client.get("/da/privatlivspolitik/versioner/").content.decode()
    assert "Planlagt version." in history
    assert history.index("Planlagt version.") < history.index("Ny adresse.")
    assert client.get(f"/da/privatlivspolitik/versioner/{revision.pk}/").status_code == 200
    assert policy.published_versions()[0].revision_id == revision.pk


def test_an_old_version_reads_as_it_was(client, policy):
    oldest = policy.published_versions()[-1]
    html = client.get(f"/da/privatlivspolitik/versioner/{oldest.revision_id}/").content.decode()
    assert "Borgergade 28" in html
    assert "Carl Jacobsens Vej 35" not in html
    assert "4. februar 2018" in html


def test_compare_marks_the_known_insertion_and_deletion(client, policy):
    new, old = policy.published_versions()
    response = client.get(f"/da/privatlivspolitik/versioner/sammenlign/{old.revision_id}/{new.revision_id}/")
    html = response.content.decode()
    diff = html[html.index('<div class="diff">') :]
    assert "5 år<ins> fra regnskabsårets udløb</ins>." in diff
    assert re.search(r"<del>[^<]*Borgergade 28,[^<]*</del>", diff)
    assert re.search(r"<ins>[^<]*Carl Jacobsens Vej 35,[^<]*</ins>", diff)
    assert "&lt;p&gt;" not in diff and "block-paragraph" not in diff  # text, not markup


def test_compare_accepts_the_history_form_and_orders_old_before_new(client, policy):
    new, old = policy.published_versions()
    response = client.get(
        f"/da/privatlivspolitik/versioner/sammenlign/?from={new.revision_id}&to={old.revision_id}"
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].endswith(f"/sammenlign/{old.revision_id}/{new.revision_id}/")


def test_diff_ignores_markup_and_escapes_text():
    old = '<p>Se <a href="https://a.example">vores side</a>.</p>'
    new = '<p>Se <a href="https://b.example">vores side</a>.</p><p>Ny &lt;script&gt; tekst</p>'
    result = diff_html(old, new)
    assert "vores side" in result and "<del>" not in result
    assert "<ins>Ny &lt;script&gt; tekst</ins>" in result
    assert text_blocks("<ul><li>en</li><li>to</li></ul>") == ["en", "to"]


def test_drafts_and_unpublished_revisions_are_not_served(client, policy):
    draft_id = policy.draft_revision.pk
    for url in (
        f"/da/privatlivspolitik/versioner/{draft_id}/",
        f"/da/privatlivspolitik/versioner/sammenlign/{policy.live_revision_id}/{draft_id}/",
    ):
        assert client.get(url).status_code == 404
    html = client.get(f"/da/privatlivspolitik/?revision={draft_id}").content.decode()
    assert "Dette udkast" not in html and "Carl Jacobsens Vej 35" in html


def test_a_revision_of_another_page_is_not_a_version(client, policy, home):
    other = PolicyPage.objects.get(pk=policy.pk).copy(
        update_attrs={"slug": "cookiepolitik", "kind": "cookie"}
    )
    revision = publish(other, body=body("Cookie-tekst"))
    assert client.get(f"/da/privatlivspolitik/versioner/{revision.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/{page}/edit/preview/",
        "/admin/pages/{page}/revisions/{draft}/view/",
        "/admin/pages/{page}/revisions/compare/live...{draft}/",
        "/admin/pages/{page}/history/",
    ],
)
def test_anonymous_visitors_cannot_reach_previews_or_revisions(app_client, policy, path):
    response = app_client.get(path.format(page=policy.pk, draft=policy.draft_revision.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")
    assert "Dette udkast" not in response.content.decode()


def test_version_contract(policy):
    current = PolicyPage.current("privacy", "da")
    assert current.pk == policy.pk
    assert current.version_id == f"2022-02-04.{policy.live_revision_id}"
    assert PolicyPage.current("cookie", "da") is None
    assert PolicyPage.current("privacy", "en") is None  # not translated yet
    newest = current.published_versions()[0]
    assert newest.revision_id == policy.live_revision_id
    assert newest.published_at <= timezone.now()
    assert newest.material_change is False


def test_translated_history_follows_the_source(client, policy, translate_page):
    english = translate_page(
        policy,
        {
            "Privatlivspolitik": "Privacy policy",
            "privatlivspolitik": "privacy-policy",
            "Ny adresse.": "New address.",
            NEW_TEXT: "Invoices are kept for 5 years.",
            OLD_TEXT: "Old text.",
        },
    )
    assert english.url == "/en/privacy-policy/"
    html = client.get("/en/privacy-policy/versions/").content.decode()
    assert "New address." in html
    assert 'href="/en/privacy-policy/versions/' in html
    assert "/versioner/" not in html.split("<main", 1)[1].split("</main>")[0]
    danish_links = client.get("/da/privatlivspolitik/versioner/").content.decode()
    assert 'hreflang="en" href="http://public.testserver/en/privacy-policy/versions/"' in danish_links


def test_a_comparison_is_diffed_once_per_pair_of_versions(client, policy, monkeypatch):
    """Revisions never change, so a second visit to a comparison reuses its diff (and still shows it)."""
    from cms_pages import versions

    newest, oldest = policy.published_versions()
    url = policy.compare_url(oldest.revision_id, newest.revision_id)
    first = client.get(url).content.decode()
    assert "<ins>" in first
    monkeypatch.setattr(versions, "diff_html", lambda *a: pytest.fail("diffed again"))
    assert client.get(url).content.decode() == first

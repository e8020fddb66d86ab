"""The version history in pages of 20, newest first: a long history costs what a short one does."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

pytestmark = pytest.mark.django_db

HISTORY = "/da/privatlivspolitik/versioner/"


def add_versions(policy, count):
    """`count` more published versions, "Udgave 00." oldest, each a minute after the last.

    Written in bulk, as the revisions and "wagtail.publish" log entries Wagtail's publish leaves behind:
    the history reads nothing else, and sixty real publishes would make this test slow for nothing.
    """
    base = policy.live_revision
    start = timezone.now() + datetime.timedelta(minutes=1)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type_id=base.content_type_id,
            base_content_type_id=base.base_content_type_id,
            object_id=base.object_id,
            object_str=base.object_str,
            created_at=start + datetime.timedelta(minutes=i),
            content={
                **base.content,
                "valid_from": f"{2030 + i}-01-01",
                "change_summary": f"Udgave {i:02d}.",
            },
        )
        for i in range(count)
    )
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            page_id=policy.pk,
            content_type_id=base.content_type_id,
            label=policy.title,
            action="wagtail.publish",
            revision=revision,
            timestamp=revision.created_at,
        )
        for revision in revisions
    )
    return revisions


def summaries_shown(html):
    """The change summaries in the history's table, top to bottom."""
    return re.findall(r"<td>(Udgave \d\d\.|Ny adresse\.|Første udgave\.)(?:</td>| <span)", html)


def history_queries(client, path=HISTORY):
    client.get(path)  # warm the caches, as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]  # before the next request clears them


def test_the_history_costs_the_same_queries_at_3_and_at_60_versions(
    client, policy, django_assert_max_num_queries
):
    add_versions(policy, 1)
    _response, at_three = history_queries(client)
    assert len(at_three) <= 8  # the public pages' bound (issue #20), savepoint pair included
    add_versions(policy, 57)
    client.get(HISTORY)
    with django_assert_max_num_queries(len(at_three), info="history with 60 versions"):
        response = client.get(HISTORY)
    assert len(summaries_shown(response.content.decode())) == 20
    revision_reads = [sql for sql in at_three if '"wagtailcore_revision"' in sql]
    assert revision_reads and all("LIMIT" in sql for sql in revision_reads if "COUNT(" not in sql)


def test_page_one_shows_the_20_newest_and_page_two_the_older_ones_with_a_link_back(client, policy):
    add_versions(policy, 23)  # 25 versions: 20 on page 1, 5 on page 2
    first = client.get(HISTORY).content.decode()
    assert summaries_shown(first) == [f"Udgave {i:02d}." for i in range(22, 2, -1)]
    assert 'aria-label="Sider i versionshistorikken"' in first
    assert '<span aria-current="page">Side 1 af 2</span>' in first
    assert f'<a href="{HISTORY}?page=2" rel="next">Ældre versioner</a>' in first
    assert "Nyere versioner" not in first

    second = client.get(f"{HISTORY}?page=2").content.decode()
    assert summaries_shown(second) == [
        "Udgave 02.",
        "Udgave 01.",
        "Udgave 00.",
        "Ny adresse.",
        "Første udgave.",
    ]
    assert '<span aria-current="page">Side 2 af 2</span>' in second
    assert f'<a href="{HISTORY}" rel="prev">Nyere versioner</a>' in second
    assert "Ældre versioner" not in second


def test_the_last_row_of_a_page_compares_with_the_first_row_of_the_next(client, policy):
    revisions = add_versions(policy, 23)
    first = client.get(HISTORY).content.decode()
    older, newer = revisions[2], revisions[3]  # "Udgave 02." opens page 2; "Udgave 03." closes page 1
    link = f'href="{HISTORY}sammenlign/{older.pk}/{newer.pk}/">Ændringer siden 1. januar 2032</a>'
    assert link in first
    assert client.get(f"{HISTORY}sammenlign/{older.pk}/{newer.pk}/").status_code == 200


def test_a_short_history_has_no_pagination(client, policy):
    html = client.get(HISTORY).content.decode()
    assert "Ny adresse." in html and "Første udgave." in html
    assert "aria-current" not in html.split("<main", 1)[1]
    assert "?page=" not in html


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc"])
def test_a_page_number_that_is_no_page_is_not_found(client, policy, page):
    assert client.get(f"{HISTORY}?page={page}").status_code == 404


def test_the_compare_form_offers_the_pages_versions_and_still_compares(client, policy):
    revisions = add_versions(policy, 23)
    second = client.get(f"{HISTORY}?page=2").content.decode()
    options = re.findall(r'<option value="(\d+)"', second)
    # Both selects list page 2's five versions, newest preselected as "to" and the next as "from".
    expected = [str(r.pk) for r in revisions[2::-1]] + [
        str(pk)
        for pk in (policy.published_versions()[-2].revision_id, policy.published_versions()[-1].revision_id)
    ]
    assert options == expected * 2
    response = client.get(f"{HISTORY}sammenlign/", {"from": revisions[0].pk, "to": revisions[1].pk})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_the_english_history_paginates_in_english(client, policy, translate_page):
    english = translate_page(
        policy, {"Privatlivspolitik": "Privacy policy", "privatlivspolitik": "privacy-policy"}
    )
    add_versions(english, 21)
    html = client.get("/en/privacy-policy/versions/").content.decode()
    assert 'aria-label="Version history pages"' in html
    assert '<span aria-current="page">Page 1 of 2</span>' in html
    assert '<a href="/en/privacy-policy/versions/?page=2" rel="next">Older versions</a>' in html

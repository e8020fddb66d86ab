"""A consent cookie is whatever the visitor's browser sends: a malformed one is no consent, never a 500."""

import uuid

import pytest

from cms_pages.consent.models import ConsentRecord
from cms_pages.consent.services import parse_cookie
from tests.conftest import public_client

GOOD_ID = "3f2b8c1e-8a51-4c3e-9d1f-2a7b6c5d4e3f"


@pytest.mark.parametrize(
    "value",
    [
        "scan|preferences+statistics+marketing|abc123|1700000000",  # what the cookie scanner used to send
        "not-a-uuid|statistics|abc|1700000000",
        "../../etc|statistics|abc|1700000000",
        f"{GOOD_ID}|statistics+root|abc|1700000000",  # a category the banner never offered
        f"{GOOD_ID}|statistics|abc|yesterday",
        f"{GOOD_ID}|statistics|abc",
        f"{GOOD_ID}|statistics|abc|1|extra",
        "",
        "%%%|||",
    ],
)
def test_a_malformed_cookie_is_no_consent(value):
    assert parse_cookie(value) is None


def test_a_well_formed_cookie_is_read():
    parsed = parse_cookie(f"{GOOD_ID.upper()}|statistics+marketing|abc|1700000000")
    assert parsed == {
        "consent_id": GOOD_ID,
        "categories": ["statistics", "marketing"],
        "epoch": "abc",
        "timestamp": "1700000000",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    "value", ["scan|preferences+statistics+marketing|abc123|1700000000", "x|y|z|w", f"{GOOD_ID}|evil|a|1"]
)
def test_settings_page_treats_a_malformed_cookie_as_no_consent(language, value):
    client = public_client(raise_request_exception=False)
    client.cookies["ansatte_consent"] = value
    response = client.get(f"/{language}/consent/settings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/{language}/consent/receipt/' not in html  # no receipt link for a choice never recorded
    assert 'name="categories" value="statistics" aria-describedby="settings-purpose-statistics">' in html


@pytest.mark.django_db
def test_a_new_choice_after_a_malformed_cookie_replaces_nothing():
    from tests.cms_pages.consent.test_consent_endpoints import csrf_client, give

    client, token = csrf_client()
    client.cookies["ansatte_consent"] = "scan|statistics|abc|1700000000"
    assert give(client, token, choice="reject_all", language="da").status_code == 201
    assert ConsentRecord.objects.get().replaces is None
    assert uuid.UUID(client.cookies["ansatte_consent"].value.split("|")[0])

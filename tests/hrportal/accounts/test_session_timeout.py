"""Idle timeout of portal and admin sessions (30 minutes by default, configurable), the warning before it,
and the 8-hour absolute limit that activity does not extend."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from tests.conftest import login_verified
from tests.factories import UserFactory, add_totp_device

pytestmark = pytest.mark.django_db


def later(**delta):
    return freeze_time(timezone.now() + timedelta(**delta))


def logged_in(client) -> bool:
    response = client.get("/portal/")
    return response.status_code == 200


def test_thirty_minutes_without_activity_end_the_portal_session(admin_client):
    with later(minutes=29):
        assert logged_in(admin_client)  # activity: the clock starts again
    with later(minutes=29 + 29):
        assert logged_in(admin_client)
    with later(minutes=29 + 29 + 31):
        response = admin_client.get("/portal/employees/", HTTP_ACCEPT_LANGUAGE="da")
        assert response.status_code == 302
        assert response["Location"] == "/portal/login/?next=%2Fportal%2Femployees%2F"
        page = admin_client.get(response["Location"])
        assert "Du blev logget ud efter 30 minutter uden aktivitet." in page.content.decode()
    assert not logged_in(admin_client)  # the session itself is gone, not just refused once
    assert "_auth_user_id" not in admin_client.session


def test_the_idle_timeout_is_a_setting(admin_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    with later(minutes=6):
        assert not logged_in(admin_client)


def test_the_wagtail_admin_has_the_same_idle_timeout_and_its_pings_are_not_activity():
    editor = UserFactory(is_superuser=True)
    editor.totp = add_totp_device(editor)
    client = login_verified(Client(), editor)
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert 'data-session-status-url="/portal/session/"' in admin.content.decode()  # the warning, in the admin
    with later(minutes=20):
        # What an open edit page sends by itself (Wagtail's editing-session ping) and the warning's status
        # check: neither keeps an idle session alive.
        client.get("/portal/session/", HTTP_ACCEPT="application/json")
    with later(minutes=31):
        response = client.get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_eight_hours_after_login_the_session_ends_whatever_the_activity(admin_client):
    for minutes in range(20, 8 * 60, 20):
        with later(minutes=minutes):
            assert logged_in(admin_client), minutes
    with later(hours=8, minutes=1):
        response = admin_client.get("/portal/", HTTP_ACCEPT_LANGUAGE="da")
        assert response.status_code == 302
        page = admin_client.get(response["Location"])
        assert "Du blev logget ud: et login varer højst 8 timer." in page.content.decode()


def test_pages_carry_the_warning_script_and_the_status_says_how_long_is_left(admin_client, settings):
    html = admin_client.get("/portal/").content.decode()
    assert (
        'src="/static/js/session-timeout.js"' in html and 'data-session-status-url="/portal/session/"' in html
    )
    with later(minutes=10):
        status = admin_client.get("/portal/session/", HTTP_ACCEPT="application/json").json()
    assert 19 * 60 <= status["remaining"] <= 20 * 60
    assert status["warn"] == settings.SESSION_IDLE_WARNING == 120
    assert status["button"] and status["message"]
    # The status check did not count as activity: 10 + 21 minutes later the session is over.
    with later(minutes=31):
        assert admin_client.get("/portal/session/", HTTP_ACCEPT="application/json").status_code == 401


def test_the_warnings_button_keeps_the_session(admin_client):
    with later(minutes=29):
        status = admin_client.get("/portal/session/", HTTP_ACCEPT="application/json").json()
        assert status["remaining"] <= 60
        response = admin_client.post(
            status["keepalive"], HTTP_ACCEPT="application/json", HTTP_X_CSRFTOKEN=status["csrf"]
        )
        assert response.status_code == 200 and response.json()["remaining"] >= 29 * 60
    with later(minutes=29 + 29):
        assert logged_in(admin_client)


def test_the_warning_is_in_danish_and_english(admin_client, admin_user):
    admin_user.language = "da"
    admin_user.save()
    danish = admin_client.get("/portal/session/").json()
    assert danish["message"] == "Du bliver snart logget ud, fordi du ikke har været aktiv."
    assert danish["button"] == "Forbliv logget ind"
    admin_user.language = "en"
    admin_user.save()
    english = admin_client.get("/portal/session/").json()
    assert english["button"] == "Stay logged in"

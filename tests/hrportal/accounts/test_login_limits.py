"""Limits beside axes' per-account lockout: login spraying from one IP, and password-reset emails per
address and per IP."""

import pytest
from django.test import Client

from tests.conftest import make_admin, next_code
from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"


def login(client, email, password):
    return client.post("/portal/login/", {"username": email, "password": password}, HTTP_ACCEPT_LANGUAGE="da")


def test_spraying_wrong_passwords_over_many_accounts_from_one_ip_is_stopped(settings, admin_user):
    settings.LOGIN_FAILURES_PER_IP = 20
    attacker = Client(REMOTE_ADDR=ATTACKER)
    victims = [UserFactory(email=f"ansat{n}@example.test") for n in range(40)]
    answers = [login(attacker, victim.email, "Sommer2026!").status_code for victim in victims]
    # Each account saw one wrong password only (axes never locks), yet the IP is stopped after 20.
    assert answers[:20] == [200] * 20
    assert set(answers[20:]) == {429}
    # Even a right password from that IP is refused now, with a message saying why and for how long.
    response = login(attacker, admin_user.email, DEMO_PASSWORD)
    assert response.status_code == 429
    assert "For mange mislykkede login fra dit netværk. Vent 15 minutter" in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    # Another IP is not affected: the same user logs in there with both factors.
    office = Client(REMOTE_ADDR=OFFICE)
    response = login(office, admin_user.email, DEMO_PASSWORD)
    assert response.status_code == 302
    assert office.post("/portal/login/verify/", {"code": next_code(admin_user.totp)}).status_code == 302


def test_the_ip_limit_ends_after_the_cool_off(settings, admin_user):
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    settings.LOGIN_FAILURES_PER_IP = 3
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(3):
        login(attacker, f"x{n}@example.test", "wrong")
    assert login(attacker, admin_user.email, DEMO_PASSWORD).status_code == 429
    with freeze_time(timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)):
        assert login(attacker, admin_user.email, DEMO_PASSWORD).status_code == 302


def test_a_colleagues_successful_login_does_not_reset_the_ip_count(settings, company):
    settings.LOGIN_FAILURES_PER_IP = 5
    attacker = Client(REMOTE_ADDR=ATTACKER)
    accomplice = make_admin(company)
    for n in range(4):
        login(attacker, f"x{n}@example.test", "wrong")
    assert login(Client(REMOTE_ADDR=ATTACKER), accomplice.email, DEMO_PASSWORD).status_code == 302
    login(attacker, "x9@example.test", "wrong")
    assert login(attacker, "x10@example.test", "wrong").status_code == 429


def reset(client, email):
    return client.post("/portal/password-reset/", {"email": email}, HTTP_ACCEPT_LANGUAGE="da")


def test_password_reset_emails_are_limited_per_address(settings, admin_user, mailoutbox):
    settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 3
    # Each from another network: the per-IP limit counts per /24 (config.requests.hash_ip), not tested here.
    answers = [reset(Client(REMOTE_ADDR=f"198.51.{n}.7"), admin_user.email) for n in range(10)]
    assert [a.status_code for a in answers] == [302] * 3 + [429] * 7
    assert len(mailoutbox) == 3
    assert "For mange anmodninger om nulstilling. Vent en time" in answers[-1].content.decode()
    # The same limit for an address without an account: the answer tells nothing about accounts.
    unknown = [reset(Client(REMOTE_ADDR=f"203.0.{n}.7"), "ingen@example.test").status_code for n in range(5)]
    assert unknown == [302] * 3 + [429] * 2
    # Another spelling of the same address is the same address.
    assert reset(Client(REMOTE_ADDR="192.0.2.99"), admin_user.email.upper()).status_code == 429


def test_password_reset_emails_are_limited_per_ip(settings, mailoutbox):
    settings.PASSWORD_RESET_PER_IP_PER_HOUR = 10
    users = [UserFactory(email=f"ansat{n}@example.test") for n in range(15)]
    attacker = Client(REMOTE_ADDR=ATTACKER)
    answers = [reset(attacker, user.email).status_code for user in users]
    assert answers == [302] * 10 + [429] * 5
    assert len(mailoutbox) == 10
    assert reset(Client(REMOTE_ADDR=OFFICE), users[-1].email).status_code == 302


def test_password_reset_refuses_with_a_message_when_the_counts_cannot_be_kept(settings, mailoutbox):
    from config.cache import caches_for
    from tests.config.test_redis_outage import free_port

    user = UserFactory(email="ida@example.test")
    settings.CACHES = caches_for(f"redis://127.0.0.1:{free_port()}/0")
    response = reset(Client(), user.email)
    assert response.status_code == 503
    assert "Nulstilling af adgangskode er ikke mulig lige nu" in response.content.decode()
    assert mailoutbox == []

"""Two-factor login: TOTP computed by pyotp, replay refused, backup codes, lockout, password flows."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from hrportal.accounts.devices import BackupCode, TOTPDevice
from hrportal.accounts.twofactor import verify_code
from hrportal.audit.models import Action, AuditEvent
from tests.conftest import login_password_only, login_verified, next_code
from tests.factories import DEMO_PASSWORD, add_backup_codes
from tests.hrportal.helpers import last_email_link, path_of


@pytest.mark.django_db
def test_login_with_password_and_a_pyotp_code_reaches_the_dashboard(admin_user, company):
    client = Client()
    response = client.post("/portal/login/", {"username": admin_user.email, "password": DEMO_PASSWORD})
    assert response["Location"].startswith("/portal/login/verify/")
    assert client.get("/portal/").status_code == 302  # not yet
    response = client.post("/portal/login/verify/?next=/portal/", {"code": next_code(admin_user.totp)})
    assert response["Location"] == "/portal/"
    page = client.get("/portal/")
    assert page.status_code == 200 and company.name in page.content.decode()
    assert AuditEvent.objects.filter(
        company_id=company.pk, action=Action.LOGIN, actor_id=admin_user.pk
    ).exists()


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(admin_user):
    code = next_code(admin_user.totp)
    first = login_password_only(Client(), admin_user)
    assert first.post("/portal/login/verify/", {"code": code}).status_code == 302
    second = login_password_only(Client(), admin_user)
    response = second.post("/portal/login/verify/", {"code": code})
    assert response.status_code == 200
    assert second.get("/portal/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.OTP_FAILED, actor_id=admin_user.pk).count() == 1


@pytest.mark.django_db
def test_wrong_codes_are_throttled(admin_user):
    client = login_password_only(Client(), admin_user)
    right = next_code(admin_user.totp)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    client.post("/portal/login/verify/", {"code": wrong})
    # Right after a failure the device is throttled: even the right code is refused for a moment.
    response = client.post("/portal/login/verify/", {"code": right})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=admin_user)
    assert device.throttling_failure_count >= 1


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_concurrent_uses_of_a_code_succeeds_on_postgresql(company):
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks (SELECT ... FOR UPDATE) are what this proves; SQLite serialises writers anyway"
        )
    from tests.conftest import make_admin

    user = make_admin(company)
    code = next_code(user.totp)
    results = []
    barrier = threading.Barrier(2)

    def attempt():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(verify_code(user, code) is not None)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]


@pytest.mark.django_db
def test_the_stored_totp_column_does_not_hold_the_secret(admin_user):
    import base64

    device = TOTPDevice.objects.get(user=admin_user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT encrypted_key FROM accounts_totpdevice WHERE id = %s", [device.pk])
        (stored,) = cursor.fetchone()
    secret_b32 = admin_user.totp.secret.rstrip("=").upper()
    raw_key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    assert stored.startswith("v1.")  # an AES-GCM token
    for form in (secret_b32, secret_b32.lower(), raw_key.hex(), base64.b64encode(raw_key).decode()):
        assert form not in stored
    assert device.base32_key == secret_b32  # and it still decrypts to the secret the app holds


@pytest.mark.django_db
def test_backup_codes_are_single_use_and_stored_hashed(admin_user):
    codes = add_backup_codes(admin_user)
    stored = list(BackupCode.objects.filter(device__user=admin_user).values_list("code_hash", flat=True))
    assert len(stored) == 10
    for code in codes:
        assert code.replace("-", "") not in " ".join(stored)
    client = login_password_only(Client(), admin_user)
    assert client.post("/portal/login/verify/", {"code": codes[0]}).status_code == 302
    assert client.get("/portal/").status_code == 200
    again = login_password_only(Client(), admin_user)
    assert again.post("/portal/login/verify/", {"code": codes[0]}).status_code == 200
    assert BackupCode.objects.filter(device__user=admin_user).count() == 9
    assert AuditEvent.objects.filter(action=Action.BACKUP_CODE_USED, actor_id=admin_user.pk).count() == 1


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_from_that_ip_until_the_cool_off(admin_user, settings):
    start = timezone.now()
    with freeze_time(start):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            Client().post("/portal/login/", {"username": admin_user.email, "password": "wrong password"})
        locked = Client().post("/portal/login/", {"username": admin_user.email, "password": DEMO_PASSWORD})
        assert locked.status_code == 429
    with freeze_time(start + timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)):
        response = Client().post("/portal/login/", {"username": admin_user.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() >= settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
def test_wrong_passwords_spread_over_spellings_of_the_email_share_one_lockout(admin_user, settings):
    local, domain = admin_user.email.split("@")
    spellings = [
        admin_user.email,
        admin_user.email.upper(),
        f"{local.capitalize()}@{domain}",
        f"  {local}@{domain.upper()} ",
    ]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        spelling = spellings[attempt % len(spellings)]
        response = Client().post("/portal/login/", {"username": spelling, "password": "wrong password"})
        if attempt < settings.AXES_FAILURE_LIMIT - 1:
            assert response.status_code == 200  # the form again: not locked before the limit
    for spelling in spellings:
        refused = Client().post("/portal/login/", {"username": spelling, "password": DEMO_PASSWORD})
        assert refused.status_code == 429, spelling


@pytest.mark.django_db
def test_changing_the_password_ends_the_users_other_sessions(admin_user):
    laptop = login_verified(Client(), admin_user)
    phone = login_verified(Client(), admin_user)
    response = laptop.post(
        "/portal/security/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Et-helt-nyt-kodeord-9",
            "new_password2": "Et-helt-nyt-kodeord-9",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/portal/").status_code == 200
    assert phone.get("/portal/").status_code == 302


@pytest.mark.django_db
def test_password_reset_never_skips_the_second_factor(admin_user, mailoutbox):
    client = Client()
    client.post("/portal/password-reset/", {"email": admin_user.email})
    link = path_of(last_email_link())
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Nulstillet-kode-2026", "new_password2": "Nulstillet-kode-2026"}
    )
    assert response["Location"] == "/portal/login/"
    assert client.get("/portal/").status_code == 302  # not logged in by the reset
    response = client.post(
        "/portal/login/", {"username": admin_user.email, "password": "Nulstillet-kode-2026"}
    )
    assert response["Location"].startswith("/portal/login/verify/")
    assert client.get("/portal/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET, actor_id=admin_user.pk).exists()


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_answers_the_same(client, mailoutbox):
    response = client.post("/portal/password-reset/", {"email": "nobody@example.test"})
    assert response["Location"] == "/portal/password-reset/sent/"
    assert mailoutbox == []


@pytest.mark.django_db
def test_wagtail_admin_needs_a_verified_session(db):
    from tests.factories import UserFactory, add_totp_device

    editor = UserFactory(is_superuser=True)
    editor.totp = add_totp_device(editor)
    client = login_password_only(Client(), editor)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/verify/")
    client.post("/portal/login/verify/", {"code": next_code(editor.totp)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_wagtails_own_login_page_cannot_be_used_to_skip_the_second_factor(admin_user):
    client = Client()
    response = client.post("/admin/login/", {"username": admin_user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_user_without_device_enrols_before_anything_else():
    user = get_user_model().objects.create_user(email="new@example.test", password=DEMO_PASSWORD)
    client = Client()
    response = client.post("/portal/login/", {"username": user.email, "password": DEMO_PASSWORD})
    assert response["Location"].startswith("/portal/two-factor/setup/")
    assert client.get("/portal/").status_code == 302


@pytest.mark.django_db
def test_a_user_with_a_device_cannot_enrol_another_with_a_password_only_session(admin_user):
    client = login_password_only(Client(), admin_user)
    response = client.get("/portal/two-factor/setup/")
    assert response.status_code == 302 and response["Location"] == "/portal/login/verify/"
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1


@pytest.mark.django_db
def test_open_redirects_after_login_are_refused(admin_user):
    client = login_password_only(Client(), admin_user)
    response = client.post(
        "/portal/login/verify/?next=https://evil.example/", {"code": next_code(admin_user.totp)}
    )
    assert response["Location"] == "/portal/"

"""A stolen verified session alone cannot replace the second factor: moving to a new authenticator app and
making new backup codes both take the password and a code from the current factor, and the owner is told
by email in their language. Codes are real TOTP codes computed by pyotp."""

import pyotp
import pytest
from django.test import Client

from hrportal.accounts.devices import BackupCode, TOTPDevice
from hrportal.audit.models import Action, AuditEvent
from tests.conftest import login_password_only, login_verified, next_code
from tests.factories import DEMO_PASSWORD, add_backup_codes

SETUP = "/portal/two-factor/setup/"
REGENERATE = "/portal/security/backup-codes/"


def _new_device(client, user):
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return device, pyotp.TOTP(device.base32_key)


def _old_device_still_in_charge(user, old_pk):
    confirmed = list(TOTPDevice.objects.filter(user=user, confirmed=True).values_list("pk", flat=True))
    return confirmed == [old_pk]


@pytest.mark.django_db
def test_a_verified_session_alone_cannot_replace_the_authenticator(admin_user, mailoutbox):
    client = login_verified(Client(), admin_user)
    old = TOTPDevice.objects.get(user=admin_user, confirmed=True)
    _device, new_app = _new_device(client, admin_user)

    response = client.post(SETUP, {"code": new_app.now()})
    assert response.status_code == 200 and 'data-testid="backup-codes"' not in response.content.decode()
    assert _old_device_still_in_charge(admin_user, old.pk)

    response = client.post(
        SETUP,
        {"password": "not the password", "current_code": next_code(admin_user.totp), "code": new_app.now()},
    )
    assert response.status_code == 200
    assert "Adgangskoden er forkert." in response.content.decode()
    assert _old_device_still_in_charge(admin_user, old.pk)
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 1  # counts towards the lockout
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_password_without_a_current_code_cannot_replace_the_authenticator(admin_user, mailoutbox):
    client = login_verified(Client(), admin_user)
    old = TOTPDevice.objects.get(user=admin_user, confirmed=True)
    _device, new_app = _new_device(client, admin_user)
    right = next_code(admin_user.totp)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for current_code in ("", wrong):
        response = client.post(
            SETUP, {"password": DEMO_PASSWORD, "current_code": current_code, "code": new_app.now()}
        )
        assert response.status_code == 200
        assert _old_device_still_in_charge(admin_user, old.pk)
    assert AuditEvent.objects.filter(action=Action.OTP_FAILED, actor_id=admin_user.pk).count() == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_and_current_code_move_the_login_to_the_new_app(
    admin_user, company, mailoutbox, django_capture_on_commit_callbacks
):
    client = login_verified(Client(), admin_user)
    old = TOTPDevice.objects.get(user=admin_user, confirmed=True)
    _device, new_app = _new_device(client, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SETUP,
            {
                "password": DEMO_PASSWORD,
                "current_code": next_code(admin_user.totp),
                "code": next_code(new_app),
            },
        )
    assert response.status_code == 200 and 'data-testid="backup-codes"' in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).count() == 1

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [admin_user.email]
    assert mail.subject == "Dit tofaktor-login er blevet ændret"
    assert "en ny godkendelsesapp har erstattet den gamle" in mail.body

    event = AuditEvent.objects.get(action=Action.OTP_ENROLLED, actor_id=admin_user.pk)
    assert event.company_id == company.pk and event.details == {"replaced": True}

    # The new app logs in (its next time step: the current one was used to confirm it).
    fresh = login_password_only(Client(), admin_user)
    response = fresh.post("/portal/login/verify/", {"code": next_code(new_app)})
    assert response.status_code == 302


@pytest.mark.django_db
def test_new_backup_codes_need_the_password_and_a_current_code(
    admin_user, company, mailoutbox, django_capture_on_commit_callbacks
):
    old_codes = add_backup_codes(admin_user)
    client = login_verified(Client(), admin_user)
    assert client.get(REGENERATE).status_code == 200

    for data in ({}, {"password": DEMO_PASSWORD}, {"current_code": old_codes[0]}):
        response = client.post(REGENERATE, data)
        assert response.status_code == 200 and 'data-testid="backup-codes"' not in response.content.decode()
    assert BackupCode.objects.filter(device__user=admin_user).count() == 10  # nothing replaced

    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGENERATE, {"password": DEMO_PASSWORD, "current_code": old_codes[1]})
    assert response.status_code == 200 and 'data-testid="backup-codes"' in response.content.decode()
    stored = set(BackupCode.objects.filter(device__user=admin_user).values_list("code_hash", flat=True))
    assert len(stored) == 10
    again = login_password_only(Client(), admin_user)
    assert again.post("/portal/login/verify/", {"code": old_codes[2]}).status_code == 200  # old codes gone

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Your two-factor login was changed"  # the user's language
    assert "new backup codes replaced the old ones" in mailoutbox[0].body
    assert AuditEvent.objects.filter(
        action=Action.BACKUP_CODES_GENERATED, actor_id=admin_user.pk, company_id=company.pk
    ).exists()

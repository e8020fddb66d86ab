"""Support's `reset_two_factor` command: for the users no company admin may reset (staff, superusers,
members of several companies). Codes are real TOTP codes from pyotp."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice
from hrportal.audit.log import verify_chain
from hrportal.audit.models import Action, AuditEvent
from tests.conftest import login_password_only, login_verified, next_code
from tests.factories import DEMO_PASSWORD, MembershipFactory, add_backup_codes


@pytest.mark.django_db
def test_support_resets_a_member_of_two_companies_and_each_company_sees_it(
    admin_user, company, other_company
):
    MembershipFactory(user=admin_user, company=other_company)
    add_backup_codes(admin_user)
    laptop = login_verified(Client(), admin_user)
    call_command("reset_two_factor", admin_user.email.upper(), verbosity=0)
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    assert not BackupCodeDevice.objects.filter(user=admin_user).exists()
    assert laptop.get("/portal/").status_code == 302  # logged out everywhere
    response = Client().post("/portal/login/", {"username": admin_user.email, "password": DEMO_PASSWORD})
    assert response["Location"].startswith("/portal/two-factor/setup/")  # enrols anew
    for company_id in (company.pk, other_company.pk):
        event = AuditEvent.objects.get(company_id=company_id, action=Action.DEVICE_RESET)
        assert event.target_id == str(admin_user.pk) and event.details == {"by": "support_command"}
        assert verify_chain(company_id) is None


@pytest.mark.django_db
def test_support_resets_staff_without_a_company(staff_user):
    call_command("reset_two_factor", staff_user.email, verbosity=0)
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert AuditEvent.objects.filter(
        company_id=None, action=Action.DEVICE_RESET, target_id=str(staff_user.pk)
    ).exists()


@pytest.mark.django_db
def test_throttle_only_lifts_the_wait_and_keeps_the_authenticator(admin_user, company, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 600  # one wrong code: ten minutes' wait
    client = login_password_only(Client(), admin_user)
    right = next_code(admin_user.totp)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    client.post("/portal/login/verify/", {"code": wrong})
    assert client.post("/portal/login/verify/", {"code": right}).status_code == 200  # waiting
    call_command("reset_two_factor", admin_user.email, "--throttle-only", verbosity=0)
    device = TOTPDevice.objects.get(user=admin_user)
    assert device.throttling_failure_count == 0 and device.confirmed
    assert client.post("/portal/login/verify/", {"code": right}).status_code == 302  # the wait is over
    assert AuditEvent.objects.filter(
        company_id=company.pk, action=Action.TWO_FACTOR_THROTTLE_RESET, target_id=str(admin_user.pk)
    ).exists()
    assert not AuditEvent.objects.filter(action=Action.DEVICE_RESET).exists()


@pytest.mark.django_db
def test_an_unknown_email_is_an_error_and_changes_nothing(admin_user):
    with pytest.raises(CommandError):
        call_command("reset_two_factor", "nobody@example.test", verbosity=0)
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    assert not AuditEvent.objects.filter(action=Action.DEVICE_RESET).exists()

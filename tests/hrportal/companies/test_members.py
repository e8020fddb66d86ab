"""The rules between administrators of one company (hrportal/companies/members.py), called directly.

The users page goes through the same functions (test_users.py); here each refusal is tried on its own,
including what the page never offers, so a new caller cannot get round a rule the page happens to hide.
"""

import pytest
from django.test import Client
from django.utils import translation

from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice
from hrportal.audit.models import Action, AuditEvent
from hrportal.companies import members
from hrportal.companies.models import Membership
from tests.conftest import login_verified, make_admin
from tests.factories import DEMO_PASSWORD, MembershipFactory


def membership_of(user, company):
    return Membership.objects.select_related("user").get(user=user, company=company)


def events(company, action):
    return AuditEvent.objects.filter(company_id=company.pk, action=action)


@pytest.mark.django_db
def test_an_admin_cannot_remove_themselves(company, admin_user):
    own = membership_of(admin_user, company)
    with translation.override("en"), pytest.raises(members.Refused, match="cannot remove yourself"):
        members.check_removal(own, admin_user)
    with pytest.raises(members.Refused):
        members.remove(own, actor=admin_user)
    assert Membership.objects.filter(pk=own.pk).exists()
    assert not events(company, Action.USER_REMOVED).exists()


@pytest.mark.django_db
def test_the_last_administrator_stays(company, admin_user):
    """Only members administer a company, and a member cannot remove themselves: the sole one stays."""
    assert Membership.objects.filter(company=company).count() == 1
    with pytest.raises(members.Refused):
        members.remove(membership_of(admin_user, company), actor=admin_user)
    assert Membership.objects.filter(company=company, user=admin_user).exists()


@pytest.mark.django_db
def test_removing_a_colleague_of_this_company_only_closes_their_account(company, admin_user):
    colleague = make_admin(company)
    BackupCodeDevice.objects.create(user=colleague, name="backup", confirmed=True)
    membership = membership_of(colleague, company)
    members.check_removal(membership, admin_user)  # allowed: no exception

    removed = members.remove(membership, actor=admin_user)

    assert removed == colleague
    assert not Membership.objects.filter(user=colleague).exists()
    colleague.refresh_from_db()
    assert not colleague.is_active and not colleague.has_usable_password()
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not BackupCodeDevice.objects.filter(user=colleague).exists()
    [event] = events(company, Action.USER_REMOVED)
    assert event.actor_id == admin_user.pk and event.target_id == str(colleague.pk)


@pytest.mark.django_db
def test_removing_a_member_of_another_company_too_keeps_their_account(company, other_company, admin_user):
    shared = make_admin(company)
    MembershipFactory(user=shared, company=other_company)

    members.remove(membership_of(shared, company), actor=admin_user)

    shared.refresh_from_db()
    assert shared.is_active and shared.check_password(DEMO_PASSWORD)
    assert TOTPDevice.objects.filter(user=shared).exists()
    assert Membership.objects.filter(user=shared, company=other_company).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_removing_staff_or_a_superuser_keeps_their_account(company, admin_user, flag):
    insider = make_admin(company)
    setattr(insider, flag, True)
    insider.save(update_fields=[flag])

    members.remove(membership_of(insider, company), actor=admin_user)

    insider.refresh_from_db()
    assert insider.is_active and insider.check_password(DEMO_PASSWORD)
    assert TOTPDevice.objects.filter(user=insider).exists()
    assert not Membership.objects.filter(user=insider, company=company).exists()


@pytest.mark.django_db
def test_a_colleague_of_this_company_alone_gets_their_device_reset_and_sessions_ended(company, admin_user):
    colleague = make_admin(company)
    BackupCodeDevice.objects.create(user=colleague, name="backup", confirmed=True)
    colleague_client = login_verified(Client(), colleague)
    membership = membership_of(colleague, company)
    members.check_device_reset(membership)  # allowed: no exception

    members.reset_device(membership, actor=admin_user)

    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not BackupCodeDevice.objects.filter(user=colleague).exists()
    assert colleague_client.get("/portal/").status_code == 302  # logged out everywhere
    colleague.refresh_from_db()
    assert colleague.is_active  # the account stays: they enrol again at next login
    [event] = events(company, Action.DEVICE_RESET)
    assert event.actor_id == admin_user.pk and event.target_id == str(colleague.pk)


@pytest.mark.django_db
def test_a_member_of_another_company_too_is_left_to_support(company, other_company, admin_user):
    shared = make_admin(company)
    MembershipFactory(user=shared, company=other_company)
    membership = membership_of(shared, company)
    with translation.override("en"), pytest.raises(members.Refused, match="Ansatte's support"):
        members.check_device_reset(membership)
    with pytest.raises(members.Refused):
        members.reset_device(membership, actor=admin_user)
    assert TOTPDevice.objects.filter(user=shared).exists()
    assert not events(company, Action.DEVICE_RESET).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_and_superusers_are_left_to_support(company, admin_user, flag):
    insider = make_admin(company)
    setattr(insider, flag, True)
    insider.save(update_fields=[flag])
    with pytest.raises(members.Refused):
        members.reset_device(membership_of(insider, company), actor=admin_user)
    assert TOTPDevice.objects.filter(user=insider).exists()


@pytest.mark.django_db
def test_an_admin_may_reset_their_own_device(company, admin_user):
    """Not a refusal today: an admin alone in this company may reset their own authenticator too."""
    members.reset_device(membership_of(admin_user, company), actor=admin_user)
    assert not TOTPDevice.objects.filter(user=admin_user).exists()

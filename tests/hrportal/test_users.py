"""Company admins invite, see and remove administrators, and reset a colleague's lost authenticator."""

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hrportal.accounts.devices import TOTPDevice
from hrportal.audit.models import Action, AuditEvent
from hrportal.companies.models import Membership
from tests.conftest import login_verified, make_admin
from tests.factories import DEMO_PASSWORD
from tests.hrportal.helpers import last_email_link, path_of


@pytest.mark.django_db
def test_invite_accept_and_enrol(admin_client, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/portal/users/invite/", {"name": "Ole Olsen", "email": "ole@demo.dk"})
    assert response.status_code == 302
    assert "ole@demo.dk" in admin_client.get("/portal/users/").content.decode()
    link = path_of(last_email_link())
    invited = Client()
    assert invited.get(link).status_code == 200
    response = invited.post(
        link, {"new_password1": "Oles-kodeord-2026", "new_password2": "Oles-kodeord-2026"}
    )
    assert response["Location"].startswith("/portal/two-factor/setup/")
    invited.get("/portal/two-factor/setup/")
    device = TOTPDevice.objects.get(user__email="ole@demo.dk", confirmed=False)
    invited.post("/portal/two-factor/setup/", {"code": pyotp.TOTP(device.base32_key).now()})
    assert company.name in invited.get("/portal/").content.decode()
    assert Client().get(link).status_code == 400  # the link dies once used
    actions = set(AuditEvent.objects.filter(company_id=company.pk).values_list("action", flat=True))
    assert {Action.USER_INVITED, Action.USER_JOINED} <= actions


@pytest.mark.django_db
def test_invite_refuses_an_existing_email(admin_client, admin_user):
    response = admin_client.post("/portal/users/invite/", {"name": "X", "email": admin_user.email})
    assert response.status_code == 400
    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_remove_asks_for_confirmation_then_removes_and_logs(admin_client, company):
    colleague = make_admin(company)
    page = admin_client.get(f"/portal/users/{colleague.pk}/remove/")
    assert page.status_code == 200 and Membership.objects.filter(user=colleague).exists()
    admin_client.post(f"/portal/users/{colleague.pk}/remove/")
    assert not Membership.objects.filter(user=colleague).exists()
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.USER_REMOVED).exists()
    response = Client().post("/portal/login/", {"username": colleague.email, "password": DEMO_PASSWORD})
    assert response.status_code == 200  # cannot log in any more


@pytest.mark.django_db
def test_an_admin_cannot_remove_themselves(admin_client, admin_user):
    admin_client.post(f"/portal/users/{admin_user.pk}/remove/")
    assert Membership.objects.filter(user=admin_user).exists()


@pytest.mark.django_db
def test_device_reset_by_a_colleague_makes_the_user_enrol_again(admin_client, company):
    colleague = make_admin(company)
    admin_client.post(f"/portal/users/{colleague.pk}/reset-device/")
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    client = Client()
    response = client.post("/portal/login/", {"username": colleague.email, "password": DEMO_PASSWORD})
    assert response["Location"].startswith("/portal/two-factor/setup/")
    assert AuditEvent.objects.filter(company_id=company.pk, action=Action.DEVICE_RESET).exists()


@pytest.mark.django_db
def test_removed_colleague_session_ends(company, admin_client):
    colleague = make_admin(company)
    colleague_client = login_verified(Client(), colleague)
    admin_client.post(f"/portal/users/{colleague.pk}/remove/")
    assert colleague_client.get("/portal/").status_code == 302
    assert get_user_model().objects.filter(pk=colleague.pk, is_active=False).exists()


@pytest.mark.django_db
def test_device_reset_is_refused_for_users_of_several_companies_or_staff(
    admin_client, company, other_company
):
    from tests.factories import MembershipFactory

    shared = make_admin(company)
    MembershipFactory(user=shared, company=other_company)
    admin_client.post(f"/portal/users/{shared.pk}/reset-device/")
    assert TOTPDevice.objects.filter(user=shared).exists()


@pytest.mark.django_db
def test_device_reset_ends_the_users_sessions(admin_client, company):
    colleague = make_admin(company)
    colleague_client = login_verified(Client(), colleague)
    admin_client.post(f"/portal/users/{colleague.pk}/reset-device/")
    assert colleague_client.get("/portal/").status_code == 302

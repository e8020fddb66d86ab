"""Company admins invite, see and remove administrators, and reset a colleague's lost authenticator.

Invitations must look the same to the inviting company whether the email has an account anywhere or not:
`test_inviting_looks_the_same_whatever_account_the_email_has` tries to tell them apart."""

import datetime
import io
import re
from urllib.parse import urlencode

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from hrportal.accounts.devices import TOTPDevice
from hrportal.audit.models import Action, AuditEvent
from hrportal.companies.access import companies_for
from hrportal.companies.models import Invitation, Membership
from tests.conftest import login_password_only, login_verified, make_admin, next_code
from tests.factories import DEMO_PASSWORD, InvitationFactory, UserFactory
from tests.hrportal.helpers import last_email_link, path_of


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


# --- Invitations ------------------------------------------------------------------------------------------


def invite(client, email, name="Ole Olsen"):
    return client.post("/portal/users/invite/", {"name": name, "email": email})


def invitation_link() -> str:
    return path_of(last_email_link(r"https?://\S+/portal/invite/\S+/"))


def normalised(html: str, *, invitation, email, name) -> str:
    html = html.replace(email, "EMAIL").replace(name, "NAME")
    html = html.replace(f"/invitations/{invitation.pk}/", "/invitations/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


@pytest.mark.django_db
def test_inviting_looks_the_same_whatever_account_the_email_has(
    admin_client, admin_user, company, other_company, django_capture_on_commit_callbacks
):
    """A new email, another company's admin, a removed (inactive) user, staff, an email another company
    invited: the answer, the users page, the audit event and the email subject may not tell them apart."""
    active_elsewhere = make_admin(other_company)
    removed = UserFactory(is_active=False)
    removed.set_unusable_password()
    removed.save()
    staff = UserFactory(is_staff=True)
    invited_elsewhere = InvitationFactory(company=other_company, email="invited.elsewhere@example.test")
    cases = [
        ("brand.new@example.test", "Ny Person"),
        (active_elsewhere.email, "Kendt Person"),
        (removed.email, "Fjernet Person"),
        (staff.email, "Stab Person"),
        (invited_elsewhere.email, "Inviteret Andetsteds"),
    ]
    users_before = list(get_user_model().objects.order_by("pk").values())
    memberships_before = list(Membership.objects.order_by("pk").values())
    instant = timezone.now().replace(microsecond=0)
    seen = []
    for email, name in cases:
        with freeze_time(instant), django_capture_on_commit_callbacks(execute=True):
            response = invite(admin_client, email, name)
            page = admin_client.get(response["Location"])
        invitation = Invitation.unscoped.get(company=company, email=email)
        event = AuditEvent.objects.filter(company_id=company.pk).order_by("-pk").first()
        message = mail.outbox[-1]
        seen.append(
            {
                "status": response.status_code,
                "location": response["Location"],
                "page": (
                    page.status_code,
                    normalised(page.content.decode(), invitation=invitation, email=email, name=name),
                ),
                "event": (
                    event.action,
                    event.actor_id,
                    event.target_type,
                    event.target_id == str(invitation.pk),
                    event.outcome,
                    event.details,
                ),
                "email": (message.subject, message.to == [email], "/portal/invite/" in message.body),
                "stored": (
                    invitation.name == name,
                    invitation.created_by_id,
                    invitation.expires_at - instant,
                ),
            }
        )
        # Cancel before the next case, so each users page shows one invitation.
        admin_client.post(f"/portal/users/invitations/{invitation.pk}/cancel/")
        admin_client.get("/portal/users/")  # shows (and so consumes) the "cancelled" message
    assert (seen[0]["location"], seen[0]["page"][0]) == ("/portal/users/", 200)
    assert seen[0]["event"][0] == Action.USER_INVITED
    assert seen[0]["event"][2] == "companies.invitation"
    assert "NAME" in seen[0]["page"][1] and "EMAIL" in seen[0]["page"][1]
    for email_and_name, other in zip(cases[1:], seen[1:], strict=True):
        assert other == seen[0], email_and_name
    # Nothing about anybody's account was created or touched at invite time.
    assert list(get_user_model().objects.order_by("pk").values()) == users_before
    assert list(Membership.objects.order_by("pk").values()) == memberships_before


@pytest.mark.django_db
def test_a_new_user_accepts_chooses_a_password_and_enrols(
    admin_client, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(admin_client, "Ole@Demo.dk", "Ole  Olsen")
    assert response.status_code == 302
    assert not get_user_model().objects.filter(email="ole@demo.dk").exists()
    page = admin_client.get("/portal/users/").content.decode()
    assert "ole@demo.dk" in page and "Åbne invitationer" in page and "Annuller invitation" in page
    link = invitation_link()
    invited = Client()
    page = invited.get(link)
    assert page.status_code == 200 and "new_password1" in page.content.decode()
    response = invited.post(
        link, {"new_password1": "Oles-kodeord-2026", "new_password2": "Oles-kodeord-2026"}
    )
    assert response["Location"].startswith("/portal/two-factor/setup/")
    user = get_user_model().objects.get(email="ole@demo.dk")
    assert (user.first_name, user.last_name, user.is_active) == ("Ole", "Olsen", True)
    assert Membership.objects.filter(user=user, company=company, role=Membership.Role.ADMIN).exists()
    assert not Invitation.unscoped.exists()  # accepted: deleted
    invited.get("/portal/two-factor/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    invited.post("/portal/two-factor/setup/", {"code": pyotp.TOTP(device.base32_key).now()})
    assert company.name in invited.get("/portal/").content.decode()
    assert Client().get(link).status_code == 400  # the link dies once used
    joined = AuditEvent.objects.get(company_id=company.pk, action=Action.USER_JOINED)
    assert (joined.actor_id, joined.target_type, joined.target_id) == (user.pk, "accounts.user", str(user.pk))


@pytest.mark.django_db
def test_an_expired_invitation_is_refused_and_purged(company):
    invitation = InvitationFactory(company=company, email="late@example.test")
    link = f"/portal/invite/{invitation.token}/"
    assert Client().get(link).status_code == 200
    with freeze_time(invitation.expires_at + datetime.timedelta(seconds=1)):
        for method in ("get", "post"):
            response = getattr(Client(), method)(
                link, {"new_password1": "x-Y-z-2026-long", "new_password2": "x-Y-z-2026-long"}
            )
            assert response.status_code == 400
            assert "udløbet" in response.content.decode()
        open_one = InvitationFactory(company=company, email="fresh@example.test")
        call_command("purge_pending_signups", stdout=io.StringIO())
    assert list(Invitation.unscoped.values_list("pk", flat=True)) == [open_one.pk]
    assert not get_user_model().objects.filter(email="late@example.test").exists()


@pytest.mark.django_db
def test_unknown_links_are_refused(db):
    assert Client().get("/portal/invite/not-a-token/").status_code == 400
    invitation = InvitationFactory()
    assert Client().get(f"/portal/invite/{invitation.token_hash}/").status_code == 400  # the hash is no link


@pytest.mark.django_db
def test_cancelling_asks_first_then_deletes_audits_and_kills_the_link(admin_client, company):
    invitation = InvitationFactory(company=company, name="Ole Olsen", email="ole@demo.dk")
    url = f"/portal/users/invitations/{invitation.pk}/cancel/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "Ole Olsen" in page.content.decode()
    assert Invitation.unscoped.filter(pk=invitation.pk).exists()
    assert admin_client.post(url)["Location"] == "/portal/users/"
    assert not Invitation.unscoped.filter(pk=invitation.pk).exists()
    event = AuditEvent.objects.get(company_id=company.pk, action=Action.INVITATION_CANCELLED)
    assert (event.target_type, event.target_id) == ("companies.invitation", str(invitation.pk))
    assert Client().get(f"/portal/invite/{invitation.token}/").status_code == 400
    assert admin_client.post(url).status_code == 404


@pytest.mark.django_db
def test_another_companys_invitation_cannot_be_cancelled(admin_client, admin_user, other_company):
    invitation = InvitationFactory(company=other_company)
    for method in ("get", "post"):
        response = getattr(admin_client, method)(f"/portal/users/invitations/{invitation.pk}/cancel/")
        assert response.status_code == 404
    assert Invitation.unscoped.filter(pk=invitation.pk).exists()
    assert AuditEvent.objects.filter(
        company_id=other_company.pk, actor_id=admin_user.pk, action=Action.CROSS_COMPANY_DENIED
    ).exists()
    assert str(invitation.email) not in admin_client.get("/portal/users/").content.decode()


@pytest.mark.django_db
def test_provider_staff_under_a_mandate_cannot_cancel(staff_client, company):
    from tests.factories import MandateFactory

    MandateFactory(company=company)
    invitation = InvitationFactory(company=company)
    staff_client.post(f"/portal/companies/{company.pk}/switch/")
    assert staff_client.post(f"/portal/users/invitations/{invitation.pk}/cancel/").status_code == 404
    assert Invitation.unscoped.filter(pk=invitation.pk).exists()


@pytest.mark.django_db
def test_the_form_refuses_a_member_or_an_open_invitation_of_this_company_only(
    admin_client, admin_user, company
):
    response = invite(admin_client, admin_user.email.upper())
    assert response.status_code == 400
    assert "allerede administrator" in response.content.decode()
    InvitationFactory(company=company, email="ole@demo.dk")
    response = invite(admin_client, "ole@demo.dk")
    assert response.status_code == 400
    assert "allerede en åben invitation" in response.content.decode()
    assert Invitation.unscoped.count() == 1 and Membership.objects.count() == 1
    assert admin_client.post("/portal/users/invite/", {"name": "", "email": "nope"}).status_code == 400


@pytest.mark.django_db
def test_an_expired_invitation_does_not_block_a_new_one(
    admin_client, company, django_capture_on_commit_callbacks
):
    old = InvitationFactory(
        company=company, email="ole@demo.dk", expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(admin_client, "ole@demo.dk")["Location"] == "/portal/users/"
    new = Invitation.unscoped.get(email="ole@demo.dk")
    assert new.token_hash != old.token_hash and not new.is_expired()


@pytest.mark.django_db
def test_open_invitations_are_capped(admin_client, company, monkeypatch):
    from hrportal.companies import invitations

    monkeypatch.setattr(invitations, "MAX_OPEN_INVITATIONS", 2)
    InvitationFactory.create_batch(2, company=company)
    assert invite(admin_client, "one.more@example.test").status_code == 400
    assert Invitation.unscoped.count() == 2


@pytest.mark.django_db
def test_an_existing_account_logs_in_and_joins(company, other_company, django_capture_on_commit_callbacks):
    """Not logged in: told to log in, and back after both factors; then Join makes them a member."""
    inviter = login_verified(Client(), make_admin(company))
    known = make_admin(other_company)
    with django_capture_on_commit_callbacks(execute=True):
        invite(inviter, known.email, "Typed Name")
    assert "log ind med din konto" in mail.outbox[-1].body  # only the invitee is told they have an account
    link = invitation_link()
    invitee = Client()
    page = invitee.get(link)
    login_url = f"/portal/login/?{urlencode({'next': link})}"
    assert page.status_code == 200 and login_url.replace("&", "&amp;") in page.content.decode()
    invitee.post(link)  # a POST without logging in joins nothing
    assert not Membership.objects.filter(user=known, company=company).exists()
    response = invitee.post(
        "/portal/login/", {"username": known.email, "password": DEMO_PASSWORD, "next": link}
    )
    assert response["Location"].startswith("/portal/login/verify/")
    response = invitee.post(response["Location"], {"code": next_code(known.totp)})
    assert response["Location"] == link
    page = invitee.get(link)
    assert page.status_code == 200 and f"Bliv administrator i {company.name}" in page.content.decode()
    assert not Membership.objects.filter(user=known, company=company).exists()  # GET changes nothing
    response = invitee.post(link)
    assert response["Location"] == "/portal/"
    membership = Membership.objects.get(user=known, company=company)
    assert membership.role == Membership.Role.ADMIN
    known.refresh_from_db()
    assert known.get_full_name() != "Typed Name"  # the account keeps its own name
    assert not Invitation.unscoped.exists()
    assert AuditEvent.objects.filter(
        company_id=company.pk, action=Action.USER_JOINED, actor_id=known.pk
    ).exists()
    # The new company is open now, the old one a click away, and both are theirs to switch between.
    dashboard = invitee.get("/portal/").content.decode()
    assert f"<h1>{company.name}</h1>" in dashboard and other_company.name in dashboard
    assert set(companies_for(known)) == {company, other_company}
    assert invitee.post(f"/portal/companies/{other_company.pk}/switch/").status_code == 302
    assert f"<h1>{other_company.name}</h1>" in invitee.get("/portal/").content.decode()
    assert invitee.get(link).status_code == 400  # used


@pytest.mark.django_db
def test_the_invitee_with_a_password_only_session_is_sent_to_the_second_factor(company, other_company):
    known = make_admin(other_company)
    invitation = InvitationFactory(company=company, email=known.email)
    link = f"/portal/invite/{invitation.token}/"
    client = login_password_only(Client(), known)
    for method in ("get", "post"):
        response = getattr(client, method)(link)
        assert response["Location"] == f"/portal/login/verify/?{urlencode({'next': link})}"
    assert not Membership.objects.filter(user=known, company=company).exists()


@pytest.mark.django_db
def test_another_logged_in_account_is_refused_without_seeing_the_invitees_account(company, other_company):
    known = make_admin(other_company)
    known.first_name, known.last_name = "Hemmelig", "Kontohaver"
    known.save()
    someone_else = login_verified(Client(), make_admin(other_company))
    for email in (known.email, "brand.new@example.test"):
        invitation = InvitationFactory(company=company, email=email)
        link = f"/portal/invite/{invitation.token}/"
        for method in ("get", "post"):
            response = getattr(someone_else, method)(
                link, {"new_password1": "Oles-kodeord-2026", "new_password2": "Oles-kodeord-2026"}
            )
            assert response.status_code == 403
            content = response.content.decode()
            assert "Hemmelig" not in content and "Kontohaver" not in content and email not in content
            assert "Log ud" in content
        assert Invitation.unscoped.filter(pk=invitation.pk).exists()
    assert not Membership.objects.filter(company=company).exists()
    assert not get_user_model().objects.filter(email="brand.new@example.test").exists()


@pytest.mark.django_db
def test_a_removed_user_is_reinvited_and_chooses_a_new_password(
    admin_client, company, django_capture_on_commit_callbacks
):
    colleague = make_admin(company)
    admin_client.post(f"/portal/users/{colleague.pk}/remove/")
    colleague.refresh_from_db()
    assert not colleague.is_active and not colleague.has_usable_password()
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(admin_client, colleague.email, "Genindsat Kollega").status_code == 302
    assert "vælge en adgangskode" in mail.outbox[-1].body
    link = invitation_link()
    client = Client()
    response = client.post(link, {"new_password1": "Nyt-kodeord-2026!", "new_password2": "Nyt-kodeord-2026!"})
    assert response["Location"].startswith("/portal/two-factor/setup/")
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.check_password("Nyt-kodeord-2026!")
    assert colleague.get_full_name() == "Genindsat Kollega"
    assert Membership.objects.filter(user=colleague, company=company).exists()
    assert client.get("/portal/two-factor/setup/").status_code == 200  # enrols a new authenticator


@pytest.mark.django_db
def test_a_disabled_account_with_a_password_is_sent_to_support(company, other_company):
    disabled = make_admin(other_company)
    disabled.is_active = False
    disabled.save()
    invitation = InvitationFactory(company=company, email=disabled.email)
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/portal/invite/{invitation.token}/")
        assert response.status_code == 403 and "support" in response.content.decode()
    assert not Membership.objects.filter(user=disabled, company=company).exists()


@pytest.mark.django_db
def test_an_old_style_invited_member_can_be_invited_again(
    admin_client, company, django_capture_on_commit_callbacks
):
    """Before invitations were rows, an invite made a member without a password; its old link is gone."""
    legacy = get_user_model().objects.create_user(email="legacy@demo.dk", password=None)
    Membership.objects.create(user=legacy, company=company)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(admin_client, legacy.email, "Gammel Invitation").status_code == 302
    response = Client().post(
        invitation_link(), {"new_password1": "Nyt-kodeord-2026!", "new_password2": "Nyt-kodeord-2026!"}
    )
    assert response.status_code == 302
    legacy.refresh_from_db()
    assert legacy.has_usable_password()
    assert Membership.objects.filter(user=legacy, company=company).count() == 1


@pytest.mark.django_db
def test_invitations_go_with_the_company():
    from hrportal.privacy.deletion import _tenant_models

    assert Invitation in _tenant_models()

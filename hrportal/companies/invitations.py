"""Invitations of more administrators: rows of their own, the same from the inviting side for everyone.

An admin may only learn about their own company. So inviting never looks at other accounts: it refuses
only an email that already administers this company or has an open invitation here, and otherwise
creates an `Invitation` (no user, no membership), whatever the email. Only the invitee, through the
link, learns whether they choose a password (a new account) or log in with the account they have.

The link carries a random token; the database keeps its SHA-256 hash only, so a database dump holds no
usable link. Accepting, cancelling or expiry deletes the row; the audit log keeps the events.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.companies.models import Company, Invitation, Membership
from hrportal.tenancy import company_scope, cross_company

INVITATION_VALID_FOR = timedelta(days=7)
MAX_OPEN_INVITATIONS = 50  # per company: bounds the list on the users page and mass mailing

# What accepting means for the account with the invitation's email.
NEW_ACCOUNT = "new"  # no account, or one without a usable password (removed earlier): choose a password
EXISTING_ACCOUNT = "existing"  # an active account: log in with it and join
DISABLED_ACCOUNT = "disabled"  # deactivated but with a password (by Ansatte's staff): support only


class InvitationError(Exception):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitations():
    """The active company's invitations that can still be accepted (expired ones wait for the purge)."""
    return Invitation.objects.filter(expires_at__gt=timezone.now())


def is_member(company, email: str) -> bool:
    """Does `email` already administer `company`? An old-style invitation (a member who never chose a
    password, from before invitations were rows of their own) does not count, so it can be sent again."""
    return (
        Membership.objects.filter(company=company, user__email__iexact=email)
        .exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exists()
    )


def create_invitation(*, company, email: str, name: str, created_by) -> tuple[Invitation, str]:
    """Create the invitation of the active company and return it with the link's token (not stored)."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    Invitation.objects.filter(email=email, expires_at__lte=now).delete()  # an expired one, not purged yet
    invitation = Invitation.objects.create(
        company=company,
        email=email,
        name=name,
        role=Membership.Role.ADMIN,
        token_hash=hash_token(token),
        created_by=created_by,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    return invitation, token


def find_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link points at (any company: the invitee has no scope yet), or InvitationError."""
    with cross_company(reason="an invitation link names the invitation, not its company"):
        rows = Invitation.objects.select_related("company")
        if lock:
            rows = rows.select_for_update(of=("self",))
        invitation = rows.filter(token_hash=hash_token(token)).first()
    if invitation is None or invitation.company.status != Company.Status.ACTIVE:
        raise InvitationError(_("The invitation link is not valid or has expired."))
    if invitation.is_expired():
        raise InvitationError(
            _("The invitation has expired. Ask the person who invited you to send a new invitation.")
        )
    return invitation


def account_for(invitation: Invitation):
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


def account_state(account) -> str:
    if account is None or not account.has_usable_password():
        return NEW_ACCOUNT
    return EXISTING_ACCOUNT if account.is_active else DISABLED_ACCOUNT


def new_account(invitation: Invitation, account=None):
    """The user to give a password to: the (inactive or password-less) account, or a new unsaved one.

    It gets the name the inviting admin typed; saved by the password form, then `accept()`.
    """
    User = get_user_model()
    user = account or User(email=invitation.email)
    user.first_name, _sep, user.last_name = invitation.name.strip().partition(" ")
    user.is_active = True
    return user


@transaction.atomic
def accept(invitation: Invitation, user, *, request=None) -> Membership:
    """The invitee joins: membership (role of the invitation), invitation deleted, audited."""
    company = invitation.company
    membership, _created = Membership.objects.get_or_create(
        user=user, company=company, defaults={"role": invitation.role}
    )
    invitation_id = invitation.pk
    with company_scope(company):
        invitation.delete()
    record(
        Action.USER_JOINED,
        request=request,
        actor=user,
        company=company,
        target=user,
        details={"invitation": invitation_id},
    )
    return membership


def purge_expired_invitations(now=None) -> int:
    """Delete invitations past their expiry (data minimisation); run daily by `purge_pending_signups`."""
    now = now or timezone.now()
    with cross_company(reason="the daily purge of expired invitations of every company"):
        count, _per_model = Invitation.objects.filter(expires_at__lte=now).delete()
    return count

"""What one administrator of a company may do to another: remove them, or reset their authenticator.

Every member is an administrator, so these refusals are the only guard between colleagues. They live here
rather than in the views so that a test, a command or a future API meets the same rules as the users page.
Callers check first (`check_removal`, `check_device_reset`) to refuse before showing a confirmation page;
the actions check again, so skipping the check cannot skip the rule.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from hrportal.accounts.twofactor import end_sessions, reset_devices
from hrportal.audit.log import record
from hrportal.audit.models import Action


class Refused(Exception):
    """The action is not allowed; `message` tells the administrator who tried why, in their language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_removal(membership, actor) -> None:
    """Nobody removes themselves: the administrator who asks always stays, so a company is never left
    without one by a slip of the person using the page (a colleague has to do it)."""
    if membership.user_id == actor.pk:
        raise Refused(_("You cannot remove yourself. Ask another administrator."))


@transaction.atomic
def remove(membership, *, actor, request=None):
    """Remove the member and return their user.

    An account left without any company is closed: inactive (its sessions stop working), no usable
    password (a new invitation makes them choose one, see `invitations.account_state`) and no second
    factor. Provider staff and superusers keep their account, which they need for their other work.
    """
    check_removal(membership, actor)
    user = membership.user
    company_id = membership.company_id
    membership.delete()
    record(Action.USER_REMOVED, request=request, actor=actor, company_id=company_id, target=user)
    if not user.memberships.exists() and not user.is_staff and not user.is_superuser:
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        reset_devices(user)
    return user


def check_device_reset(membership) -> None:
    """Only for users who belong to this company alone.

    Resetting removes the user's devices everywhere, not just for this company: a colleague must not be
    able to strip the second factor of provider staff, of a superuser (a Wagtail editor) or of someone who
    also administers another company. Those are left to Ansatte's support (`manage.py reset_two_factor`),
    who check the person's identity outside the portal.
    """
    user = membership.user
    if user.is_staff or user.is_superuser or user.memberships.count() > 1:
        raise Refused(_("This user's authenticator can only be reset by Ansatte's support."))


@transaction.atomic
def reset_device(membership, *, actor, request=None) -> None:
    """A colleague lost their phone: their devices go and their sessions end, so whoever holds the phone
    (or a logged-in browser) cannot carry on, and they enrol a new authenticator at their next login."""
    check_device_reset(membership)
    user = membership.user
    reset_devices(user)
    end_sessions(user)
    record(Action.DEVICE_RESET, request=request, actor=actor, company_id=membership.company_id, target=user)

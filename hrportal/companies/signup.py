"""Company signup: the signer proves their email (signed link) and mobile (SMS code), sets a password,
enrols an authenticator, and only then is the company active with the signer as its administrator.

Rules live here as plain functions; the views only move data between forms and these functions.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config import mail
from config.cache import shared_cache as cache
from config.requests import count_hit, hash_ip, rate_limited
from hrportal.accounts.sms import send_sms
from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.companies.models import Company, Membership, SignupConfirmation
from hrportal.encryption.primitives import keyed_hash

# The wording the signer ticks; bump the version whenever the text changes (the record keeps it).
AUTHORITY_WORDING_VERSION = "2026-11-01"
EMAIL_SALT = "portal.signup.email"


class SignupError(Exception):
    pass


@transaction.atomic
def start_signup(*, data: dict, ip: str | None) -> SignupConfirmation:
    """Create the pending company, the signer (without a password yet) and the confirmation record."""
    User = get_user_model()
    purge_stale_signups()
    company = Company.objects.create(
        name=data["company_name"],
        cvr=data["cvr"],
        address=data["address"],
        postal_code=data["postal_code"],
        city=data["city"],
        status=Company.Status.PENDING,
    )
    first, _sep, last = data["name"].strip().partition(" ")
    user = User.objects.create_user(
        email=data["email"], password=None, first_name=first, last_name=last, mobile=data["mobile"]
    )
    user.set_unusable_password()
    user.language = translation.get_language() or settings.LANGUAGE_CODE
    user.save()
    Membership.objects.create(user=user, company=company, role=Membership.Role.ADMIN)
    confirmation = SignupConfirmation.objects.create(
        company=company,
        signer_name=data["name"],
        signer_email=user.email,
        signer_mobile=data["mobile"],
        wording_version=AUTHORITY_WORDING_VERSION,
        ip_hash=hash_ip(ip),
    )
    record(Action.SIGNUP_STARTED, actor=user, company=company, target=company)
    return confirmation


def signer_of(confirmation: SignupConfirmation):
    return Membership.objects.get(company=confirmation.company, role=Membership.Role.ADMIN).user


def email_token(confirmation: SignupConfirmation) -> str:
    return signing.dumps({"s": confirmation.pk}, salt=EMAIL_SALT)


def send_confirmation_email(confirmation: SignupConfirmation, base_url: str) -> None:
    link = base_url + f"/portal/signup/confirm-email/{email_token(confirmation)}/"
    context = {"name": confirmation.signer_name, "company": confirmation.company.name, "link": link}
    mail.send(
        "emails/signup_confirm_email",
        context,
        subject=_("Confirm your email for Ansatte"),
        to=[confirmation.signer_email],
    )


def confirm_email(token: str) -> SignupConfirmation:
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=settings.SIGNUP_EMAIL_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise SignupError(_("The link has expired. Start the signup again.")) from exc
    except signing.BadSignature as exc:
        raise SignupError(_("The link is not valid.")) from exc
    confirmation = SignupConfirmation.objects.filter(pk=data.get("s")).select_related("company").first()
    if confirmation is None or confirmation.company.status != Company.Status.PENDING:
        raise SignupError(_("The link is not valid."))
    if confirmation.email_verified_at is None:
        confirmation.email_verified_at = timezone.now()
        confirmation.save(update_fields=["email_verified_at"])
    return confirmation


# --- SMS codes: 6 digits, hashed in the shared cache (refused when Redis is down), expiring, limited ----
#
# Attempts and sends are counted with the cache's atomic add + incr (`count_hit`) *before* a code is
# compared: a read-then-write counter let concurrent guesses all read the same count, so far more than
# SMS_CODE_MAX_ATTEMPTS codes could be tried against one SMS. Each code has its own nonce, so a new code
# starts a new attempt count.


def _sms_key(confirmation_id) -> str:
    return f"signup-sms:{confirmation_id}"


def _attempts_key(confirmation_id, nonce) -> str:
    return f"signup-sms-attempts:{confirmation_id}:{nonce}"


def send_sms_code(confirmation: SignupConfirmation) -> None:
    if count_hit(f"signup-sms-sends:{confirmation.pk}", 3600) > settings.SMS_CODE_MAX_SENDS_PER_HOUR:
        raise SignupError(_("Too many codes sent. Wait an hour and try again."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.set(
        _sms_key(confirmation.pk),
        {"hash": keyed_hash("sms-code", f"{confirmation.pk}:{code}"), "nonce": secrets.token_hex(8)},
        settings.SMS_CODE_MAX_AGE,
    )
    send_sms(
        confirmation.signer_mobile,
        _("Your Ansatte code is %(code)s. It expires in 10 minutes.") % {"code": code},
    )


def verify_sms_code(confirmation: SignupConfirmation, code: str) -> bool:
    state = cache.get(_sms_key(confirmation.pk))
    if state is None:
        raise SignupError(_("The code has expired. Send a new one."))
    attempt = count_hit(_attempts_key(confirmation.pk, state["nonce"]), settings.SMS_CODE_MAX_AGE)
    if attempt > settings.SMS_CODE_MAX_ATTEMPTS:
        cache.delete(_sms_key(confirmation.pk))
        raise SignupError(_("Too many wrong codes. Send a new one."))
    expected = state["hash"]
    if secrets.compare_digest(expected, keyed_hash("sms-code", f"{confirmation.pk}:{(code or '').strip()}")):
        cache.delete(_sms_key(confirmation.pk))
        confirmation.mobile_verified_at = timezone.now()
        confirmation.save(update_fields=["mobile_verified_at"])
        return True
    return False


def activate_if_complete(user) -> list[Company]:
    """Called once the signer has a confirmed authenticator: activate their verified pending company."""
    activated = []
    for membership in Membership.objects.filter(
        user=user, company__status=Company.Status.PENDING
    ).select_related("company__signup_confirmation"):
        company = membership.company
        confirmation = getattr(company, "signup_confirmation", None)
        if confirmation and confirmation.email_verified_at and confirmation.mobile_verified_at:
            company.status = Company.Status.ACTIVE
            company.activated_at = timezone.now()
            company.save(update_fields=["status", "activated_at"])
            record(Action.SIGNUP_COMPLETED, actor=user, company=company, target=company)
            activated.append(company)
    return activated


PENDING_SIGNUP_MAX_AGE = timedelta(days=7)
SIGNUPS_PER_IP_PER_HOUR = 5


def stale_pending_companies(now=None):
    """Signups never completed within a week: they must not block the CVR or keep the signer's data."""
    now = now or timezone.now()
    return Company.objects.filter(status=Company.Status.PENDING, created_at__lt=now - PENDING_SIGNUP_MAX_AGE)


@transaction.atomic
def purge_stale_signups(now=None) -> int:
    """Delete stale pending companies with their signup record and signers who belong nowhere else."""
    User = get_user_model()
    count = 0
    for company in stale_pending_companies(now).select_for_update():
        signer_ids = list(Membership.objects.filter(company=company).values_list("user_id", flat=True))
        company.delete()  # cascades to the membership and the signup confirmation
        User.objects.filter(
            pk__in=signer_ids, memberships__isnull=True, is_staff=False, is_superuser=False
        ).delete()
        count += 1
    return count


def signup_rate_limited(ip: str | None) -> bool:
    """At most a few signups an hour from one address: each one sends an email and SMS messages."""
    return rate_limited(ip, "signup", SIGNUPS_PER_IP_PER_HOUR)

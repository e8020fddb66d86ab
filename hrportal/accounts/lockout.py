"""The username that django-axes counts failed logins against, and the limits beside axes.

The user lookup is case-insensitive (`UserManager.get_by_natural_key`), so "Anne@X.dk" and
"anne@x.dk" are the same account. Axes counts per exact text, so without this every spelling got its
own allowance of wrong passwords. Counting against the normalised address gives one allowance per account.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def normalise_login(value) -> str:
    return (value or "").strip().lower()


def lockout_username(request, credentials=None) -> str:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(field)
    return normalise_login(value)


def login_failures_from_ip(request) -> int:
    """Failed logins from the client's IP within axes' cool-off, summed over every account tried.

    Axes locks one account + IP pair; spraying one password over many accounts never trips it. Its
    AccessAttempt rows (one per username, IP and user agent, in the database, so this holds without Redis)
    also count per IP. A successful login resets only its own account's row, not the others'.
    """
    from axes.models import AccessAttempt

    from config.requests import client_ip

    ip = client_ip(request)
    if not ip:
        return 0
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def login_ip_limited(request) -> bool:
    return login_failures_from_ip(request) >= settings.LOGIN_FAILURES_PER_IP


def password_reset_limited(request, email: str) -> bool:
    """Count one reset request for the address and one for the client's IP; True when either is over.

    Counted whether or not an account has the address, so the answer says nothing about accounts. Raises
    `SharedStateUnavailable` when the shared cache is down (the caller refuses, no email is sent).
    """
    from config.requests import count_hit, rate_limited
    from hrportal.encryption.primitives import keyed_hash

    address = keyed_hash("password-reset", normalise_login(email))
    by_address = count_hit(f"ratelimit:password-reset-address:{address}", 3600)
    by_ip = rate_limited(request, "password-reset-ip", settings.PASSWORD_RESET_PER_IP_PER_HOUR)
    return by_ip or by_address > settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR

"""Second-factor checks shared by login, signing and sensitive actions.

Every code goes through `django_otp.verify_token`, which locks the device row (SELECT ... FOR UPDATE on
PostgreSQL) so one code can be used once even by concurrent requests, and applies throttling.
"""

from django_otp import devices_for_user, verify_token

from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify_code(user, code: str, *, allow_backup: bool = True):
    """Return the device that accepted `code`, or None. TOTP first, then (optionally) backup codes."""
    code = (code or "").strip()
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, BackupCodeDevice) and not allow_backup:
            continue
        if isinstance(device, TOTPDevice) and not code.replace(" ", "").isdigit():
            continue
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def end_sessions(user) -> None:
    """Log the user out everywhere (sessions are database-backed; we look for their user id)."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


def reset_throttling(user) -> None:
    """Lift the wait that repeated wrong codes put on the user's devices; the devices stay."""
    for device in devices_for_user(user, confirmed=None):
        if hasattr(device, "throttle_reset"):
            device.throttle_reset(commit=True)


def reset_devices(user) -> None:
    """Remove every second-factor device (lost phone): the user must enrol again at next login."""
    TOTPDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.filter(user=user).delete()

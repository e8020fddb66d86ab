"""First release (run through scripts/release.py inside `manage.py shell`): the Wagtail Site answers on
PUBLIC_ORIGIN's host, and the first editor exists with an authenticator enrolled, so nobody ever logs in
with one factor. Idempotent: an existing editor is left alone."""

import base64
import os
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Site

from hrportal.accounts.devices import BackupCodeDevice, TOTPDevice


def set_site(_unused: str = "") -> None:
    parts = urlsplit(settings.PUBLIC_ORIGIN)
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        raise SystemExit("first release: no Wagtail Site exists (did migrate run?)")
    Site.objects.filter(pk=site.pk).update(hostname=host, port=port, is_default_site=True)
    print(f"first release: the Wagtail Site answers on {host}:{port}")


@transaction.atomic
def create_first_editor(email: str) -> None:
    User = get_user_model()
    if User.objects.filter(email__iexact=email).exists():
        print(f"first release: {email} exists already; left alone")
        return
    password = secrets.token_urlsafe(18)
    user = User.objects.create_user(email=email, password=password, is_staff=True, is_superuser=True)
    raw = os.urandom(20)
    device = TOTPDevice(user=user, name="Authenticator", confirmed=True)
    device.set_key(raw)
    device.save()
    backup, _ = BackupCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "Backup codes", "confirmed": True}
    )
    codes = backup.generate_codes()
    secret = base64.b32encode(raw).decode().rstrip("=")
    print(f"first release: editor {email} created. Shown once, hand over in person:")
    print(f"  password     {password}")
    print(f"  TOTP secret  {secret}")
    print(f"  otpauth://totp/Ansatte:{email}?secret={secret}&issuer=Ansatte")
    print(f"  backup codes {' '.join(codes)}")
    print("  (change the password at first login: /portal/security/)")

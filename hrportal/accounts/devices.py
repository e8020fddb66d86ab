"""Second-factor devices: TOTP with the secret encrypted at rest, and hashed single-use backup codes.

django-otp's own plugins keep the TOTP secret and the static codes in plain text, so a database dump
would hand an attacker every second factor. These devices keep django-otp's machinery (locked
`verify_token`, throttling, `is_verified()`) and change only what is stored.
"""

import base64
import os
import secrets
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from hrportal.encryption.primitives import keyed_hash, seal_with_master, unseal_with_master

TOTP_KEY_BYTES = 20
BACKUP_CODE_COUNT = 10
BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes
BACKUP_CODE_LENGTH = 12


class TOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (RFC 6238, 30 s, 6 digits). The secret is AES-GCM sealed, bound to the user."""

    encrypted_key = models.TextField()
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")

    def _aad(self) -> bytes:
        return f"accounts_totpdevice.encrypted_key:user={self.user_id}".encode()

    def set_key(self, raw: bytes) -> None:
        self.encrypted_key = seal_with_master(raw, self._aad())

    def generate_key(self) -> None:
        self.set_key(os.urandom(TOTP_KEY_BYTES))

    @property
    def bin_key(self) -> bytes:
        return unseal_with_master(self.encrypted_key, self._aad())

    @property
    def base32_key(self) -> str:
        return base64.b32encode(self.bin_key).decode("ascii").rstrip("=")

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        token = str(token).strip().replace(" ", "")
        verified = False
        if token.isdigit() and len(token) == self.digits:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            # last_t + 1: a code (time step) already used can never be accepted again.
            verified = totp.verify(int(token), self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self):
        return settings.OTP_TOTP_THROTTLE_FACTOR

    @property
    def config_url(self) -> str:
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = f"{issuer}:{self.user.get_username()}"
        params = urlencode(
            {"secret": self.base32_key, "algorithm": "SHA1", "digits": self.digits, "period": self.step}
        )
        return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


def hash_backup_code(code: str) -> str:
    normalized = code.strip().lower().replace(" ", "").replace("-", "")
    return keyed_hash("backup-code", normalized)


class BackupCodeDevice(ThrottlingMixin, Device):
    """A sheet of single-use recovery codes. Only keyed hashes are stored; codes are shown once."""

    class Meta(Device.Meta):
        verbose_name = _("backup codes")

    def generate_codes(self, count: int = BACKUP_CODE_COUNT) -> list[str]:
        """Replace every code with fresh ones; return them (the only time they exist in clear)."""
        self.codes.all().delete()
        codes = [
            "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
            for _ in range(count)
        ]
        BackupCode.objects.bulk_create(
            [BackupCode(device=self, code_hash=hash_backup_code(c)) for c in codes]
        )
        return [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.codes.filter(code_hash=hash_backup_code(str(token))).first()
        if match is None:
            self.throttle_increment(commit=True)
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.save()
        return True

    def get_throttle_factor(self):
        return settings.OTP_STATIC_THROTTLE_FACTOR

    def remaining(self) -> int:
        return self.codes.count()


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, related_name="codes", on_delete=models.CASCADE)
    code_hash = models.CharField(max_length=64, db_index=True)

    def __str__(self):
        return "backup code"

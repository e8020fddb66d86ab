"""Master keys: versioned, read from settings (environment or secrets file), never from the database.

`ENCRYPTION_MASTER_KEYS` is "id:base64key,id:base64key"; the first is current (new wrapping uses it),
the others stay readable until everything has been re-wrapped (`rotate_encryption_keys`).
"""

import base64
import binascii
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings


class KeyringError(Exception):
    """The key configuration is missing or malformed; nothing can be encrypted or decrypted."""


class DecryptionError(Exception):
    """A value could not be decrypted: wrong key, wrong context or tampered data. Fail closed."""


class KeyUnavailableError(DecryptionError):
    """A company's data key cannot be used at all (destroyed, or the master key is wrong or missing): no
    value of the company decrypts. Unlike a single tampered value, this is never one row's problem."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes = b""

    def __repr__(self):  # never print key material
        return f"MasterKey({self.key_id!r})"


@lru_cache(maxsize=8)
def _parse(config: str) -> tuple[MasterKey, ...]:
    keys = []
    for item in (part.strip() for part in config.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id or not encoded:
            raise KeyringError("ENCRYPTION_MASTER_KEYS entries must look like 'id:base64key'")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise KeyringError(f"Master key {key_id!r} is not valid base64") from exc
        if len(key) != 32:
            raise KeyringError(f"Master key {key_id!r} must be 32 bytes (256 bits), got {len(key)}")
        keys.append(MasterKey(key_id=key_id, key=key))
    if not keys:
        raise KeyringError("No encryption master key configured (ENCRYPTION_MASTER_KEYS is empty)")
    if len({k.key_id for k in keys}) != len(keys):
        raise KeyringError("ENCRYPTION_MASTER_KEYS has duplicate key ids")
    return tuple(keys)


def master_keys() -> tuple[MasterKey, ...]:
    return _parse(settings.ENCRYPTION_MASTER_KEYS)


def current_master_key() -> MasterKey:
    return master_keys()[0]


def master_key(key_id: str) -> MasterKey:
    for key in master_keys():
        if key.key_id == key_id:
            return key
    raise DecryptionError(f"Master key {key_id!r} is not configured")


def decode_secret_key(config: str, setting: str, error: type[Exception] = Exception) -> bytes:
    """A base64 key from the environment, refused (naming `setting`) unless it holds 32 bytes or more."""
    try:
        key = base64.b64decode(config, validate=True)
    except binascii.Error as exc:
        raise error(f"{setting} is not valid base64") from exc
    if len(key) < 32:
        raise error(f"{setting} must be at least 32 bytes")
    return key


@lru_cache(maxsize=4)
def _blind_index_root(config: str) -> bytes:
    return decode_secret_key(config, "BLIND_INDEX_MASTER_KEY", KeyringError)


def blind_index_root_key() -> bytes:
    """Root of every keyed hash (blind indexes, backup-code hashes); separate from the master keys."""
    if not settings.BLIND_INDEX_MASTER_KEY:
        raise KeyringError("No blind index key configured (BLIND_INDEX_MASTER_KEY is empty)")
    return _blind_index_root(settings.BLIND_INDEX_MASTER_KEY)

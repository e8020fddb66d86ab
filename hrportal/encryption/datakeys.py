"""Per-company data keys: creation, wrapping under the master key, a bounded per-process cache, shredding.

Values are sealed with the company's data key (AES-256-GCM); the data key itself is stored sealed by the
current master key (`DataKey.wrapped_key`). Unwrapped keys are cached per process, bounded in size
(`ENCRYPTION_KEY_CACHE_SIZE`) and in time (`ENCRYPTION_KEY_CACHE_SECONDS`), so decrypting a list costs one
dictionary lookup per value instead of a query and an unwrap. The cache of *which* key is current is only
filled once the key's row is known to be committed, so a rolled-back transaction can never leave a
process encrypting with a key that does not exist in the database.
"""

import binascii
import os
import secrets
import threading
import time
from binascii import a2b_base64
from collections import OrderedDict
from time import monotonic

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hrportal.encryption.keyring import DecryptionError, KeyUnavailableError, current_master_key, master_key
from hrportal.encryption.primitives import seal, token_key_id, unseal

DATA_KEY_BYTES = 32

_lock = threading.Lock()
_unwrapped: OrderedDict[str, tuple[int, AESGCM, float]] = OrderedDict()  # key_id -> (company_id, aead, until)
_current: dict[int, tuple[str, float]] = {}  # company_id -> (key_id, until)
_pending: set[str] = set()  # keys created in a transaction that has not committed (yet)


def _cache_size() -> int:
    return int(settings.ENCRYPTION_KEY_CACHE_SIZE)


def _cache_seconds() -> float:
    return float(settings.ENCRYPTION_KEY_CACHE_SECONDS)


def _current_seconds() -> float:
    # Short, so every process picks up a rotated company key within a minute.
    return float(settings.ENCRYPTION_CURRENT_KEY_CACHE_SECONDS)


def clear_cache() -> None:
    with _lock:
        _unwrapped.clear()
        _current.clear()
        _pending.clear()


def forget_company(company_id: int) -> None:
    with _lock:
        _current.pop(company_id, None)
        for key_id in [k for k, v in _unwrapped.items() if v[0] == company_id]:
            del _unwrapped[key_id]


def _wrap_aad(company_id: int, key_id: str) -> bytes:
    return f"encryption_datakey.wrapped_key|company={company_id}|key={key_id}".encode()


def wrap(raw: bytes, company_id: int, key_id: str) -> tuple[str, str]:
    mk = current_master_key()
    return seal(raw, key=mk.key, key_id=mk.key_id, aad=_wrap_aad(company_id, key_id)), mk.key_id


def unwrap(datakey) -> bytes:
    if datakey.destroyed_at is not None or not datakey.wrapped_key:
        raise KeyUnavailableError(
            f"Data key {datakey.key_id} of company {datakey.company_id} was destroyed: its data is unreadable"
        )
    mk_id = token_key_id(datakey.wrapped_key)
    try:
        mk = master_key(mk_id)  # raises DecryptionError naming the missing master key id
    except DecryptionError as exc:
        raise KeyUnavailableError(str(exc)) from exc
    try:
        raw = unseal(datakey.wrapped_key, key=mk.key, aad=_wrap_aad(datakey.company_id, datakey.key_id))
    except DecryptionError as exc:
        raise KeyUnavailableError(
            f"Cannot unwrap data key {datakey.key_id} of company {datakey.company_id} with master key "
            f"{mk_id!r}: the configured master key is wrong (ENCRYPTION_MASTER_KEYS)"
        ) from exc
    if len(raw) != DATA_KEY_BYTES:
        raise KeyUnavailableError(f"Data key {datakey.key_id} has the wrong length")
    return raw


def _remember(key_id: str, company_id: int, aead: AESGCM) -> None:
    with _lock:
        _unwrapped[key_id] = (company_id, aead, time.monotonic() + _cache_seconds())
        _unwrapped.move_to_end(key_id)
        while len(_unwrapped) > _cache_size():
            _unwrapped.popitem(last=False)


def _mark_committed(key_id: str) -> None:
    with _lock:
        _pending.discard(key_id)


def create_data_key(company_id: int):
    """A new current data key for the company (the caller retires the previous one first)."""
    from hrportal.encryption.models import DataKey

    raw = os.urandom(DATA_KEY_BYTES)
    key_id = "dk" + secrets.token_hex(8)
    wrapped, mk_id = wrap(raw, company_id, key_id)
    datakey = DataKey.objects.create(
        company_id=company_id, key_id=key_id, wrapped_key=wrapped, master_key_id=mk_id
    )
    with _lock:
        _pending.add(key_id)
    transaction.on_commit(lambda: _mark_committed(key_id))
    _remember(key_id, company_id, AESGCM(raw))
    return datakey


def _load_current(company_id: int):
    from hrportal.encryption.models import DataKey

    return (
        DataKey.objects.filter(company_id=company_id, retired_at__isnull=True, destroyed_at__isnull=True)
        .order_by("-id")
        .first()
    )


def key_for_encryption(company_id: int) -> tuple[str, AESGCM]:
    """(key_id, cipher) of the company's current data key, creating the key on first use."""
    if company_id is None:
        raise DecryptionError("Cannot encrypt without a company")
    now = time.monotonic()
    entry = _current.get(company_id)
    if entry is not None and entry[1] > now:
        cached = _unwrapped.get(entry[0])
        if cached is not None and cached[2] > now:
            return entry[0], cached[1]
    datakey = _load_current(company_id)
    if datakey is None:
        try:
            with transaction.atomic():
                datakey = create_data_key(company_id)
        except IntegrityError:  # another request created it at the same moment
            datakey = _load_current(company_id)
            if datakey is None:
                raise
    aead = key_for_decryption(datakey.key_id, company_id, datakey=datakey)
    if datakey.key_id not in _pending:
        with _lock:
            _current[company_id] = (datakey.key_id, now + _current_seconds())
    return datakey.key_id, aead


def key_for_decryption(key_id: str, company_id: int, *, datakey=None) -> AESGCM:
    entry = _unwrapped.get(key_id)
    if entry is not None and entry[2] > time.monotonic():
        if entry[0] != company_id:
            raise DecryptionError("Value was sealed with another company's key")
        return entry[1]
    from hrportal.encryption.models import DataKey

    if datakey is None:
        datakey = DataKey.objects.filter(key_id=key_id).first()
    if datakey is None:
        raise DecryptionError(f"Data key {key_id} does not exist")
    if datakey.company_id != company_id:
        raise DecryptionError("Value was sealed with another company's key")
    aead = AESGCM(unwrap(datakey))
    _remember(key_id, company_id, aead)
    return aead


# --- sealing values with a company's data key -----------------------------------------------------------

NONCE = 12


def encrypt(company_id: int, plaintext: bytes, aad: bytes) -> str:
    key_id, aead = key_for_encryption(company_id)
    return seal_with(aead, key_id, plaintext, aad)


def seal_with(aead: AESGCM, key_id: str, plaintext: bytes, aad: bytes) -> str:
    import base64

    nonce = os.urandom(NONCE)
    return f"v1.{key_id}.{base64.b64encode(nonce + aead.encrypt(nonce, plaintext, aad)).decode('ascii')}"


def _parse(token: str) -> tuple[str, bytes]:
    try:
        version, key_id, body = token.split(".", 2)
        blob = a2b_base64(body, strict_mode=True)
    except (ValueError, AttributeError, binascii.Error) as exc:
        raise DecryptionError("Not an encrypted value") from exc
    if version != "v1" or len(blob) < NONCE + 16:
        raise DecryptionError("Not an encrypted value of a known version")
    return key_id, blob


def decrypt(company_id: int, token: str, aad: bytes) -> bytes:
    """Open a value sealed by `encrypt`; raises DecryptionError on any problem (fail closed)."""
    key_id, blob = _parse(token)
    entry = _unwrapped.get(key_id)  # fast path: the key is cached and belongs to this company
    if entry is not None and entry[0] == company_id and entry[2] > monotonic():
        aead = entry[1]
    else:
        aead = key_for_decryption(key_id, company_id)
    try:
        return aead.decrypt(blob[:NONCE], blob[NONCE:], aad)
    except InvalidTag as exc:
        raise DecryptionError(
            "Decryption failed: the value belongs to another row, column or company, or was tampered with"
        ) from exc


def opener(company_id: int):
    """`open(token, aad) -> bytes` for many values of one company (e.g. a list): each key id's cipher is
    looked up (and checked to belong to the company) once per opener, not once per value. Same checks and
    errors as `decrypt`. Keep an opener for one request only: it holds the unwrapped ciphers it used.
    """
    ciphers: dict[str, AESGCM] = {}

    def open_(token: str, aad: bytes) -> bytes:
        key_id, blob = _parse(token)
        aead = ciphers.get(key_id)
        if aead is None:
            aead = ciphers[key_id] = key_for_decryption(key_id, company_id)
        try:
            return aead.decrypt(blob[:NONCE], blob[NONCE:], aad)
        except InvalidTag as exc:
            raise DecryptionError(
                "Decryption failed: the value belongs to another row, column or company, or was tampered with"
            ) from exc

    return open_


# --- shredding and rotation ----------------------------------------------------------------------------


def destroy_company_key(company) -> int:
    """Crypto-shredding: destroy every data key of the company. All its encrypted values become unreadable.

    Returns the number of keys destroyed. Other processes forget their cached copy within
    ENCRYPTION_KEY_CACHE_SECONDS.
    """
    from hrportal.encryption.models import DataKey

    company_id = getattr(company, "pk", company)
    now = timezone.now()
    count = DataKey.objects.filter(company_id=company_id, destroyed_at__isnull=True).update(
        wrapped_key="", master_key_id="", destroyed_at=now, retired_at=now
    )
    forget_company(company_id)
    return count


def rewrap(datakey) -> bool:
    """Re-wrap one data key under the current master key. False if it already was (idempotent)."""
    if datakey.destroyed_at is not None:
        return False
    current = current_master_key()
    if datakey.master_key_id == current.key_id and token_key_id(datakey.wrapped_key) == current.key_id:
        return False
    raw = unwrap(datakey)
    datakey.wrapped_key, datakey.master_key_id = wrap(raw, datakey.company_id, datakey.key_id)
    datakey.save(update_fields=["wrapped_key", "master_key_id"])
    return True


def start_company_key_rotation(company_id: int, reason: str = ""):
    """Retire the current data key and create a new one (in one transaction). Returns the new key.

    With a `reason`: when the current key was made by a rotation for that same reason, nothing changes and
    None is returned (running the command twice for one incident makes one new key, not two). The current
    key's row is locked first, so two concurrent runs for one reason also make one key.
    """
    from hrportal.encryption.models import DataKey

    reason = reason.strip()
    with transaction.atomic():
        current = list(
            DataKey.objects.select_for_update().filter(
                company_id=company_id, retired_at__isnull=True, destroyed_at__isnull=True
            )
        )
        if reason and any(key.rotation_reason == reason for key in current):
            return None
        DataKey.objects.filter(pk__in=[key.pk for key in current]).update(retired_at=timezone.now())
        forget_company(company_id)
        datakey = create_data_key(company_id)
        if reason:
            datakey.rotation_reason = reason
            datakey.save(update_fields=["rotation_reason"])
    return datakey

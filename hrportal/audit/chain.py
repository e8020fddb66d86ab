"""The key of the audit chain, and the MACs that only its holder can compute.

A plain SHA-256 chain proves nothing to someone who can write the table: they edit a row and recompute
every hash after it. Keyed with AUDIT_CHAIN_KEY (from the environment, never the database), a rebuilt
chain no longer verifies. The key is separate from the encryption and blind-index keys so it can be
handed to an auditor who verifies the log without being able to decrypt anything.
"""

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hrportal.encryption.keyring import decode_secret_key


@lru_cache(maxsize=4)
def _decode(config: str) -> bytes:
    return decode_secret_key(config, "AUDIT_CHAIN_KEY", ImproperlyConfigured)


def chain_key() -> bytes:
    config = settings.AUDIT_CHAIN_KEY
    if not config:
        raise ImproperlyConfigured("No audit chain key configured (AUDIT_CHAIN_KEY is empty)")
    return _decode(config)


def keyed_digest(data: bytes) -> str:
    return hmac.new(chain_key(), data, hashlib.sha256).hexdigest()


def chain_id(company_id) -> int:
    """The anchor's key: the company id, 0 for events that belong to no company."""
    return int(company_id or 0)


def anchor_mac(chain: int, last_event_id: int, last_hash: str) -> str:
    return keyed_digest(f"audit-anchor:{chain}:{last_event_id}:{last_hash}".encode())

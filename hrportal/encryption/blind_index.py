"""Keyed blind indexes: HMAC-SHA256 under a key derived (HKDF) per purpose and per company.

The same value in two companies gives two unrelated indexes, so an index column reveals nothing across
tenants and cannot be joined between them. The root is BLIND_INDEX_MASTER_KEY, separate from the master
keys; derived keys are cached per process (they are cheap to recompute, the cache only saves time).
"""

import hashlib
import hmac
from functools import lru_cache

from hrportal.encryption.keyring import blind_index_root_key
from hrportal.encryption.primitives import derive_key


@lru_cache(maxsize=1024)
def _company_key(root: bytes, purpose: str, company_id: int) -> bytes:
    return derive_key(root, f"ansatte:blind-index:{purpose}:company={company_id}")


def company_blind_index(purpose: str, company_id: int, value: str) -> str:
    if company_id is None:
        raise ValueError("A blind index needs a company")
    key = _company_key(blind_index_root_key(), purpose, int(company_id))
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()

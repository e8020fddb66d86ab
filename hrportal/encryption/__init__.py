"""Encryption: AES-GCM with versioned master keys from the environment.

Small API used by every portal module (`seal`, `unseal`, master-key helpers); it imports no views, forms
or templates. Per-company data keys and the model fields are built on these primitives.
"""

from hrportal.encryption.keyring import (
    DecryptionError,
    KeyringError,
    MasterKey,
    current_master_key,
    master_keys,
)
from hrportal.encryption.primitives import seal, seal_with_master, unseal, unseal_with_master

__all__ = [
    "DecryptionError",
    "KeyringError",
    "MasterKey",
    "current_master_key",
    "master_keys",
    "seal",
    "seal_with_master",
    "unseal",
    "unseal_with_master",
]

"""Encryption: AES-GCM with versioned master keys from the environment.

Small API used by every portal module (`seal`, `unseal`, master-key helpers); it imports no views, forms
or templates. Per-company data keys (`datakeys`: `destroy_company_key`), the model fields (`fields`),
keyed blind indexes (`blind_index`) and chunked file encryption (`streams`: `encrypt_stream`,
`decrypt_stream`) are built on these primitives.
"""

from hrportal.encryption.datakeys import destroy_company_key
from hrportal.encryption.keyring import (
    DecryptionError,
    KeyringError,
    MasterKey,
    current_master_key,
    master_keys,
)
from hrportal.encryption.primitives import seal, seal_with_master, unseal, unseal_with_master
from hrportal.encryption.streams import decrypt_stream, encrypt_stream

__all__ = [
    "DecryptionError",
    "KeyringError",
    "MasterKey",
    "current_master_key",
    "decrypt_stream",
    "destroy_company_key",
    "encrypt_stream",
    "master_keys",
    "seal",
    "seal_with_master",
    "unseal",
    "unseal_with_master",
]

"""AES-256-GCM sealing with associated data, and keyed hashing.

Token format (text, safe for a TextField): ``v1.<key_id>.<base64(nonce || ciphertext+tag)>``. The key id
travels with every ciphertext so rotation can find the key; the associated data is never stored, it is
rebuilt from where the value lives (table, column, owner), so a ciphertext moved elsewhere fails.
"""

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hrportal.encryption.keyring import DecryptionError, blind_index_root_key, current_master_key, master_key

VERSION = "v1"
NONCE_BYTES = 12


def seal(plaintext: bytes, *, key: bytes, key_id: str, aad: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, aad)
    return f"{VERSION}.{key_id}.{base64.b64encode(nonce + ciphertext).decode('ascii')}"


def parse_token(token: str) -> tuple[str, bytes]:
    """Return (key_id, nonce+ciphertext) or raise DecryptionError."""
    if not isinstance(token, str):
        raise DecryptionError("Encrypted value has the wrong type")
    parts = token.split(".", 2)
    if len(parts) != 3 or parts[0] != VERSION or not parts[1]:
        raise DecryptionError("Not an encrypted value of a known version")
    try:
        blob = base64.b64decode(parts[2], validate=True)
    except binascii.Error as exc:
        raise DecryptionError("Encrypted value is not valid base64") from exc
    if len(blob) < NONCE_BYTES + 16:
        raise DecryptionError("Encrypted value is truncated")
    return parts[1], blob


def unseal(token: str, *, key: bytes, aad: bytes) -> bytes:
    _, blob = parse_token(token)
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise DecryptionError("Decryption failed: wrong key, wrong context or tampered data") from exc


def token_key_id(token: str) -> str:
    return parse_token(token)[0]


def seal_with_master(plaintext: bytes, aad: bytes) -> str:
    """Encrypt directly under the current master key (for small system secrets such as TOTP keys)."""
    mk = current_master_key()
    return seal(plaintext, key=mk.key, key_id=mk.key_id, aad=aad)


def unseal_with_master(token: str, aad: bytes) -> bytes:
    return unseal(token, key=master_key(token_key_id(token)).key, aad=aad)


def derive_key(root: bytes, info: str, length: int = 32) -> bytes:
    return HKDF(algorithm=SHA256(), length=length, salt=None, info=info.encode()).derive(root)


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 under a key derived for `purpose` from the blind-index root key (hex)."""
    key = derive_key(blind_index_root_key(), f"ansatte:{purpose}")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()

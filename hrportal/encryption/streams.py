"""Encrypt and decrypt files in chunks with the company's data key, in bounded memory.

For HR documents and photos: the file is cut into chunks of CHUNK_SIZE bytes, each sealed with AES-GCM.
Each chunk's nonce is a random per-file prefix, the chunk counter and a "last chunk" flag, and each
chunk's associated data is the caller's `aad` plus the file header, so chunks cannot be reordered,
dropped, truncated at a chunk boundary, or moved to another file or company without failing.

Layout: MAGIC | len(key_id) (1 byte) | key_id | nonce prefix (7 bytes) | { len (4 bytes BE) | chunk }*
"""

import os
import struct

from cryptography.exceptions import InvalidTag

from hrportal.encryption import datakeys
from hrportal.encryption.keyring import DecryptionError

MAGIC = b"ANSF1"
CHUNK_SIZE = 64 * 1024
PREFIX_BYTES = 7
TAG_BYTES = 16


def _company_id(company):
    return getattr(company, "pk", company)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


def encrypt_stream(company, src, dst, aad: bytes, *, chunk_size: int = CHUNK_SIZE) -> int:
    """Read plaintext from file-like `src`, write the sealed stream to `dst`. Returns bytes written."""
    company_id = _company_id(company)
    key_id, aead = datakeys.key_for_encryption(company_id)
    prefix = os.urandom(PREFIX_BYTES)
    key_bytes = key_id.encode("ascii")
    header = MAGIC + bytes([len(key_bytes)]) + key_bytes + prefix
    dst.write(header)
    written = len(header)
    counter = 0
    chunk = src.read(chunk_size)
    while True:
        following = src.read(chunk_size)
        last = not following
        sealed = aead.encrypt(_nonce(prefix, counter, last), chunk, aad + b"|" + header)
        dst.write(struct.pack(">I", len(sealed)))
        dst.write(sealed)
        written += 4 + len(sealed)
        if last:
            return written
        counter += 1
        if counter >= 2**32:
            raise ValueError("File too large")
        chunk = following


def _read_exact(src, n: int) -> bytes:
    data = src.read(n)
    if len(data) != n:
        raise DecryptionError("Encrypted file is truncated")
    return data


def decrypt_stream(company, src, dst, aad: bytes, *, max_chunk: int = CHUNK_SIZE * 16) -> int:
    """Write the plaintext of a stream made by `encrypt_stream` to `dst`. Returns bytes written.

    Raises DecryptionError (and stops) at the first bad chunk; `dst` may then hold a partial prefix of
    the plaintext, which the caller must discard (write to a temporary file, not straight to a client).
    """
    company_id = _company_id(company)
    if src.read(len(MAGIC)) != MAGIC:
        raise DecryptionError("Not an encrypted file")
    key_len = _read_exact(src, 1)[0]
    key_bytes = _read_exact(src, key_len)
    prefix = _read_exact(src, PREFIX_BYTES)
    header = MAGIC + bytes([key_len]) + key_bytes + prefix
    aead = datakeys.key_for_decryption(key_bytes.decode("ascii"), company_id)
    counter = 0
    written = 0
    while True:
        length_bytes = src.read(4)
        if not length_bytes:
            raise DecryptionError("Encrypted file is truncated (no final chunk)")
        if len(length_bytes) != 4:
            raise DecryptionError("Encrypted file is truncated")
        (length,) = struct.unpack(">I", length_bytes)
        if length < TAG_BYTES or length > max_chunk + TAG_BYTES:
            raise DecryptionError("Encrypted file is corrupt")
        sealed = _read_exact(src, length)
        for last in (False, True):
            try:
                plain = aead.decrypt(_nonce(prefix, counter, last), sealed, aad + b"|" + header)
            except InvalidTag:
                continue
            break
        else:
            raise DecryptionError("Encrypted file failed to decrypt: wrong file, company or tampered data")
        dst.write(plain)
        written += len(plain)
        if last:
            if src.read(1):
                raise DecryptionError("Encrypted file has data after its final chunk")
            return written
        counter += 1

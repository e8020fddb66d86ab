"""Encrypted file storage for HR documents.

Files go through Django's storage API (local `PRIVATE_STORAGE_ROOT` by default; an S3-compatible backend can
be configured as `STORAGES["documents"]`), but only ever as ciphertext made by
`hrportal.encryption.streams` (AES-GCM, 64 KiB chunks), so memory stays bounded whatever the file size
and the storage never sees plaintext. No storage URL is ever used: files are served by portal views only.
"""

import contextlib
import contextvars
import hashlib
import logging
import secrets
import tempfile

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction

from hrportal.encryption import streams

logger = logging.getLogger(__name__)

COPY_CHUNK = 64 * 1024
# What a storage backend raises when a delete fails: the local disk (OSError) or an S3-compatible
# bucket through django-storages/boto3 (ClientError: refused, missing bucket; BotoCoreError: unreachable).
STORAGE_ERRORS = (OSError, ClientError, BotoCoreError)


class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage under PRIVATE_STORAGE_ROOT that has no URL (there is nothing to link to)."""

    def __init__(self, location=None, **kwargs):
        location = location or (settings.PRIVATE_STORAGE_ROOT / "documents")
        super().__init__(location=location, base_url=None, **kwargs)

    def url(self, name):
        raise NotImplementedError("Private documents are served through portal views only")


def document_storage():
    """STORAGES["documents"] when configured (production's S3 bucket), else the local private folder.

    Asked by alias only when the alias exists, so a misconfigured backend fails loudly instead of
    quietly sending documents to the local disk.
    """
    if "documents" in settings.STORAGES:
        return storages["documents"]
    return PrivateFileSystemStorage()


class HashingReader:
    """Wraps a binary file: computes the SHA-256 and size of what is read through it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n=-1):
        data = self.raw.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def company_folder(company_id) -> str:
    """The storage folder of one company's files (emptied when the company is deleted)."""
    return f"c{company_id}"


def new_storage_name(company_id) -> str:
    # Random, meaningless names: the name reveals neither the employee nor the document type.
    return f"{company_folder(company_id)}/{secrets.token_hex(16)}.enc"


def store_encrypted(company_id, plaintext_file, aad: bytes) -> tuple[str, str, int]:
    """Encrypt `plaintext_file` (binary, read from its current position) into storage.

    Returns (storage name, SHA-256 hex of the plaintext, plaintext size). Memory stays bounded: the
    ciphertext is spooled to a temporary file (on disk past 1 MiB) and handed to the storage as a file.
    """
    reader = HashingReader(plaintext_file)
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as sealed:
        streams.encrypt_stream(company_id, reader, sealed, aad)
        sealed.seek(0)
        name = document_storage().save(new_storage_name(company_id), File(sealed))
    _remove_on_rollback(name)
    return name, reader.sha256.hexdigest(), reader.size


# A file is stored before the row that points at it is committed: if the transaction then rolls back, the
# file would stay behind with no row. Within `files_removed_on_rollback()` (every request runs inside it:
# hrportal.documents.middleware) each stored name waits for its transaction: committed, it stays; rolled
# back, it is deleted when the block ends. What escapes this (a process killed in between, a job outside
# the block) is removed by the retention sweep once it is a day old (hrportal/documents/privacy.py).
_unsettled: contextvars.ContextVar[dict | None] = contextvars.ContextVar("unsettled_files", default=None)


def _remove_on_rollback(name: str) -> None:
    pending = _unsettled.get()
    if pending is None:
        return

    def committed():
        pending.pop(name, None)

    pending[name] = committed
    transaction.on_commit(committed)  # runs at once outside a transaction: nothing to wait for


@contextlib.contextmanager
def files_removed_on_rollback(using=None):
    """Delete, when the block ends, files stored in it whose transaction was rolled back.

    Django has no rollback hook, but it drops the on-commit callbacks of a rolled-back transaction or
    savepoint: a file whose callback neither ran nor still waits was rolled back. A callback still waiting
    (an enclosing transaction is open) leaves the file to that transaction's outcome.
    """
    pending: dict = {}
    token = _unsettled.set(pending)
    try:
        yield
    finally:
        _unsettled.reset(token)
        if pending:
            waiting = transaction.get_connection(using).run_on_commit
            for name, committed in list(pending.items()):
                if not any(func is committed for _sids, func, _robust in waiting):
                    delete_quietly(name)


def decrypt_to_tempfile(company_id, storage_name: str, aad: bytes):
    """The plaintext of a stored file, in a temporary file positioned at 0 (the caller closes it).

    Decrypts fully before returning, so a tampered file fails here (DecryptionError) and never reaches
    a client half-sent.
    """
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller (FileResponse closes it)
    try:
        with document_storage().open(storage_name, "rb") as sealed:
            streams.decrypt_stream(company_id, sealed, out, aad)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(COPY_CHUNK), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def delete_quietly(storage_name: str) -> None:
    """Delete a stored file; a failure is logged, not raised.

    Callers delete files while cleaning up after another error or after the row is gone: a storage that
    is briefly unreachable must not turn that into a failed request. The name is random, so the log
    reveals nothing about the document.
    """
    if not storage_name:
        return
    try:
        document_storage().delete(storage_name)
    except STORAGE_ERRORS as error:
        logger.warning("Could not delete stored file %s: %s", storage_name, type(error).__name__)


def raw_bytes(storage_name: str) -> bytes:
    """The stored (encrypted) bytes: for tests and checks, never for serving."""
    with document_storage().open(storage_name, "rb") as fh:
        return fh.read()

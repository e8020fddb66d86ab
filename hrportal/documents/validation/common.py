"""What every upload check shares: the refusal, the content types, sniffing and the size limit.

A file's type is decided by its first bytes, never by its name or the browser's content type: a renamed
executable must not pass as a PDF.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class RejectedUpload(Exception):
    def __init__(self, reason: str, message):
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass
class CheckedFile:
    file: object  # binary file at position 0: the upload itself or a re-encoded copy
    content_type: str
    size: int


def max_upload_bytes() -> int:
    return int(settings.DOCUMENT_MAX_UPLOAD_BYTES)


def first_bytes(fileobj, n=16) -> bytes:
    fileobj.seek(0)
    data = fileobj.read(n)
    fileobj.seek(0)
    return data


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return DOCX  # confirmed (or refused) by check_docx
    return None


def check_size(uploaded, limit: int) -> int:
    """The upload's size in bytes; RejectedUpload when it is empty or larger than `limit`."""
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
        uploaded.seek(0)
    if size > limit:
        raise RejectedUpload(
            "too_large",
            _("The file is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024)},
        )
    if size == 0:
        raise RejectedUpload("empty", _("The file is empty."))
    return size

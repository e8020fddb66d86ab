"""Upload validation by content, never by name or by the browser's content type.

Accepted: PDF (without active content), DOCX (without macros), PNG and JPEG (re-encoded by Pillow, which
also drops their metadata, e.g. GPS positions). Everything else (SVG, HTML, executables, other archives)
is refused. A virus scanner runs last (`hrportal.documents.scanning`).

Each refusal raises `RejectedUpload` with a short machine reason (for the audit log) and a message for
the user; nothing is written to storage before every check has passed.

The shared pieces are in `common`, each format's checks in its own module (`pdf`, `docx`, `images`), so
tightening one format is reviewed without the others.
"""

from django.utils.translation import gettext_lazy as _

from hrportal.documents import scanning
from hrportal.documents.validation.common import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    CheckedFile,
    RejectedUpload,
    check_size,
    first_bytes,
    max_upload_bytes,
    sniff,
)
from hrportal.documents.validation.docx import DOCX_MAX_XML_READ, check_docx
from hrportal.documents.validation.images import reencode_image
from hrportal.documents.validation.pdf import check_pdf

__all__ = [
    "DOCX",
    "DOCX_MAX_XML_READ",
    "JPEG",
    "PDF",
    "PNG",
    "CheckedFile",
    "RejectedUpload",
    "check_docx",
    "check_pdf",
    "check_size",
    "check_upload",
    "max_upload_bytes",
    "reencode_image",
    "sniff",
]


def check_upload(uploaded) -> CheckedFile:
    """Validate an uploaded file (an UploadedFile, or any binary file). Raises RejectedUpload."""
    size = check_size(uploaded, max_upload_bytes())
    content_type = sniff(first_bytes(uploaded))
    if content_type is None:
        raise RejectedUpload(
            "unsupported_type",
            _(
                "Only PDF, Word (DOCX), PNG and JPEG files can be uploaded. "
                "The file's content is none of these."
            ),
        )
    result = CheckedFile(file=uploaded, content_type=content_type, size=size)
    if content_type == PDF:
        check_pdf(uploaded)
    elif content_type == DOCX:
        check_docx(uploaded)
    else:
        result.file, result.size = reencode_image(uploaded, content_type)
    try:
        scanning.scan(result.file)
    except BaseException:
        if result.file is not uploaded:
            result.file.close()
        raise
    result.file.seek(0)
    return result

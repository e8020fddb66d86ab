"""PDF uploads: refused when they carry active content (scripts, automatic actions, embedded files).

A PDF viewer runs what the file asks for when it is opened; an HR document is read by people who trust
it. Two independent looks, so a trick that hides a name from one is seen by the other: the raw bytes of
every revision, and the parsed objects including those compressed inside object streams. Anything the
parser cannot read is refused (fail closed).
"""

import io
import re

from django.utils.translation import gettext_lazy as _

from hrportal.documents.validation.common import RejectedUpload

# PDF names that make a document do something when opened or carry other files.
FORBIDDEN_PDF_NAMES = {
    "JavaScript",
    "JS",
    "OpenAction",
    "AA",
    "EmbeddedFile",
    "EmbeddedFiles",
    "Launch",
    "RichMedia",
    "XFA",
    # Actions that send data out, pull data in or open other files.
    "SubmitForm",
    "ImportData",
    "GoToR",
    "GoToE",
}
SCAN_CHUNK = 1024 * 1024
SCAN_OVERLAP = 256
MAX_PDF_OBJECTS = 200_000
# Objects (dictionaries, arrays, values) the parsed-object walk may visit; a PDF needing more is refused.
MAX_PDF_NODES = 2_000_000
# Decompressed bytes of all object streams together (they hold object dictionaries, not page content).
MAX_PDF_OBJECT_STREAM_BYTES = 64 * 1024 * 1024

_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
# An /OpenAction that is only a destination ("open at page 1, fit width") does nothing but navigate: PDF
# writers such as LibreOffice and fpdf2 add one. Any other /OpenAction (an action dictionary) is refused.
_DESTINATION = re.compile(
    rb"\s*\[\s*\d+\s+\d+\s+R\s*/(?:XYZ|Fit|FitH|FitV|FitR|FitB|FitBH|FitBV)(?:\s+(?:null|[-+0-9.]+))*\s*\]"
)
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _normalise_name(raw: bytes) -> str:
    # "/J#61vaScript" is the name "/JavaScript": undo #xx escapes before comparing.
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def forbidden_names_in_raw_bytes(fileobj, counts: dict[str, int] | None = None) -> set[str]:
    """Scan the raw bytes (every revision, unreferenced objects too) for forbidden PDF names, in chunks.

    With `counts`, also count the occurrences of the names it holds as keys (each occurrence once)."""
    found = set()
    fileobj.seek(0)
    tail = b""
    base = 0  # offset of `buffer` in the file
    counted_upto = -1  # offset of the last counted name: the overlap must not count it twice
    while True:
        chunk = fileobj.read(SCAN_CHUNK)
        final = not chunk
        buffer = tail + chunk
        for match in _NAME.finditer(buffer):
            if not final and match.end() >= len(buffer):
                continue  # may continue in the next chunk; the overlap sees it whole
            name = _normalise_name(match.group(1))
            if counts is not None and name in counts and base + match.start() > counted_upto:
                counts[name] += 1
                counted_upto = base + match.start()
            if name == "OpenAction" and _DESTINATION.match(buffer, match.end()):
                continue
            if name in FORBIDDEN_PDF_NAMES:
                found.add(name)
        if final:
            break
        tail = buffer[-SCAN_OVERLAP:]
        base += len(buffer) - len(tail)
    fileobj.seek(0)
    return found


def _forbidden_in_object_streams(reader, found: set[str]) -> int:
    """Scan the decompressed data of every object stream like raw bytes; returns the number of streams.

    The parsed walk alone is not enough: pypdf, reading leniently, gives up on a direct object nested a few
    hundred levels deep and carries on with what it could read, so an action at the bottom would never
    reach the walk, while a PDF viewer may read it. The names are in the decompressed data whatever the
    parser makes of them."""
    streams = {
        stream_number for stream_number, _index in (getattr(reader, "xref_objStm", None) or {}).values()
    }
    if len(streams) > MAX_PDF_OBJECTS:
        raise RejectedUpload("pdf_too_complex", _("The PDF is too complex to be checked."))
    budget = MAX_PDF_OBJECT_STREAM_BYTES
    for stream_number in sorted(streams):
        data = reader.get_object(stream_number).get_data()
        budget -= len(data)
        if budget < 0:
            raise RejectedUpload("pdf_too_complex", _("The PDF is too complex to be checked."))
        found |= forbidden_names_in_raw_bytes(io.BytesIO(data))
    return len(streams)


def _forbidden_in_objects(reader, found: set[str]) -> None:
    """Walk the catalog and every object inside an object stream for forbidden names.

    An explicit stack, so neither the nesting depth of direct objects (an /A action whose /Next chain is
    nested 1000 deep) nor the length of a chain of indirect objects is limited by recursion, and nothing is
    skipped for being deep. Indirect references are followed once (a visited set of object numbers, so a
    cycle ends) when they point into an object stream; uncompressed objects are covered by the raw scan,
    and not following them keeps stream data (page contents, images) out of memory. Every node counts
    against a budget: a PDF needing more is refused rather than half-checked.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    compressed = getattr(reader, "xref_objStm", None) or {}
    if len(compressed) > MAX_PDF_OBJECTS:
        raise RejectedUpload("pdf_too_complex", _("The PDF is too complex to be checked."))
    stack: list = [IndirectObject(idnum, 0, reader) for idnum in compressed]
    stack.append(reader.trailer["/Root"].get_object())
    visited: set[int] = set()
    budget = MAX_PDF_NODES
    while stack:
        obj = stack.pop()
        budget -= 1
        if budget < 0:
            raise RejectedUpload("pdf_too_complex", _("The PDF is too complex to be checked."))
        if isinstance(obj, IndirectObject):
            if obj.idnum in visited or obj.idnum not in compressed:
                continue
            visited.add(obj.idnum)
            obj = reader.get_object(obj)
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key == "/OpenAction" and _is_destination(value):
                    continue
                name = str(key).lstrip("/")
                if name in FORBIDDEN_PDF_NAMES:
                    found.add(name)
                if (
                    key in ("/S", "/Type", "/Subtype", "/FT")
                    and isinstance(value, NameObject)
                    and value.lstrip("/") in FORBIDDEN_PDF_NAMES
                ):
                    found.add(value.lstrip("/"))
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _is_destination(value) -> bool:
    from pypdf.generic import ArrayObject, IndirectObject, NameObject

    if isinstance(value, IndirectObject):
        return False  # an indirect /OpenAction is walked on its own: treat it as an action
    return (
        isinstance(value, ArrayObject)
        and len(value) >= 2
        and isinstance(value[1], NameObject)
        and all(not isinstance(v, ArrayObject | dict) for v in value)
    )


def forbidden_names_in_parsed_pdf(fileobj, object_streams_in_raw_bytes: int = 0) -> set[str]:
    """Parse the PDF and inspect the catalog and the objects hidden in compressed object streams.

    Uncompressed objects are covered by the raw scan; objects inside object streams are compressed and
    only visible once decompressed (scanned like raw bytes) and parsed (walked). Other stream data (page
    contents, images) is never loaded here. `object_streams_in_raw_bytes` is the number of /ObjStm names
    the raw scan saw: an object stream the parser does not know of (e.g. left out of a damaged
    cross-reference table, which a viewer may rebuild) cannot be checked, so the PDF is refused.
    """
    from pypdf import PdfReader

    found: set[str] = set()
    fileobj.seek(0)
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted:
            raise RejectedUpload(
                "pdf_encrypted",
                _("Password-protected PDFs cannot be checked. Remove the password and upload again."),
            )
        known_streams = _forbidden_in_object_streams(reader, found)
        if object_streams_in_raw_bytes > known_streams:
            raise RejectedUpload("pdf_unreadable", _("The PDF could not be read. Is the file damaged?"))
        _forbidden_in_objects(reader, found)
        if len(reader.pages) < 1:
            raise RejectedUpload("pdf_unreadable", _("The PDF has no pages."))
    except RejectedUpload:
        raise
    except Exception as exc:  # whatever the parser trips on, the file is refused (fail closed)
        raise RejectedUpload("pdf_unreadable", _("The PDF could not be read. Is the file damaged?")) from exc
    finally:
        fileobj.seek(0)
    return found


def check_pdf(fileobj) -> None:
    counts = {"ObjStm": 0}
    found = forbidden_names_in_raw_bytes(fileobj, counts)
    found |= forbidden_names_in_parsed_pdf(fileobj, counts["ObjStm"])
    if found:
        raise RejectedUpload(
            "pdf_active_content",
            _(
                "The PDF contains scripts, automatic actions or embedded files, which are not allowed. "
                "Print it to a new PDF and upload that."
            ),
        )

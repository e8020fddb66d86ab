"""Upload validation by content, never by name or by the browser's content type.

Accepted: PDF (without active content), DOCX (without macros), PNG and JPEG (re-encoded by Pillow, which
also drops their metadata, e.g. GPS positions). Everything else (SVG, HTML, executables, other archives)
is refused. A virus scanner runs last (`hrportal.documents.scanning`).

Each refusal raises `RejectedUpload` with a short machine reason (for the audit log) and a message for
the user; nothing is written to storage before every check has passed.
"""

import io
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers.expat import ExpatError

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hrportal.documents import scanning

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
MAX_IMAGE_PIXELS = 60_000_000
DOCX_MAX_ENTRIES = 5000
DOCX_MAX_RATIO = 100  # unpacked / packed size of one entry
DOCX_RATIO_FLOOR = 64 * 1024  # entries unpacking to less are harmless whatever their ratio
DOCX_MAX_XML_READ = 4 * 1024 * 1024  # content types, relationships and settings are read at most this far
# Relationship types (the last part of the Type URI, lower case) that are refused wherever they point.
DOCX_EMBEDDED_RELATIONSHIPS = {"oleobject", "package"}
DOCX_MACRO_RELATIONSHIPS = {"vbaproject", "wordvbadata", "control", "activexcontrol", "activexcontrolbinary"}
DOCX_EXTERNAL_RELATIONSHIPS = {"attachedtemplate", "subdocument", "frame"}

_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
# An /OpenAction that is only a destination ("open at page 1, fit width") does nothing but navigate: PDF
# writers such as LibreOffice and fpdf2 add one. Any other /OpenAction (an action dictionary) is refused.
_DESTINATION = re.compile(
    rb"\s*\[\s*\d+\s+\d+\s+R\s*/(?:XYZ|Fit|FitH|FitV|FitR|FitB|FitBH|FitBV)(?:\s+(?:null|[-+0-9.]+))*\s*\]"
)
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


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


def _head(fileobj, n=16) -> bytes:
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


# --- PDF ------------------------------------------------------------------------------------------------


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


# --- DOCX -----------------------------------------------------------------------------------------------


def docx_max_uncompressed() -> int:
    """Bound on the declared unpacked size of all entries together (setting, default 5 x the upload limit)."""
    return int(settings.DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES)


class _XmlRefused(Exception):
    pass


def _xml_elements(data: bytes) -> list[tuple[str, dict]]:
    """(local name, attributes) of every element, parsed by expat (any encoding, character references
    resolved, so `TargetMode="&#69;xternal"` is "External"). A DTD is refused: OOXML parts have none, and
    without one no entity can expand."""
    from xml.parsers import expat

    def refuse(*_args):
        raise _XmlRefused

    elements: list[tuple[str, dict]] = []
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda name, attrs: elements.append((name.rpartition(":")[2], attrs))
    parser.Parse(data, True)
    return elements


def _read_bounded(archive, info, limit: int) -> bytes:
    """The entry's content, inflating at most `limit` + 1 bytes whatever its header declares."""
    with archive.open(info) as entry:
        data = entry.read(limit + 1)
    if len(data) > limit:
        raise RejectedUpload("docx_too_large", _("The Word document is too large when unpacked."))
    return data


def _check_docx_entries(infos) -> None:
    """Sizes and names, from the central directory only (nothing inflated yet)."""
    too_large = RejectedUpload("docx_too_large", _("The Word document is too large when unpacked."))
    if sum(info.file_size for info in infos) > docx_max_uncompressed():
        raise too_large
    for info in infos:
        # A zip bomb: far more out than in. Small entries are harmless whatever their ratio.
        if info.file_size > DOCX_RATIO_FLOOR and (
            info.compress_size <= 0 or info.file_size / info.compress_size > DOCX_MAX_RATIO
        ):
            raise too_large
    if any(info.flag_bits & 0x1 for info in infos):
        raise RejectedUpload("docx_encrypted", _("Password-protected Word documents cannot be checked."))
    names = [info.filename.replace("\\", "/").lower() for info in infos]
    if any(n.endswith("vbaproject.bin") or "/activex/" in n or n.startswith("activex/") for n in names):
        raise RejectedUpload(
            "docx_macros", _("Word documents with macros or ActiveX controls are not allowed.")
        )
    if any("embeddings/" in n or "oleobject" in n for n in names):
        raise _embedded()


def _embedded() -> RejectedUpload:
    return RejectedUpload(
        "docx_embedded",
        _(
            "Word documents with embedded objects (OLE) are not allowed. "
            "Save the document without them, or as PDF, and upload that."
        ),
    )


def _external() -> RejectedUpload:
    return RejectedUpload(
        "docx_external",
        _(
            "Word documents that load a template or other content from outside the document are not "
            "allowed. Save it as a new document, or as PDF, and upload that."
        ),
    )


def _check_content_types(data: bytes) -> None:
    values = " ".join(value for _name, attrs in _xml_elements(data) for value in attrs.values()).lower()
    if "macroenabled" in values or "vbaproject" in values or "activex" in values:
        raise RejectedUpload(
            "docx_macros", _("Word documents with macros or ActiveX controls are not allowed.")
        )
    if "oleobject" in values:
        raise _embedded()


def _check_relationships(data: bytes, rels_name: str) -> None:
    for name, attrs in _xml_elements(data):
        if name != "Relationship":
            continue
        kind = attrs.get("Type", "").strip().rsplit("/", 1)[-1].lower()
        if kind in DOCX_EMBEDDED_RELATIONSHIPS:
            raise _embedded()
        if kind in DOCX_MACRO_RELATIONSHIPS:
            raise RejectedUpload(
                "docx_macros", _("Word documents with macros or ActiveX controls are not allowed.")
            )
        if kind in DOCX_EXTERNAL_RELATIONSHIPS:
            raise _external()
        if attrs.get("TargetMode", "").strip().lower() == "external":
            # A clickable web or mail link in the text loads nothing by itself: allowed. Any other
            # external target (template, image, frame, OLE link, file or UNC path) is fetched by Word.
            target = attrs.get("Target", "").strip().lower()
            is_link = kind == "hyperlink" and not rels_name.endswith("settings.xml.rels")
            if not (is_link and target.startswith(("https://", "http://", "mailto:"))):
                raise _external()


def check_docx(fileobj) -> None:
    """A Word document without macros, ActiveX, embedded OLE objects, external templates or other external
    content, and not a zip bomb: sizes are checked from the central directory before anything is
    inflated, and the few parts read (content types, relationships, settings) are read bounded."""
    fileobj.seek(0)
    not_docx = RejectedUpload("unsupported_type", _("The file is a ZIP archive, not a Word document (DOCX)."))
    unreadable = RejectedUpload(
        "docx_invalid", _("The Word document could not be read. Is the file damaged?")
    )
    try:
        archive = zipfile.ZipFile(fileobj)  # closed below
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        fileobj.seek(0)
        raise not_docx from exc
    try:
        with archive:
            infos = archive.infolist()
            if len(infos) > DOCX_MAX_ENTRIES:
                raise not_docx
            by_name = {info.filename: info for info in infos}
            if len(by_name) != len(infos):
                raise unreadable  # the same name twice: which one a reader takes is unclear
            if "[Content_Types].xml" not in by_name or not any(n.startswith("word/") for n in by_name):
                raise not_docx
            _check_docx_entries(infos)
            content_types = _read_bounded(archive, by_name["[Content_Types].xml"], DOCX_MAX_XML_READ)
            if b"macroenabled" in content_types.lower() or b"vbaproject" in content_types.lower():
                raise RejectedUpload(
                    "docx_macros", _("Word documents with macros or ActiveX controls are not allowed.")
                )
            _check_content_types(content_types)
            for info in infos:
                lowered = info.filename.replace("\\", "/").lower()
                if lowered.endswith(".rels"):
                    _check_relationships(_read_bounded(archive, info, DOCX_MAX_XML_READ), lowered)
                elif lowered == "word/settings.xml":
                    settings_xml = _read_bounded(archive, info, DOCX_MAX_XML_READ)
                    if any(name == "attachedTemplate" for name, _attrs in _xml_elements(settings_xml)):
                        raise _external()
    except RejectedUpload:
        raise
    except (
        zipfile.BadZipFile,
        _XmlRefused,
        ExpatError,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise unreadable from exc
    finally:
        fileobj.seek(0)


# --- Images ---------------------------------------------------------------------------------------------


def reencode_image(fileobj, content_type: str):
    """Check the image with Pillow and return a re-encoded copy (a temporary file at position 0)."""
    from PIL import Image, UnidentifiedImageError

    expected = {PNG: "PNG", JPEG: "JPEG"}[content_type]
    bad = RejectedUpload("image_invalid", _("The image could not be read. Is the file damaged?"))
    try:
        fileobj.seek(0)
        with Image.open(fileobj) as probe:
            if probe.format != expected:
                raise bad
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise RejectedUpload("image_too_large", _("The image has too many pixels."))
            probe.verify()
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            image.load()
            out = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller
            icc = image.info.get("icc_profile")
            if expected == "JPEG":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=95, icc_profile=icc)
            else:
                image.save(out, "PNG", icc_profile=icc)
    except RejectedUpload:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise bad from exc
    finally:
        fileobj.seek(0)
    out.seek(0, 2)
    size = out.tell()
    out.seek(0)
    return out, size


# --- The whole check ------------------------------------------------------------------------------------


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


def check_upload(uploaded) -> CheckedFile:
    """Validate an uploaded file (an UploadedFile, or any binary file). Raises RejectedUpload."""
    size = check_size(uploaded, max_upload_bytes())
    content_type = sniff(_head(uploaded))
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

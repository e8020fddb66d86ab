"""Word (DOCX) uploads: no macros, ActiveX, embedded OLE objects or external content, and no zip bomb.

Word fetches an attached template or an external image when the document is opened, and runs macros
and controls; any of these turns an HR document into a way in. Only the few parts that say so are read,
each bounded, after the sizes in the central directory are checked.
"""

import zipfile
import zlib
from xml.parsers.expat import ExpatError

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hrportal.documents.validation.common import RejectedUpload

DOCX_MAX_ENTRIES = 5000
DOCX_MAX_RATIO = 100  # unpacked / packed size of one entry
DOCX_RATIO_FLOOR = 64 * 1024  # entries unpacking to less are harmless whatever their ratio
DOCX_MAX_XML_READ = 4 * 1024 * 1024  # content types, relationships and settings are read at most this far
# Relationship types (the last part of the Type URI, lower case) that are refused wherever they point.
DOCX_EMBEDDED_RELATIONSHIPS = {"oleobject", "package"}
DOCX_MACRO_RELATIONSHIPS = {"vbaproject", "wordvbadata", "control", "activexcontrol", "activexcontrolbinary"}
DOCX_EXTERNAL_RELATIONSHIPS = {"attachedtemplate", "subdocument", "frame"}


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

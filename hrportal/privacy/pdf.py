"""PDF output of this app, behind one function: `render_pdf(template_name, context, language) -> bytes`.

Uses the portal's shared renderer (`hrportal.pdf.render_pdf`, from the documents module) when it exists;
until then a small built-in writer lays the template's text out on A4 pages (Helvetica, WinAnsi encoding,
so Danish letters work), with no dependency. The text stays searchable (uncompressed content streams).
"""

import html
import re
import textwrap

from django.template.loader import render_to_string
from django.utils import translation

_BLOCK = re.compile(
    r"</?(p|div|h[1-6]|li|tr|br|section|article|header|footer|table|ul|ol|dl|dt|dd)\b[^>]*>", re.I
)


def render_pdf(template_name: str, context: dict, language: str) -> bytes:
    try:
        from hrportal.pdf import render_pdf as shared_render_pdf
    except ImportError:
        shared_render_pdf = None
    if shared_render_pdf is not None:
        return shared_render_pdf(template_name, context, language)
    with translation.override(language):
        markup = render_to_string(template_name, context)
    return text_pdf(html_to_lines(markup))


def html_to_lines(markup: str) -> list[str]:
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?i)<li\b[^>]*>", "\n- ", markup)
    markup = re.sub(r"(?i)</t[dh]>", "  ", markup)
    markup = _BLOCK.sub("\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    lines = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            if lines and lines[-1]:
                lines.append("")
            continue
        lines.extend(textwrap.wrap(line, 95) or [""])
    return lines


def _pdf_string(line: str) -> bytes:
    data = line.encode("cp1252", errors="replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(lines: list[str], lines_per_page: int = 56) -> bytes:
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    objects: list[bytes] = []  # object n is objects[n-1]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # pages, filled below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page in pages:
        stream = (
            b"BT /F1 10 Tf 14 TL 50 800 Td " + b" ".join(_pdf_string(line) + b" '" for line in page) + b" ET"
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % content_id
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)

"""PDF rendering for the portal: a Django template (simple HTML) in, PDF bytes out.

`render_pdf(template_name, context, language)` renders the template in `language` and lays the HTML out with
fpdf2 (pure Python: `pip install` alone, no system libraries). Used by employment documents and reusable by
the DPA, exports and invoices.

Templates use the subset of HTML fpdf2 lays out: h1-h4, p, b/strong, i/em, u, br, hr, ul/ol/li, table
(thead/tbody/tr/th/td with width percentages), blockquote, font. Text is set in DejaVu Sans, a Unicode
TrueType font vendored in `site/fonts/` (with its licence): fpdf2's built-in Helvetica knows only
Windows-1252, which turned names such as "Łukasz" or "Şahin" into "?". Characters DejaVu Sans has no
glyph for (e.g. CJK, emoji) are replaced (`?`) rather than failing the whole document.

Documents get a header line (`header` in the context, e.g. the company name), page numbers in the footer,
and metadata (title, language, creation date). Rendering is deterministic: the creation date is the one the
caller names (the document's own timestamp, never the clock), and the file identifier (`/ID`) is fpdf2's
hash of the content and that date, so the same document and data give the same bytes. That lets a signed
document's pages be re-rendered for verification, and keeps tests that compare bytes from failing on a
second boundary.
"""

import datetime
import functools
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TextEmphasis

FONT_DIR = Path(__file__).resolve().parent.parent / "site" / "fonts"
FONT = "dejavusans"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
BODY_SIZE = 10.5
_TAGS_THAT_MUST_CLOSE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


class _PortalPDF(FPDF):
    header_text = ""
    footer_text = ""
    page_label = "Page"

    def set_font(self, family=None, style="", size=0):
        """Add the italic styles on their first use: parsing a TrueType file takes a noticeable part of a
        document's rendering time, and most documents use only regular and bold."""
        if (family or self.font_family or "").lower() == FONT:
            letters = (style.style if isinstance(style, TextEmphasis) else style or "").upper()
            key = "".join(letter for letter in "BI" if letter in letters)
            if f"{FONT}{key}" not in self.fonts:
                self.add_font(FONT, key, FONT_DIR / FONT_FILES[key])
        return super().set_font(family, style, size)

    def header(self):
        if self.header_text:
            self.set_font(FONT, size=8)
            self.set_text_color(110, 110, 110)
            self.cell(0, 6, self.header_text, align="L")
            self.ln(8)
            self.set_text_color(20, 20, 20)

    def footer(self):
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.set_text_color(110, 110, 110)
        left = self.footer_text
        self.cell(0, 6, left, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"{self.page_label} {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(20, 20, 20)


@functools.cache
def _glyphs() -> frozenset[int]:
    """Code points every style of the font can show (read once per process)."""
    covered = None
    for filename in FONT_FILES.values():
        with TTFont(FONT_DIR / filename, lazy=True) as font:
            points = frozenset(font.getBestCmap())
        covered = points if covered is None else covered & points
    return covered


def to_pdf_text(text: str) -> str:
    """Replace characters the font has no glyph for by "?" (line breaks and tabs are kept)."""
    glyphs = _glyphs()
    return "".join(c if ord(c) in glyphs or c in "\n\r\t" else "?" for c in text)


def as_creation_date(moment: datetime.date | datetime.datetime) -> datetime.datetime:
    """A PDF creation date from a document's own date or timestamp (a date is midnight in Copenhagen)."""
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime.combine(moment, datetime.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.replace(microsecond=0)


def html_to_pdf(
    body_html: str,
    *,
    created_at: datetime.date | datetime.datetime,
    title: str = "",
    language: str = "da",
    header: str = "",
    footer: str = "",
) -> bytes:
    body_html = _TAGS_THAT_MUST_CLOSE.sub("", body_html)
    pdf = _PortalPDF(format="A4", unit="mm")
    for style in ("", "B"):  # tables look bold up for their headings without set_font
        pdf.add_font(FONT, style, FONT_DIR / FONT_FILES[style])
    pdf.header_text = to_pdf_text(header)
    pdf.footer_text = to_pdf_text(footer)
    pdf.page_label = "Side" if language == "da" else "Page"
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(to_pdf_text(title))
    pdf.set_lang(language)
    pdf.set_creator("Ansatte")
    pdf.set_creation_date(as_creation_date(created_at))
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(FONT, size=BODY_SIZE)
    pdf.set_text_color(20, 20, 20)
    pdf.write_html(
        to_pdf_text(body_html),
        ul_bullet_char="\u2022",
        font_family=FONT,
        table_line_separators=True,
    )
    return bytes(pdf.output())


def render_html(template_name: str, context: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string(template_name, context)


def render_pdf(
    template_name: str, context: dict, language: str, *, created_at: datetime.date | datetime.datetime
) -> bytes:
    """Render a Django template to PDF bytes, in `language` ("da" or "en").

    `created_at` is required: the caller names the document's own timestamp, so a re-render is identical.
    """
    body = render_html(template_name, context, language)
    title = context.get("title", "")
    return html_to_pdf(
        body,
        created_at=created_at,
        title=str(title),
        language=language,
        header=str(context.get("header", "")),
        footer=str(context.get("footer", "")),
    )

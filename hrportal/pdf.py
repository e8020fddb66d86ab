"""PDF rendering for the portal: a Django template (simple HTML) in, PDF bytes out.

`render_pdf(template_name, context, language)` renders the template in `language` and lays the HTML out with
fpdf2 (pure Python: `pip install` alone, no system libraries). Used by employment documents and reusable by
the DPA, exports and invoices.

Templates use the subset of HTML fpdf2 lays out: h1-h4, p, b/strong, i/em, u, br, hr, ul/ol/li, table
(thead/tbody/tr/th/td with width percentages), blockquote, font. Text is set in Helvetica with the
Windows-1252 encoding, which covers Danish (æ, ø, å), §, €, dashes and typographic quotes; any other
character is replaced (`?`) rather than failing the whole document.

Documents get a header line (`header` in the context, e.g. the company name), page numbers in the footer,
and metadata (title, language, creation date) set deterministically apart from the date.
"""

import re

from django.template.loader import render_to_string
from django.utils import timezone, translation
from fpdf import FPDF

ENCODING = "windows-1252"
FONT = "helvetica"
BODY_SIZE = 10.5
_TAGS_THAT_MUST_CLOSE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


class _PortalPDF(FPDF):
    header_text = ""
    footer_text = ""
    page_label = "Page"

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


def to_pdf_text(text: str) -> str:
    """Replace characters Helvetica/Windows-1252 cannot show (keeps æøå, §, €, quotes and dashes)."""
    return text.encode(ENCODING, errors="replace").decode(ENCODING)


def html_to_pdf(
    body_html: str, *, title: str = "", language: str = "da", header: str = "", footer: str = ""
) -> bytes:
    body_html = _TAGS_THAT_MUST_CLOSE.sub("", body_html)
    pdf = _PortalPDF(format="A4", unit="mm")
    pdf.core_fonts_encoding = ENCODING
    pdf.header_text = to_pdf_text(header)
    pdf.footer_text = to_pdf_text(footer)
    pdf.page_label = "Side" if language == "da" else "Page"
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(to_pdf_text(title))
    pdf.set_lang(language)
    pdf.set_creator("Ansatte")
    pdf.set_creation_date(timezone.now())
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


def render_pdf(template_name: str, context: dict, language: str) -> bytes:
    """Render a Django template to PDF bytes, in `language` ("da" or "en")."""
    body = render_html(template_name, context, language)
    title = context.get("title", "")
    return html_to_pdf(
        body,
        title=str(title),
        language=language,
        header=str(context.get("header", "")),
        footer=str(context.get("footer", "")),
    )

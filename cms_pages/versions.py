"""Public version history of a page, read from Wagtail's own revisions, and a readable diff of two versions.

Only revisions that were actually published (a "wagtail.publish" entry in the page's log) count as
versions: drafts, revisions waiting in a workflow and scheduled-but-not-yet-live revisions never do, so
nothing an editor has not released can reach a visitor through the history.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PUBLISH_ACTION = "wagtail.publish"


@dataclass(frozen=True)
class PublishedVersion:
    revision_id: int
    valid_from: date | None
    change_summary: str
    material_change: bool
    published_at: datetime
    content: dict


def published_versions(page) -> list[PublishedVersion]:
    """Every published version of `page`, newest first, in two queries whatever their number."""
    from wagtail.models import PageLogEntry, Revision

    entries = (
        PageLogEntry.objects.filter(page_id=page.pk, action=PUBLISH_ACTION, revision__isnull=False)
        .order_by("timestamp", "pk")
        .values_list("revision_id", "timestamp")
    )
    first_published: dict[int, datetime] = {}
    for revision_id, timestamp in entries:
        first_published.setdefault(revision_id, timestamp)
    contents = dict(
        Revision.page_revisions.filter(pk__in=first_published, object_id=str(page.pk)).values_list(
            "pk", "content"
        )
    )
    versions = []
    for revision_id, published_at in first_published.items():
        content = contents.get(revision_id)
        if content is None:  # a revision purged by an administrator is gone from the history too
            continue
        valid_from = content.get("valid_from")
        versions.append(
            PublishedVersion(
                revision_id=revision_id,
                valid_from=date.fromisoformat(valid_from) if valid_from else None,
                change_summary=content.get("change_summary") or "",
                material_change=bool(content.get("material_change")),
                published_at=published_at,
                content=content,
            )
        )
    versions.sort(key=lambda v: (v.published_at, v.revision_id), reverse=True)
    return versions


BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "td", "th", "br", "section",
    "table", "ul", "ol", "figure", "figcaption",
}  # fmt: skip


class _TextExtractor(HTMLParser):
    """Text a reader sees, one entry per block-level element, so a diff talks about words, not markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def text_blocks(html: str) -> list[str]:
    parser = _TextExtractor()
    parser.feed(str(html))
    parser.close()
    return parser.blocks


PARAGRAPH = "\n"


def _tokens(blocks: list[str]) -> list[str]:
    tokens: list[str] = []
    for block in blocks:
        if tokens:
            tokens.append(PARAGRAPH)
        tokens.extend(block.split(" "))
    return tokens


def diff_html(old_html: str, new_html: str) -> SafeString:
    """Paragraphs of the new text with removed words in <del> and added words in <ins>, all text escaped."""
    old, new = _tokens(text_blocks(old_html)), _tokens(text_blocks(new_html))
    paragraphs: list[list[str]] = [[]]

    def emit(tokens, tag=None):
        run: list[str] = []

        def close_run():
            if run:
                text = escape(" ".join(run))
                paragraphs[-1].append(f"<{tag}>{text}</{tag}>" if tag else text)
                run.clear()

        for token in tokens:
            if token == PARAGRAPH:
                close_run()
                paragraphs.append([])
            else:
                run.append(token)
        close_run()

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            emit(new[j1:j2])
        else:
            if i2 > i1:
                emit(old[i1:i2], "del")
            if j2 > j1:
                emit(new[j1:j2], "ins")
    return mark_safe(  # noqa: S308 - every piece of text above went through escape()
        "".join(f"<p>{' '.join(parts)}</p>" for parts in paragraphs if parts)
    )


def diff_counts(old_html: str, new_html: str) -> tuple[int, int]:
    """(words added, words removed), for a summary line above the diff."""
    old, new = _tokens(text_blocks(old_html)), _tokens(text_blocks(new_html))
    added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op != "equal":
            removed += sum(1 for t in old[i1:i2] if t != PARAGRAPH)
            added += sum(1 for t in new[j1:j2] if t != PARAGRAPH)
    return added, removed

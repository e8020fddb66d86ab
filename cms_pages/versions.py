"""Public version history of a page, read from Wagtail's own revisions, and a readable diff of two versions.

Only revisions that were actually published (a "wagtail.publish" entry in the page's log, or
"wagtail.publish.scheduled" when `publish_scheduled` put a scheduled version live) count as versions:
drafts, revisions waiting in a workflow and scheduled-but-not-yet-live revisions never do, so nothing an
editor has not released can reach a visitor through the history.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A scheduled version is logged under its own action when it goes live; it is as much a version as any.
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


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
        PageLogEntry.objects.filter(page_id=page.pk, action__in=PUBLISH_ACTIONS, revision__isnull=False)
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


@dataclass(frozen=True)
class VersionSummary:
    """What a history row shows of a version: no content, so a row costs nothing to build."""

    revision_id: int
    valid_from: date | None
    change_summary: str
    material_change: bool
    published_at: datetime


def version_summaries(page):
    """The page's published versions newest first, as a lazy query of the few fields a history row shows.

    The history slices it (LIMIT/OFFSET) and counts it, so a page of rows is one query and the number of
    versions costs nothing: unlike `published_versions`, no revision's content is loaded or decoded. A
    version's date is its first publication, as there. Iterate `summaries(...)` over a slice of it.
    """
    from django.db.models import OuterRef, Subquery
    from wagtail.models import PageLogEntry, Revision

    first_published = (
        PageLogEntry.objects.filter(page_id=page.pk, action__in=PUBLISH_ACTIONS, revision_id=OuterRef("pk"))
        .order_by("timestamp", "pk")
        .values("timestamp")[:1]
    )
    return (
        Revision.page_revisions.filter(object_id=str(page.pk))
        .annotate(published_at=Subquery(first_published))
        .filter(published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .values_list(
            "pk", "published_at", "content__valid_from", "content__change_summary", "content__material_change"
        )
    )


def summaries(rows) -> list[VersionSummary]:
    return [
        VersionSummary(
            revision_id=pk,
            valid_from=date.fromisoformat(valid_from) if valid_from else None,
            change_summary=change_summary or "",
            material_change=bool(material_change),
            published_at=published_at,
        )
        for pk, published_at, valid_from, change_summary, material_change in rows
    ]


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
TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def _tokens(blocks: list[str]) -> list[str]:
    """Words, spaces and punctuation as separate tokens, so "år." and "år fra" share the word "år"."""
    tokens: list[str] = []
    for block in blocks:
        if tokens:
            tokens.append(PARAGRAPH)
        tokens.extend(TOKEN.findall(block))
    return tokens


def _is_filler(tokens: list[str]) -> bool:
    return all(not t.strip() or (len(t) == 1 and not t.isalnum()) for t in tokens if t != PARAGRAPH)


def _chunks(old: list[str], new: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """(equal|change, old tokens, new tokens), with a lone space or comma between two changes folded into
    them so that a rewritten phrase reads as one deletion and one insertion rather than confetti."""
    matcher = difflib.SequenceMatcher(isjunk=lambda t: t.isspace(), a=old, b=new, autojunk=False)
    chunks: list[tuple[str, list[str], list[str]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if op == "equal" else "change"
        chunks.append((kind, old[i1:i2], new[j1:j2]))
    merged: list[tuple[str, list[str], list[str]]] = []
    for index, (kind, a, b) in enumerate(chunks):
        between_changes = 0 < index < len(chunks) - 1 and chunks[index + 1][0] == "change"
        if kind == "equal" and between_changes and merged and merged[-1][0] == "change" and _is_filler(a):
            kind = "change"
        if kind == "change" and merged and merged[-1][0] == "change":
            _, pa, pb = merged.pop()
            a, b = pa + a, pb + b
        merged.append((kind, a, b))
    return merged


def diff_html(old_html: str, new_html: str) -> SafeString:
    """Paragraphs of the new text with removed text in <del> and added text in <ins>, all text escaped."""
    paragraphs: list[list[str]] = [[]]

    def emit(tokens, tag=None):
        run: list[str] = []

        def close_run():
            text = "".join(run)
            if text.strip():
                paragraphs[-1].append(f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text))
            elif text:
                paragraphs[-1].append(" ")
            run.clear()

        for token in tokens:
            if token == PARAGRAPH:
                close_run()
                paragraphs.append([])
            else:
                run.append(token)
        close_run()

    for kind, old, new in _chunks(_tokens(text_blocks(old_html)), _tokens(text_blocks(new_html))):
        if kind == "equal":
            emit(new)
        else:
            emit(old, "del")
            emit(new, "ins")
    return mark_safe(  # noqa: S308 - every piece of text above went through escape()
        "".join(f"<p>{''.join(parts).strip()}</p>" for parts in paragraphs if "".join(parts).strip())
    )


def diff_counts(old_html: str, new_html: str) -> tuple[int, int]:
    """(words added, words removed), for a summary line above the diff."""
    added = removed = 0
    for kind, old, new in _chunks(_tokens(text_blocks(old_html)), _tokens(text_blocks(new_html))):
        if kind == "change":
            removed += sum(1 for t in old if t[:1].isalnum())
            added += sum(1 for t in new if t[:1].isalnum())
    return added, removed

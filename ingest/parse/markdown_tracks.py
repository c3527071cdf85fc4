"""Layout ``markdown-tracks``: a strategy converted to markdown with numbered tracks.

Conventions of the layout (no municipality-specific strings are relied on):

* Bold lines before the first ``#`` heading are the cover title; they are not nodes.
* A ``#`` heading naming a vision (``vision`` in the heading) opens the Vision; its paragraphs are Passages.
* A track is a ``##`` heading of one word and a number (``## Spor 5``; OCR slips in the word such as
  ``Spør`` are tolerated because only the shape is used), followed by a ``###`` title and ``- ▶`` bullets,
  each bullet a Statement. Tracks are numbered in document order; the heading's number goes in
  ``attrs["number"]``.
* The ``#`` heading whose body holds the tracks, with its intro paragraphs, is a Section.
* A ``#`` heading after the last track whose body holds only short lines (no bullets, no paragraph ending
  in ``.``, ``!`` or ``?``) is the back page: its heading names the publisher and its lines may give the date; the address
  and colophon lines are not nodes.
* Any other ``#`` heading with content is a Section with its paragraphs as Passages.

The markdown helpers at the top (``Block``, ``blocks_of``, ``content_segments``, ``find_date``) are shared
with :mod:`ingest.parse.markdown_bearings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ingest.errors import ParseError
from ingest.model import Node, NodeKind, ParsedDocument, Segment, make_node, segment_text
from ingest.parse.common import Line, lines_of

# --------------------------------------------------------------------------------------------------------
# Markdown helpers (shared with markdown_bearings)
# --------------------------------------------------------------------------------------------------------

MARKUP = re.compile(r"<[^>]*>|\*\*|__")
"""Inline markup that must fall between segments: HTML tags and bold marks."""

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?=\S)")
BULLET = re.compile(r"^\s*(?:[-*+•]\s+(?:[▶►▸➤]\s*)?|[▶►▸➤]\s*)(?=\S)")
"""A bullet marker: ``- ``, ``* ``, ``+ ``, ``• `` optionally followed by an arrow, or a bare arrow."""

BlockKind = Literal["heading", "bullet", "para"]


@dataclass
class Block:
    """A markdown block: a heading line, one bullet item (with continuation lines) or a paragraph."""

    kind: BlockKind
    lines: list[Line]
    segments: list[Segment]
    text: str
    level: int = 0
    """Heading level (number of ``#``); 0 for bullets and paragraphs."""
    bold: bool = False
    """A paragraph written wholly in bold (``**...**``), such as a motto."""

    @property
    def line(self) -> int:
        return self.lines[0].number


@dataclass
class _Pending:
    kind: BlockKind
    lines: list[Line] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


def content_segments(source: str, start: int, end: int) -> list[Segment]:
    """Segments of ``source[start:end]`` with markup (HTML tags, ``**``) cut out and whitespace trimmed."""
    out: list[Segment] = []
    pos = start
    for m in MARKUP.finditer(source, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    trimmed: list[Segment] = []
    for s, e in out:
        chunk = source[s:e]
        if not chunk.strip():
            continue
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        trimmed.append((s + lead, e - trail))
    return trimmed


def blocks_of(source: str) -> list[Block]:
    """Split markdown-like text into headings, bullet items and paragraphs, with markup-free segments."""
    blocks: list[Block] = []
    pending: _Pending | None = None

    def flush() -> None:
        nonlocal pending
        if pending is not None and pending.segments:
            raw = " ".join(line.stripped for line in pending.lines)
            bold = pending.kind == "para" and raw.startswith("**") and raw.endswith("**") and len(raw) > 4
            blocks.append(Block(kind=pending.kind, lines=pending.lines, segments=pending.segments,
                                text=segment_text(source, pending.segments), bold=bold))
        pending = None

    for line in lines_of(source):
        if line.blank:
            flush()
            continue
        heading = HEADING.match(line.text)
        if heading:
            flush()
            segs = content_segments(source, line.start + heading.end(), line.end)
            if segs:
                blocks.append(Block(kind="heading", lines=[line], segments=segs,
                                    text=segment_text(source, segs), level=len(heading.group(1))))
            continue
        bullet = BULLET.match(line.text)
        if bullet:
            flush()
            pending = _Pending(kind="bullet")
            pending.lines.append(line)
            pending.segments.extend(content_segments(source, line.start + bullet.end(), line.end))
            continue
        if pending is None:
            pending = _Pending(kind="para")
        pending.lines.append(line)
        pending.segments.extend(content_segments(source, line.start, line.end))
    flush()
    return blocks


@dataclass
class Chapter:
    """A ``#`` heading and the blocks up to the next ``#`` heading (``heading`` is None before the first)."""

    heading: Block | None
    body: list[Block]

    @property
    def line(self) -> int:
        if self.heading is not None:
            return self.heading.line
        return self.body[0].line if self.body else 1


def chapters_of(blocks: list[Block]) -> list[Chapter]:
    """Group blocks under their level-1 headings; a leading chapter without heading holds the preamble."""
    chapters: list[Chapter] = [Chapter(heading=None, body=[])]
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            chapters.append(Chapter(heading=block, body=[]))
        else:
            chapters[-1].body.append(block)
    return [c for c in chapters if c.heading is not None or c.body]


DANISH_MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "august": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")
_LONG_DATE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(DANISH_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)


def find_date(text: str) -> str | None:
    """The first valid date in ``text`` (``22.04.2024`` or ``9. november 2020``) as ISO ``yyyy-mm-dd``."""
    found: list[tuple[int, str]] = []
    for m in _NUMERIC_DATE.finditer(text):
        iso = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if iso:
            found.append((m.start(), iso))
    for m in _LONG_DATE.finditer(text):
        iso = _iso(int(m.group(3)), DANISH_MONTHS[m.group(2).lower()], int(m.group(1)))
        if iso:
            found.append((m.start(), iso))
    return min(found)[1] if found else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def strip_trailing(source: str, segments: list[Segment], chars: str) -> list[Segment]:
    """``segments`` with trailing ``chars`` (e.g. the ``:`` of a lead-in line) cut off the last segment."""
    segs = list(segments)
    while segs:
        s, e = segs[-1]
        while e > s and (source[e - 1] in chars or source[e - 1].isspace()):
            e -= 1
        if e > s:
            segs[-1] = (s, e)
            return segs
        segs.pop()
    return segs


# --------------------------------------------------------------------------------------------------------
# The markdown-tracks layout
# --------------------------------------------------------------------------------------------------------

_TRACK = re.compile(r"^(\w+)\s+(\d+)$")
"""A track heading: one word and a number (``Spor 5``)."""
_PROSE_END = re.compile(r"[.!?]$")


def _is_track_heading(block: Block) -> bool:
    return block.kind == "heading" and block.level == 2 and bool(_TRACK.match(block.text))


def _passages(source: str, key: str, blocks: list[Block], first: int = 1) -> list[Node]:
    """Passages from the paragraphs (and bullets) of ``blocks``, keyed ``key/passage/N``."""
    out: list[Node] = []
    for block in blocks:
        if block.kind in ("para", "bullet"):
            out.append(make_node(NodeKind.PASSAGE, f"{key}/passage/{first + len(out)}", source, block.segments))
    return out


def _container(kind: NodeKind, key: str, source: str, heading: Block, **attrs: str) -> Node:
    return make_node(kind, key, source, heading.segments, label=heading.text, **attrs)


def _build_track(source: str, key: str, heading: Block, body: list[Block], file: str) -> Node:
    number = _TRACK.match(heading.text)
    assert number is not None
    title = next((b for b in body if b.kind == "heading" and b.level >= 3), None)
    if title is None:
        # No ### title: the track is known only by its own heading.
        title = heading
    node = _container(NodeKind.TRACK, key, source, title, number=number.group(2))
    statements = 0
    passages = 0
    for block in body:
        if block is title or block.kind == "heading":
            continue
        if block.kind == "bullet":
            statements += 1
            node.children.append(make_node(NodeKind.STATEMENT, f"{key}/statement/{statements}", source,
                                           block.segments))
        else:
            passages += 1
            node.children.append(make_node(NodeKind.PASSAGE, f"{key}/passage/{passages}", source,
                                           block.segments))
    if statements == 0:
        raise ParseError(f"track {heading.text!r} has no bullet statements", file=file, line=heading.line)
    return node


def _is_back_page(chapter: Chapter) -> bool:
    """A chapter of short lines only (no bullets, no paragraph ending as a sentence): an address page."""
    content = [b for b in chapter.body if b.kind != "heading"]
    return bool(content) and all(b.kind == "para" and not _PROSE_END.search(b.text) for b in content)


def parse(text: str, file: str) -> ParsedDocument:
    """Parse a ``markdown-tracks`` document into Vision, Section, Track and Statement nodes."""
    blocks = blocks_of(text)
    if not any(_is_track_heading(b) for b in blocks):
        raise ParseError("no track headings ('## <word> <number>', e.g. '## Spor 1') found; "
                         "not a markdown-tracks document", file=file, line=1)
    chapters = chapters_of(blocks)
    last_track_chapter = max(i for i, c in enumerate(chapters) if any(_is_track_heading(b) for b in c.body))

    nodes: list[Node] = []
    attrs: dict[str, str] = {}
    sections = 0
    tracks = 0
    vision_done = False
    for index, chapter in enumerate(chapters):
        heading = chapter.heading
        if heading is None:
            continue  # cover title lines before the first heading
        track_starts = [i for i, b in enumerate(chapter.body) if _is_track_heading(b)]
        has_content = any(b.kind in ("para", "bullet") for b in chapter.body)
        if track_starts:
            intro = chapter.body[: track_starts[0]]
            sections += 1
            key = f"section/{sections}"
            section = _container(NodeKind.SECTION, key, text, heading)
            section.children.extend(_passages(text, key, intro))
            nodes.append(section)
            bounds = [*track_starts, len(chapter.body)]
            for start, end in zip(bounds, bounds[1:], strict=False):
                tracks += 1
                nodes.append(_build_track(text, f"track/{tracks}", chapter.body[start],
                                          chapter.body[start + 1: end], file))
        elif not vision_done and index < last_track_chapter and "vision" in heading.text.casefold():
            vision_done = True
            vision = _container(NodeKind.VISION, "vision", text, heading)
            vision.children.extend(_passages(text, "vision", chapter.body))
            nodes.append(vision)
        elif index > last_track_chapter and _is_back_page(chapter):
            attrs.setdefault("publisher", heading.text)
            found = find_date("\n".join(b.text for b in chapter.body))
            if found:
                attrs.setdefault("date", found)
        elif has_content:
            sections += 1
            key = f"section/{sections}"
            section = _container(NodeKind.SECTION, key, text, heading)
            section.children.extend(_passages(text, key, chapter.body))
            nodes.append(section)
        # A heading with no content before the tracks is a document title: not a node.
    return ParsedDocument(nodes=nodes, attrs=attrs)

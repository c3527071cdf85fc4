"""The block model: what every format reader turns a file into.

A reader produces a :class:`ReadDocument`: the *extracted text* of the file (for text formats the decoded
file itself; for PDF, DOCX and HTML the text the reader extracted, which the build stores beside the graph)
and a flat list of :class:`Block` in reading order. Every block's ``segments`` are character ranges of that
extracted text, so ``segment_text(text, segments) == block.text`` — the same provenance contract as
:mod:`ingest.model`'s nodes, which the structure recogniser builds from blocks.

Format-specific clean-up (running headers, page numbers, hyphenation, boilerplate of web pages, merged table
cells) happens inside the reader: blocks carry only content, plus page breaks where the format has pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ingest.model import Segment, segment_text


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    TABLE_CELL = "table-cell"
    PAGE_BREAK = "page-break"


BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin at the top-left of the page."""


@dataclass
class Block:
    """One unit of content with its provenance in the extracted text."""

    kind: BlockKind
    text: str
    """The block's text, whitespace-normalised (list markers and numbering are not part of it)."""
    segments: list[Segment]
    """Character ranges of :attr:`ReadDocument.text` the text was taken from, in order."""
    level: int = 0
    """Heading level, 1 (top) to 6; 0 for blocks that are not headings."""
    depth: int = 0
    """List nesting depth, 0 for a top-level item."""
    number: str | None = None
    """Numbering as written before a heading or list item ("1)", "2.", "A.", "3.2"), without the text."""
    marker: str | None = None
    """Bullet character of an unnumbered list item ("•", "-", "▶") where the source shows one."""
    table: int | None = None
    """Index of the table (0-based, in document order) a cell belongs to."""
    row: int | None = None
    """Row index of a table cell within its table (0 = the header row when the table has one)."""
    col: int | None = None
    """Column index of a table cell (after merged cells are expanded)."""
    header: str | None = None
    """Text of the column header of a table cell, when the table has a header row."""
    page: int | None = None
    """1-based page number where the format has pages (PDF, DOCX page breaks, pdftotext form feeds)."""
    bbox: BBox | None = None
    """PDF only: the block's bounding box on its page."""
    style: dict[str, str] = field(default_factory=dict)
    """Reader hints kept for the recogniser and for debugging (e.g. ``font_size``, ``bold``, ``style``)."""

    @property
    def start(self) -> int:
        return self.segments[0][0] if self.segments else 0

    @property
    def end(self) -> int:
        return self.segments[-1][1] if self.segments else 0


@dataclass
class ReadDocument:
    """A file read into blocks."""

    text: str
    """The extracted text every block's segments point into."""
    blocks: list[Block]
    format: str
    """Detected format: ``pdf``, ``docx``, ``html``, ``markdown``, ``text``, ``pdftotext``, ``web-transcript``."""
    pages: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    """What the file says of itself: ``title``, ``author``, ``created`` (ISO date) and the like."""
    warnings: list[str] = field(default_factory=list)

    def content_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kind is not BlockKind.PAGE_BREAK]


def block_from_spans(kind: BlockKind, text: str, spans: list[Segment], **fields: object) -> Block | None:
    """A block whose text is read from ``spans`` of ``text`` (trimmed), or None when they hold no text.

    Using this in readers keeps a block's text and its provenance from disagreeing.
    """
    trimmed: list[Segment] = []
    for s, e in spans:
        chunk = text[s:e]
        if not chunk.strip():
            continue
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        trimmed.append((s + lead, e - trail))
    if not trimmed:
        return None
    body = segment_text(text, trimmed)
    return Block(kind=kind, text=body, segments=trimmed, **fields)  # type: ignore[arg-type]


class TextBuilder:
    """Accumulates extracted text for binary formats and hands out the spans of what was appended."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0

    def append(self, chunk: str, sep: str = "\n") -> Segment:
        """Append ``chunk`` (after ``sep`` when text already exists) and return its span."""
        if self._len and sep:
            self._parts.append(sep)
            self._len += len(sep)
        start = self._len
        self._parts.append(chunk)
        self._len += len(chunk)
        return (start, self._len)

    @property
    def text(self) -> str:
        return "".join(self._parts)

"""Reader for tables exported as tab-separated rows with stray HTML fragments in their cells.

Follow-up reports and action plans often leave a web system or a spreadsheet as text: one line per table row,
cells separated by tabs, cells still carrying HTML (``<p>``, ``<ul style=…>``, ``<li>``, ``<br>``) and ``-``
bullets, headings and cover lines as plain paragraphs between the tables. What the export does to the table,
and what this reader undoes:

* A table starts at a *header row* (short column names, no sentence punctuation) or at the first tab row after
  a paragraph. Each cell becomes one ``TABLE_CELL`` block with ``table``/``row``/``col`` and ``header`` (the
  text of its column's header cell); the header cells themselves are row 0 with ``style["role"] = "header"``.
* A cell broken over two lines: the converter starts a new row whose cells continue the cells above
  (its first non-empty cell starts with a lower-case letter), or a tab-less line continues the last cell.
  Either way the text is merged into the block above, one more segment each.
* A row shorter than the header whose first cell is numbered (``2)``, ``A.``) lacks its *leading* cells (the
  cells spanning from the rows above) when that number continues the numbering of a later column, or when the
  first column is never numbered; any other short row lacks trailing cells. Cells beyond the header's width
  belong to the last column.
* HTML tags, entities' surrounding markup and bullet markers fall between segments, never inside one.
* A short unpunctuated paragraph right before a table is its heading (``HEADING``, level 1); short
  unpunctuated paragraphs before the first heading are the cover (``style["role"] = "front-matter"``:
  issuer, title, date), anything else a ``PARAGRAPH``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Segment, segment_text
from ingest.read.blocks import Block, BlockKind, ReadDocument, block_from_spans

_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>|&nbsp;|&#160;")
"""HTML tags, and the non-breaking spaces editors leave between them (other entities stay: they are text)."""
_BULLET = re.compile(r"(?:^|(?<=\s)|(?<=[:>]))[-–•*▪●](?=\s+[A-ZÆØÅÄÖÜÉ0-9])")
_NUMBERED = re.compile(r"^(?:\d{1,2}[.)]|[A-Za-z][.)])\s")
_SENTENCE_END = (".", "!", "?", ";", ",")
_MAX_HEADER_WORDS = 5
_MAX_HEADER_CHARS = 40
_MAX_HEADING_WORDS = 15


@dataclass(frozen=True)
class Line:
    """One line of a text with its offsets (newline excluded)."""

    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def is_row(self) -> bool:
        return "\t" in self.text

    def span(self) -> Segment:
        """Offsets of the line's content without surrounding whitespace."""
        lead = len(self.text) - len(self.text.lstrip())
        return (self.start + lead, self.start + len(self.text.rstrip()))


def lines_of(text: str) -> list[Line]:
    """The lines of ``text`` with their offsets (``\n`` and ``\r\n`` endings)."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        body = raw[:-1] if raw.endswith("\r") else raw
        out.append(Line(pos, pos + len(body), body))
        pos += len(raw) + 1
    return out


def content_spans(text: str, start: int, end: int) -> list[Segment]:
    """Spans of ``text[start:end]`` without HTML tags and bullet markers (blank ones dropped; blocks trim them)."""
    cuts = [(m.start(), m.end()) for m in _TAG.finditer(text, start, end)]
    cuts += [(m.start(), m.end()) for m in _BULLET.finditer(text, start, end)]
    spans: list[Segment] = []
    pos = start
    for s, e in sorted(cuts):
        if s > pos:
            spans.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        spans.append((pos, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _spans_text(text: str, spans: list[Segment]) -> str:
    return segment_text(text, spans)


def _split_cells(text: str, line: Line) -> list[list[Segment]]:
    """The cells of a tab row as content spans (an empty list for an empty cell)."""
    cells: list[list[Segment]] = []
    pos = line.start
    for part in line.text.split("\t"):
        cells.append(content_spans(text, pos, pos + len(part)))
        pos += len(part) + 1
    return cells


def _header_texts(text: str, line: Line) -> list[str] | None:
    """The column names of a row that looks like a header row, or None."""
    cells = [_spans_text(text, c) for c in _split_cells(text, line)]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) < 2 or any(not c for c in cells):
        return None
    for cell in cells:
        if (len(cell.split()) > _MAX_HEADER_WORDS or len(cell) > _MAX_HEADER_CHARS
                or cell.endswith(_SENTENCE_END) or _NUMBERED.match(cell)):
            return None
    return cells


def _numbering(text: str) -> tuple[str, int] | None:
    """Family and ordinal of the number a cell opens with: ("1)", 2) for "2) …", ("A.", 3) for "C. …"."""
    m = _NUMBERED.match(text)
    if m is None:
        return None
    token = m.group(0).strip()
    body, mark = token[:-1], token[-1]
    if body.isdigit():
        return "1" + mark, int(body)
    base = "A" if body.isupper() else "a"
    return base + mark, ord(body) - ord(base) + 1


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def looks_like_tab_table(text: str) -> bool:
    """Whether ``text`` holds a tab-separated table: a header row followed by at least one more tab row."""
    head = text.lstrip()[:200].casefold()
    if head.startswith(("<!doctype", "<html", "<?xml")):
        return False
    lines = [ln for ln in lines_of(text) if not ln.blank]
    for i, line in enumerate(lines[:-1]):
        if line.is_row and _header_texts(text, line) is not None and lines[i + 1].is_row:
            return True
    return False


@dataclass
class _Cell:
    index: int
    """Position of the cell's block in the output list."""
    spans: list[Segment]


@dataclass
class _Table:
    index: int
    headers: list[str] | None
    width: int
    rows: int = 0
    cells: dict[tuple[int, int], _Cell] = field(default_factory=dict)
    last: _Cell | None = None
    numbering: dict[int, tuple[str, int]] = field(default_factory=dict)
    """Per column, the numbering of the last numbered cell (family, ordinal)."""


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[Block] = []
        self.tables = 0
        self.table: _Table | None = None
        self.seen_heading = False

    # -- cells ------------------------------------------------------------------------------------------

    def _emit_cell(self, table: _Table, row: int, col: int, spans: list[Segment], header: bool = False) -> None:
        header_text = table.headers[col] if table.headers and col < len(table.headers) else None
        style = {"role": "header"} if header else {}
        block = block_from_spans(BlockKind.TABLE_CELL, self.text, spans, table=table.index, row=row, col=col,
                                 header=header_text, style=style)
        if block is None:
            return
        cell = _Cell(len(self.blocks), list(block.segments))
        self.blocks.append(block)
        table.cells[(row, col)] = cell
        table.last = cell

    def _extend(self, table: _Table, cell: _Cell, spans: list[Segment]) -> None:
        cell.spans.extend(spans)
        old = self.blocks[cell.index]
        block = block_from_spans(BlockKind.TABLE_CELL, self.text, cell.spans, table=old.table, row=old.row,
                                 col=old.col, header=old.header, style=old.style)
        assert block is not None
        self.blocks[cell.index] = block
        table.last = cell

    def _above(self, table: _Table, col: int) -> _Cell | None:
        for row in range(table.rows, -1, -1):
            found = table.cells.get((row, col))
            if found is not None:
                return found
        return None

    def _align(self, table: _Table, cells: list[list[Segment]]) -> list[list[Segment]]:
        """Fit a body row to the table's width (see the module doc).

        A short row opening with a number lacks its leading cells when the number continues the numbering of a
        later column ("2)" after a goal "1)" in the second column), or when the first column is never
        numbered; otherwise its cells start at the first column."""
        width = table.width
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if len(cells) > width:
            extra = [s for c in cells[width - 1:] for s in c]
            cells = cells[:width - 1] + [extra]
        trimmed = list(cells)
        while trimmed and not trimmed[-1]:
            trimmed.pop()
        shift = 0
        number = _numbering(_spans_text(self.text, trimmed[0])) if trimmed and trimmed[0] else None
        if number is not None and len(trimmed) < width:
            room = width - len(trimmed)
            family, ordinal = number
            follows = [k for k in range(room + 1) if table.numbering.get(k) == (family, ordinal - 1)]
            shift = follows[0] if follows else (room if 0 not in table.numbering else 0)
        if shift:
            cells = [[] for _ in range(shift)] + trimmed
        aligned = cells + [[] for _ in range(width - len(cells))]
        for col, spans in enumerate(aligned):
            found = _numbering(_spans_text(self.text, spans)) if spans else None
            if found is not None:
                table.numbering[col] = found
        return aligned

    # -- rows -------------------------------------------------------------------------------------------

    def start_table(self, line: Line, headers: list[str] | None) -> _Table:
        cells = _split_cells(self.text, line)
        width = len(headers) if headers else len(cells)
        table = _Table(index=self.tables, headers=headers, width=width)
        self.tables += 1
        self.table = table
        if headers:
            for col, spans in enumerate(cells[:width]):
                self._emit_cell(table, 0, col, spans, header=True)
        else:
            table.rows = -1
            self.body_row(table, line)
        return table

    def body_row(self, table: _Table, line: Line) -> None:
        cells = _split_cells(self.text, line)
        first = next((_spans_text(self.text, c) for c in cells if c), "")
        if not first:
            return
        if _starts_lower(first) and table.last is not None:
            for col, spans in enumerate(self._align(table, cells)):
                if not spans:
                    continue
                above = self._above(table, col)
                if above is None:
                    self._emit_cell(table, max(table.rows, 0), col, spans)
                else:
                    self._extend(table, above, spans)
            return
        table.rows += 1
        if table.rows == 0 and table.headers is not None:
            table.rows = 1
        for col, spans in enumerate(self._align(table, cells)):
            if spans:
                self._emit_cell(table, table.rows, col, spans)

    # -- paragraphs -------------------------------------------------------------------------------------

    def paragraph(self, para: list[Line], before_table: bool) -> None:
        spans = [s for ln in para for s in content_spans(self.text, ln.start, ln.end)]
        body = _spans_text(self.text, spans)
        if not body:
            return
        table = self.table
        if table is not None and table.last is not None and _starts_lower(body) and not before_table:
            self._extend(table, table.last, spans)
            return
        self.table = None
        short = len(body.split()) <= _MAX_HEADING_WORDS and not body.endswith(_SENTENCE_END)
        if short and before_table:
            block = block_from_spans(BlockKind.HEADING, self.text, spans, level=1)
            self.seen_heading = True
        elif short and not self.seen_heading and self.tables == 0:
            block = block_from_spans(BlockKind.PARAGRAPH, self.text, spans, style={"role": "front-matter"})
        else:
            block = block_from_spans(BlockKind.PARAGRAPH, self.text, spans)
        if block is not None:
            self.blocks.append(block)

    def read(self) -> list[Block]:
        items: list[tuple[str, list[Line]]] = []
        para: list[Line] = []
        for line in lines_of(self.text):
            if line.blank or line.is_row:
                if para:
                    items.append(("para", para))
                    para = []
                if line.is_row:
                    items.append(("row", [line]))
            else:
                para.append(line)
        if para:
            items.append(("para", para))
        previous = "para"
        for i, (kind, lines) in enumerate(items):
            if kind == "para":
                following = items[i + 1][0] if i + 1 < len(items) else None
                self.paragraph(lines, before_table=following == "row" and self._opens_table(items[i + 1][1][0]))
                previous = "para"
                continue
            line = lines[0]
            headers = _header_texts(self.text, line)
            table = self.table
            after_text = previous == "para" and (table is None or table.last is None or headers is not None)
            if table is None or after_text or (headers is not None and headers == table.headers):
                self.start_table(line, headers)
            else:
                self.body_row(table, line)
            previous = "row"
        return self.blocks

    def _opens_table(self, line: Line) -> bool:
        """Whether a tab row right after a paragraph starts a table (rather than continuing the one open)."""
        return self.table is None or _header_texts(self.text, line) is not None


def read_tab_table(text: str) -> ReadDocument:
    """Read a text of tab-separated tables (with HTML fragments in cells) into blocks; format ``text``."""
    blocks = _Reader(text).read()
    return ReadDocument(text=text, blocks=blocks, format="text")

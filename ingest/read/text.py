"""Text formats: Markdown, plain text and ``pdftotext -layout`` output → blocks.

:func:`read_text_document` tells the flavours apart from the content:

* a flattened web transcript or a tab-separated table with HTML fragments goes to its own reader
  (:mod:`ingest.read.transcript`, :mod:`ingest.read.tabular`) when those modules are present;
* Markdown (``#`` headings, ``**bold**``, pipe tables) is read from markdown-it-py's token stream, whose line
  maps are turned back into character spans of the text with markup (``**``, HTML tags, link targets, list
  markers and bullet glyphs such as ``▶``) left between segments;
* ``pdftotext -layout`` output (form feeds between pages) loses its running headers and footers, page-number
  lines and dotted-leader contents lines, and gets a ``PAGE_BREAK`` block per page; words hyphenated across
  line ends are joined;
* anything else is plain text: blank lines separate paragraphs, short lines without final punctuation are
  headings (numbered ``2.``/``3.1`` ones get the numbering's depth as level), ``- `` starts a bullet.

Every block's segments point into the text as given. A word joined across a line-end hyphen is the one
place where a block's text is not the space-joined segments: its two halves are two segments and the text
holds the word whole.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.model import Segment, normalize_ws
from ingest.read.blocks import Block, BlockKind, ReadDocument, block_from_spans

# --------------------------------------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One line of the text: its offsets (newline excluded), 0-based index and 1-based page."""

    index: int
    start: int
    end: int
    text: str
    page: int = 1

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    page = 1
    for index, raw in enumerate(text.split("\n")):
        body = raw[:-1] if raw.endswith("\r") else raw
        line_page = page
        # A form feed starts a new page; the line holding it belongs to the page after it.
        if "\f" in body:
            page += body.count("\f")
            line_page = page
            cut = body.rfind("\f") + 1
            out.append(_Line(index, pos + cut, pos + len(body), body[cut:], line_page))
        else:
            out.append(_Line(index, pos, pos + len(body), body, line_page))
        pos += len(raw) + 1
    return out


TOC_LINE = re.compile(r"(?:\.{3,}|…{2,}|(?:\. ){3,})\s*(?:<[^>]*>\s*)*\d{1,4}\s*(?:<[^>]*>\s*)*$")
"""A contents line: dotted leader, then a page number (``Forord ..... 3``, also with ``<b>`` tags)."""
PAGE_NUMBER_LINE = re.compile(r"^\s*(?:(?:side|page|s\.)\s*)?\d{1,4}(?:\s*(?:af|of|/)\s*\d{1,4})?\s*$",
                              re.IGNORECASE)
"""A line holding nothing but a page number: ``7``, ``Side 3 af 8``, ``3/8``."""

# --------------------------------------------------------------------------------------------------------
# Flavour detection
# --------------------------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S", re.MULTILINE)
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"\*\*\S[^\n]*?\*\*|\[[^\]\n]+\]\([^)\n]+\)")


def text_flavour(text: str) -> str:
    """``markdown``, ``pdftotext`` or ``text``, from the content."""
    if "\f" in text:
        return "pdftotext"
    if _MD_HEADING.search(text) or _MD_TABLE_RULE.search(text):
        return "markdown"
    if len(_MD_EMPHASIS.findall(text)) >= 2:
        return "markdown"
    return "text"


_BARE_CR = re.compile(r"\r(?!\n)")


def one_newline(text: str) -> str:
    """Every line end as "\n", without moving a character: CR LF becomes " \n" and a lone CR (old Mac files)
    "\n", so offsets into the result are offsets into the file's decoded text."""
    if "\r" not in text:
        return text
    return _BARE_CR.sub("\n", text.replace("\r\n", " \n"))


def read_text_document(text: str) -> ReadDocument:
    """Read decoded text of any text flavour into blocks (the flavour is found from the content)."""
    from ingest.read.tabular import looks_like_tab_table, read_tab_table
    from ingest.read.transcript import looks_like_transcript, read_transcript

    text = one_newline(text)
    if looks_like_transcript(text):
        return read_transcript(text)
    if looks_like_tab_table(text):
        return read_tab_table(text)
    flavour = text_flavour(text)
    if flavour == "markdown":
        return read_markdown(text)
    if flavour == "pdftotext":
        return read_pdftotext(text)
    return read_plain_text(text)


# --------------------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------------------

_INLINE_MARKUP = re.compile(
    r"<[^>\n]*>"                       # HTML tags
    r"|\*\*|__|~~|`"                   # strong, strike, code marks
    r"|(?<![\w*\\])\*(?=\S)|(?<=\S)\*(?![\w*])"  # single-star emphasis
    r"|\\(?=[\\`*_{}\[\]()#+\-.!|])"   # backslash escapes
    r"|!?\[(?=[^\]\n]*\]\()|\]\([^)\n]*\)"  # link text brackets and targets
)
_HEADING_PREFIX = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)")
_HEADING_SUFFIX = re.compile(r"\s+#+\s*$")
_SETEXT_RULE = re.compile(r"^\s*(?:=+|-+)\s*$")
_LIST_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])(?:\s+|$)")
BULLET_GLYPHS = "▶►▸➤•▪◦·●○■□✓✔–—"
_GLYPH = re.compile(rf"^[{BULLET_GLYPHS}]\s*")
_QUOTE_PREFIX = re.compile(r"^\s*(?:>\s*)+")
_HEADING_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,3})*\.|\d{1,3}(?:\.\d{1,3})+)\s+(?=\S)")
"""Numbering before a heading's text: ``3.``, ``3.1``, ``3.1.`` (a bare ``2019`` is not numbering)."""
_LETTER_ITEM = re.compile(r"^\s*([a-zA-Z]|[ivxIVX]{1,4})([.)])\s+(?=\S)")


def content_spans(text: str, start: int, end: int) -> list[Segment]:
    """Spans of ``text[start:end]`` with inline markup cut out (markup falls between spans)."""
    out: list[Segment] = []
    pos = start
    for m in _INLINE_MARKUP.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        out.append((pos, end))
    return out


def _line_spans(text: str, line: _Line, prefix: re.Pattern[str] | None, first: bool,
                marker: list[str]) -> list[Segment]:
    """Content spans of one source line of a block, its block prefix (``#``, list marker) removed."""
    body_start = line.start
    body = line.text
    m = _QUOTE_PREFIX.match(body)
    if m:
        body_start += m.end()
        body = body[m.end():]
    if first and prefix is not None:
        m = prefix.match(body)
        if m:
            body_start += m.end()
            body = body[m.end():]
        if prefix is _LIST_PREFIX:
            stripped = body.lstrip()
            g = _GLYPH.match(stripped)
            if g:
                marker.append(stripped[0])
                body_start += len(body) - len(stripped) + g.end()
                body = stripped[g.end():]
    body_end = line.end
    if prefix is _HEADING_PREFIX:
        m = _HEADING_SUFFIX.search(body)
        if m:
            body_end = body_start + m.start()
    return content_spans(text, body_start, body_end)


def _bold_only(token: Token) -> bool:
    """Whether every visible character of an inline token sits inside ``**strong**``."""
    depth = 0
    seen = False
    for child in token.children or []:
        if child.type == "strong_open":
            depth += 1
        elif child.type == "strong_close":
            depth -= 1
        elif child.type in ("text", "code_inline") and child.content.strip():
            if depth <= 0:
                return False
            seen = True
    return seen


class _MarkdownWalker:
    """Turns markdown-it tokens into blocks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _lines(text)
        self.blocks: list[Block] = []
        self.list_stack: list[str] = []  # "ul" / "ol"
        self.item_stack: list[dict[str, object]] = []
        self.tables = 0

    def spans(self, token: Token, prefix: re.Pattern[str] | None, marker: list[str]) -> list[Segment]:
        assert token.map is not None
        a, b = token.map
        out: list[Segment] = []
        for i in range(a, b):
            line = self.lines[i]
            if line.blank or TOC_LINE.search(line.text):
                continue
            if prefix is _HEADING_PREFIX and i > a and _SETEXT_RULE.match(line.text):
                continue
            out.extend(_line_spans(self.text, line, prefix, i == a, marker))
        return out

    def walk(self, tokens: list[Token]) -> list[Block]:
        heading_level = 0
        table_map: list[int] | None = None
        in_table = False
        for tok in tokens:
            t = tok.type
            if t in ("bullet_list_open", "ordered_list_open"):
                self.list_stack.append(tok.tag)
            elif t in ("bullet_list_close", "ordered_list_close"):
                self.list_stack.pop()
            elif t == "list_item_open":
                self.item_stack.append({"first": True, "number": (tok.info + tok.markup) if tok.info else None,
                                        "marker": tok.markup if not tok.info else None})
            elif t == "list_item_close":
                self.item_stack.pop()
            elif t == "heading_open":
                heading_level = int(tok.tag[1])
            elif t == "heading_close":
                heading_level = 0
            elif t == "table_open":
                in_table = True
                table_map = tok.map
            elif t == "table_close":
                in_table = False
                if table_map is not None:
                    self._table(table_map)
            elif t == "inline":
                if in_table:
                    continue  # cells are read from their row line in _table
                self._inline(tok, heading_level)
        return self.blocks

    def _inline(self, tok: Token, heading_level: int) -> None:
        page = self.lines[tok.map[0]].page if tok.map else None
        if heading_level:
            marker: list[str] = []
            spans = self.spans(tok, _HEADING_PREFIX, marker)
            number = None
            if spans:
                s0, e0 = spans[0]
                m = _HEADING_NUMBER.match(self.text, s0, e0)
                if m and m.end() < e0:
                    number = m.group(1)
                    spans[0] = (m.end(), e0)
            block = block_from_spans(BlockKind.HEADING, self.text, spans, level=heading_level, number=number,
                                     page=page)
            if block is not None:
                self.blocks.append(block)
            return
        style = {"emphasis": "bold"} if _bold_only(tok) else {}
        if self.item_stack:
            item = self.item_stack[-1]
            marker = []
            spans = self.spans(tok, _LIST_PREFIX if item["first"] else None, marker)
            if item["first"]:
                item["first"] = False
                glyph = marker[0] if marker else item["marker"]
                block = block_from_spans(BlockKind.LIST_ITEM, self.text, spans, depth=len(self.list_stack) - 1,
                                         number=item["number"], marker=glyph, page=page, style=style)
                if block is not None:
                    self.blocks.append(block)
                return
            # A further paragraph of the same item continues it.
            previous = self.blocks[-1] if self.blocks else None
            if previous is not None and previous.kind is BlockKind.LIST_ITEM and spans:
                merged = block_from_spans(BlockKind.LIST_ITEM, self.text, [*previous.segments, *spans],
                                          depth=previous.depth, number=previous.number, marker=previous.marker,
                                          page=previous.page, style=previous.style)
                if merged is not None:
                    self.blocks[-1] = merged
            return
        marker = []
        spans = self.spans(tok, None, marker)
        if not spans:
            return
        first = self.text[spans[0][0]:spans[0][1]]
        letter = _LETTER_ITEM.match(first)
        if letter and len(first.strip()) > letter.end():
            s, e = spans[0]
            spans[0] = (s + letter.end(), e)
            block = block_from_spans(BlockKind.LIST_ITEM, self.text, spans, number=letter.group(1) + letter.group(2),
                                     page=page, style=style)
        else:
            block = block_from_spans(BlockKind.PARAGRAPH, self.text, spans, page=page, style=style)
        if block is not None:
            self.blocks.append(block)

    def _table(self, table_map: list[int]) -> None:
        """Read the table just closed from its row lines (cells split at unescaped pipes)."""
        a, b = table_map
        index = self.tables
        self.tables += 1
        headers: list[str] = []
        row = 0
        for i in range(a, b):
            line = self.lines[i]
            if line.blank or _MD_TABLE_RULE.match(line.text):
                continue
            cells = _pipe_cells(line)
            texts: list[str] = []
            for col, (s, e) in enumerate(cells):
                block = block_from_spans(BlockKind.TABLE_CELL, self.text, content_spans(self.text, s, e),
                                         table=index, row=row, col=col, page=line.page,
                                         header=headers[col] if row > 0 and col < len(headers) else None,
                                         style={"role": "header"} if row == 0 else {})
                texts.append(block.text if block else "")
                if block is not None:
                    self.blocks.append(block)
            if row == 0:
                headers = texts
            row += 1


def _pipe_cells(line: _Line) -> list[Segment]:
    """Spans of the cells of one pipe-table row (outer pipes optional, ``\\|`` escapes a pipe)."""
    bars = [m.start() for m in re.finditer(r"(?<!\\)\|", line.text)]
    body = line.text
    edges = [-1, *bars, len(body)]
    cells: list[Segment] = []
    for left, right in zip(edges, edges[1:], strict=False):
        s, e = left + 1, right
        if (left == -1 and not body[:right].strip()) or (right == len(body) and not body[s:].strip()):
            continue  # outside the outer pipes
        cells.append((line.start + s, line.start + e))
    return cells


def read_markdown(text: str) -> ReadDocument:
    """Markdown (CommonMark plus pipe tables) into blocks."""
    md = MarkdownIt("commonmark").enable("table")
    blocks = _MarkdownWalker(text).walk(md.parse(text))
    return ReadDocument(text=text, blocks=blocks, format="markdown")


# --------------------------------------------------------------------------------------------------------
# Plain text and pdftotext
# --------------------------------------------------------------------------------------------------------

_BULLET = re.compile(rf"^\s*(?:[-*+•]\s+(?:[{BULLET_GLYPHS}]\s*)?|[{BULLET_GLYPHS}]\s+)(?=\S)")
_NUMBERED = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)(\.|\))?\s+(?=\S)")
_ITEM_NUMBER = re.compile(r"^\s*(\d{1,3}[.)]|[a-zA-Z][.)])\s+(?=\S)")
_FINAL_PUNCT = ".,;:!?"
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
SUSPENDED_HYPHEN_WORDS = frozenset({"og", "eller", "samt", "til", "som", "and", "or", "to"})
"""Words after a line-end hyphen that show a suspended compound ("handicap- og socialområdet"), not a break."""


def _continues_compound(line: str) -> bool:
    first = line.strip().split(maxsplit=1)[0].rstrip(",.;:").casefold() if line.strip() else ""
    return first in SUSPENDED_HYPHEN_WORDS
MAX_HEADING_WORDS = 10
MAX_HEADING_CHARS = 80
MAX_NUMBERED_HEADING_WORDS = 20


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _heading_shape(line: str) -> tuple[bool, str | None, int]:
    """Whether a one-line paragraph is a heading; its numbering and the numbering's depth."""
    stripped = line.strip()
    if not stripped or stripped[-1] in _FINAL_PUNCT or not any(c.isalpha() for c in stripped):
        return False, None, 0
    if _BULLET.match(line):
        return False, None, 0
    m = _NUMBERED.match(line)
    if m and (m.group(2) == "." or "." in m.group(1)):
        rest = stripped[m.end() - (len(line) - len(line.lstrip())):]
        if rest[:1].isupper() and len(rest.split()) <= MAX_NUMBERED_HEADING_WORDS:
            return True, m.group(1) + (m.group(2) or ""), m.group(1).count(".") + 1
        return False, None, 0
    if m:
        return False, None, 0
    words = stripped.split()
    if _is_caps(stripped) and len(words) <= MAX_NUMBERED_HEADING_WORDS:
        return True, None, 0
    return len(words) <= MAX_HEADING_WORDS and len(stripped) <= MAX_HEADING_CHARS, None, 0


class _Paragraph:
    """Spans of one block being built, with the hyphen joins that glue two spans into one word."""

    def __init__(self) -> None:
        self.spans: list[Segment] = []
        self.glue: list[bool] = []  # glue[i]: span i joins span i-1 without a space
        self.lines: list[_Line] = []

    def add(self, span: Segment, glue: bool = False) -> None:
        self.spans.append(span)
        self.glue.append(glue)

    def block(self, text: str, kind: BlockKind, **fields: object) -> Block | None:
        # A glued pair's first span ends before the hyphen, so segment_text joins the halves into one word.
        return block_from_spans(kind, text, self.spans, **fields)


def _content_span(line: _Line, skip: int = 0) -> Segment:
    body = line.text[skip:]
    lead = len(body) - len(body.lstrip())
    return (line.start + skip + lead, line.start + len(line.text.rstrip()))


def _blocks_from_lines(text: str, lines: list[_Line], removed: set[int], paged: bool) -> list[Block]:
    """Paragraphs, headings and list items from lines; ``removed`` lines count as blank."""
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.blank or line.index in removed:
            if current:
                groups.append(current)
                current = []
            continue
        current.append(line)
    if current:
        groups.append(current)

    blocks: list[Block] = []
    has_caps = any(len(g) == 1 and _is_caps(g[0].text) for g in groups)
    has_mixed = any(len(g) == 1 and _heading_shape(g[0].text)[0] and not _is_caps(g[0].text)
                    and not _NUMBERED.match(g[0].text) for g in groups)
    page = 1
    split: list[tuple[list[_Line], bool]] = []
    for group in groups:
        head = _leading_heading(group)
        if head:
            split.append((group[:head], True))
            split.append((group[head:], False))
        else:
            split.append((group, len(group) == 1 and _heading_shape(group[0].text)[0]))
    for group, is_heading in split:
        if paged and group[0].page != page:
            for p in range(page + 1, group[0].page + 1):
                blocks.append(Block(kind=BlockKind.PAGE_BREAK, text="", segments=[], page=p))
            page = group[0].page
        if is_heading:
            line = group[0]
            _shape, number, depth = _heading_shape(" ".join(g.text for g in group))
            skip = 0
            if number is not None:
                m = _NUMBERED.match(line.text)
                assert m is not None
                skip = m.end()
                level = depth
            elif has_caps and has_mixed:
                level = 1 if _is_caps(line.text) else 2
            else:
                level = 1
            spans = [_content_span(line, skip)] + [_content_span(g) for g in group[1:]]
            block = block_from_spans(BlockKind.HEADING, text, spans, level=level, number=number, page=line.page)
            if block is not None:
                blocks.append(block)
            continue
        blocks.extend(_group_blocks(text, group))
    return blocks


def _leading_heading(group: list[_Line]) -> int:
    """How many first lines of a run form a heading on top of its paragraph (0: none).

    ``pdftotext -layout`` and hard-wrapped text put a heading right above its text, sometimes wrapped onto a
    second line: lines clearly shorter than the paragraph's, without final punctuation, followed by a line
    that starts a sentence or a list item.
    """
    if len(group) < 2 or _BULLET.match(group[0].text):
        return 0
    longest = max(len(line.text.strip()) for line in group)
    for n in (1, 2):
        if len(group) <= n:
            break
        head = group[:n]
        joined = " ".join(line.text.strip() for line in head)
        nxt = group[n].text.strip()
        if not _heading_shape(joined)[0] or any(len(line.text.strip()) >= 0.75 * longest for line in head):
            continue
        if n == 2 and not head[1].text.strip()[:1].islower():
            continue  # a wrapped heading continues in lower case
        if nxt[:1].isupper() or _BULLET.match(group[n].text):
            return n
    return 0


def _group_blocks(text: str, group: list[_Line]) -> list[Block]:
    """A run of non-blank lines: list items (each with its continuation lines) and paragraph text."""
    out: list[Block] = []
    para: _Paragraph | None = None
    kind = BlockKind.PARAGRAPH
    fields: dict[str, object] = {}

    def flush() -> None:
        nonlocal para
        if para is not None and para.spans:
            block = para.block(text, kind, **fields)
            if block is not None:
                out.append(block)
        para = None

    indent0 = min(len(line.text) - len(line.text.lstrip()) for line in group)
    for line in group:
        bullet = _BULLET.match(line.text)
        numbered = _ITEM_NUMBER.match(line.text) if bullet is None else None
        if bullet or (numbered and (para is None or kind is BlockKind.LIST_ITEM)):
            flush()
            para = _Paragraph()
            para.lines.append(line)
            kind = BlockKind.LIST_ITEM
            indent = len(line.text) - len(line.text.lstrip())
            depth = 1 if indent - indent0 >= 2 else 0
            if bullet:
                glyph = line.text[bullet.start():bullet.end()].strip()[-1]
                fields = {"marker": glyph, "depth": depth, "page": line.page}
                para.add(_content_span(line, bullet.end()))
            else:
                assert numbered is not None
                fields = {"number": numbered.group(1), "depth": depth, "page": line.page}
                para.add(_content_span(line, numbered.end()))
            continue
        if para is None:
            para = _Paragraph()
            kind = BlockKind.PARAGRAPH
            fields = {"page": line.page}
        previous = para.lines[-1] if para.lines else None
        span = _content_span(line)
        glue = False
        if previous is not None and _HYPHEN_END.search(previous.text.rstrip()) \
                and line.text.strip()[:1].islower() and not _continues_compound(line.text):
            # "opfølg-" + "ning": drop the hyphen, glue the halves.
            s, e = para.spans[-1]
            para.spans[-1] = (s, e - 1)
            glue = True
        para.lines.append(line)
        para.add(span, glue)
    flush()
    return out


def read_plain_text(text: str) -> ReadDocument:
    """Plain text into blocks; dotted-leader contents lines are dropped."""
    lines = _lines(text)
    removed = {line.index for line in lines if TOC_LINE.search(line.text)}
    blocks = _blocks_from_lines(text, lines, removed, paged=False)
    return ReadDocument(text=text, blocks=blocks, format="text")


def _running_lines(lines: list[_Line], pages: int) -> set[int]:
    """Indices of running headers/footers: the first or last non-blank lines that repeat on most pages."""
    by_page: dict[int, list[_Line]] = {}
    for line in lines:
        if not line.blank:
            by_page.setdefault(line.page, []).append(line)
    if pages < 3:
        return set()
    edge_texts: Counter[str] = Counter()
    edges: dict[int, list[_Line]] = {}
    for page, page_lines in by_page.items():
        chosen = page_lines[:2] + page_lines[-2:]
        edges[page] = chosen
        for key in {_running_key(line.text) for line in chosen}:
            edge_texts[key] += 1
    threshold = max(2, (pages + 1) // 2)
    repeated = {key for key, n in edge_texts.items() if n >= threshold and key}
    return {line.index for page_lines in edges.values() for line in page_lines
            if _running_key(line.text) in repeated}


def _running_key(line: str) -> str:
    """A line with its digits blanked, so ``Side 3 af 8`` and ``Side 4 af 8`` repeat as one."""
    return re.sub(r"\d+", "#", normalize_ws(line)).casefold()


def read_pdftotext(text: str) -> ReadDocument:
    """``pdftotext -layout`` output into blocks, with pages, without running headers and page numbers."""
    lines = _lines(text)
    pages = max((line.page for line in lines), default=1)
    # A trailing form feed ends the last page; it does not open an empty one.
    if text.rstrip("\n").endswith("\f"):
        pages -= 1
    removed = {line.index for line in lines if TOC_LINE.search(line.text) or PAGE_NUMBER_LINE.match(line.text)}
    removed |= _running_lines(lines, pages)
    blocks = _blocks_from_lines(text, lines, removed, paged=True)
    doc = ReadDocument(text=text, blocks=blocks, format="pdftotext", pages=pages)
    return doc


__all__ = ["read_markdown", "read_pdftotext", "read_plain_text", "read_text_document", "text_flavour"]

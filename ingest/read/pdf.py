"""PDF reader: a PDF with a text layer → blocks with page, bounding box and spans of the extracted text.

Designed municipal PDFs are mostly untagged: a heading is a line set larger or bolder than the body text. So the
reader works from the words pdfplumber (pdfminer.six) finds, with their font size, font name and position:

1. per page, words → rows (one baseline) → fragments (runs of a row without a wide gap); tables found by
   pdfplumber's ruling-line finder are taken out and read as cells;
2. across pages, fragments in the top or bottom margin that repeat on most pages (digits ignored) are running
   headers and footers; page numbers ("Side 3 af 8", "3", "- 3 -") in the margins go too;
3. rows with dotted leaders ending in a page number are table-of-contents entries, and the heading right
   above them is the contents title: all of these stay out of the blocks;
4. a vertical gutter shared by many rows splits the page into two columns, read left column first;
5. lines join into blocks by column, style and spacing; a block's style (size, bold) against the body style
   (the size covering most characters) makes it a heading, levels ranked by size then weight;
   bullets (•, –, ▪, - …) and numbering ("1.", "a)", "2.1") make list items, depth from indentation;
6. a word hyphenated at a line end is joined: the extracted text holds the whole word at the end of the first
   line, so every block's segments still satisfy the provenance contract of :mod:`ingest.read.blocks`.

The extracted text keeps every line the reader saw, one per line and pages separated by form feeds, including
the running headers, page numbers, list markers and contents lines that fall between the blocks' segments.

Library choice and figures: docs/pdf-libraries.md. PyMuPDF is not used (AGPL).
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from ingest.errors import ReadError
from ingest.model import Segment, normalize_ws
from ingest.read.blocks import BBox, Block, BlockKind, ReadDocument, TextBuilder, block_from_spans

FORMAT = "pdf"



MARGIN_ZONE = 0.1
"""Share of the page height at the top and at the bottom where running headers and page numbers live."""
RUNNING_SHARE = 0.5
"""A margin line that recurs (digits ignored) on at least this share of the pages is a running header/footer."""
MAX_HEADING_WORDS = 20
MAX_HEADING_LINES = 3

BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|[-,]bd\b|cmbx|cmssbx", re.IGNORECASE)
"""Bold font names: "Arial-BoldMT", "Helvetica-Bold", "DejaVuSans-Bold", TeX's "CMBX12"."""
PAGE_NUMBER = re.compile(
    r"^(?:(?:side|page|s\.)\s*)?\d{1,4}(?:\s*(?:af|of|/|ud af)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$",
    re.IGNORECASE,
)
TOC_ROW = re.compile(r"^(?P<title>.*?\S)\s*(?:\.\s*){4,}\s*(?P<page>\d{1,4})$|^(?P<t2>.*?\S)\s*…{2,}\s*\d{1,4}$")
TOC_TITLE = re.compile(r"^(?:indhold|indholdsfortegnelse|indholdsoversigt|(?:table of )?contents)$", re.IGNORECASE)
TOC_ENTRY = re.compile(r"^(?=.*[^\W\d_]).*\S\s+\d{1,4}$")
BULLET = re.compile(r"^(?P<marker>[•●◦▪■□▸▶►‣⁃∙·–—\-*]|\(cid:\d+\))\s+")
"""A list item's bullet; a glyph without a Unicode map ("(cid:127)") at the start of a line is a bullet drawn
from a symbol font, as designed PDFs often have it."""
NUMBER = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)]|\(\d{1,2}\)|[a-zæøå][.)]|\([a-zæøå]\)|[ivxIVX]{1,4}[.)])\s+"
)
UNMAPPED = re.compile(r"\(cid:\d+\)")
"""How pdfminer writes a glyph its font gives no character for."""
BARE_NUMBER = re.compile(r"^(?P<number>\d{1,2})\s+(?=\w)")
HYPHENS = "-\u00ad\u2010"
ELISION_FOLLOWERS = frozenset({"og", "eller", "samt", "til", "and", "or", "&"})
"""Words after a line-end hyphen that mark a Danish elision ("social- og sundhedsområdet"): keep the hyphen."""


# --- layout primitives -------------------------------------------------------------------------------------


@dataclass
class Fragment:
    """Words of one row without a wide gap between them: a line of one column, or a whole line."""

    words: list[dict[str, Any]]
    """Never changed after the fragment is made: the geometry and style below are computed once."""
    page: int
    kind: str = "line"
    """``line`` (content), ``running`` (header/footer), ``page-number``, ``toc``."""

    @cached_property
    def text(self) -> str:
        """The words joined by spaces, except words that touch (a font change inside a word, a footnote mark)."""
        parts = [self.words[0]["text"]]
        for prev, word in zip(self.words, self.words[1:], strict=False):
            touching = word["x0"] - prev["x1"] < 0.15 * float(word["size"])
            parts.append(word["text"] if touching else " " + word["text"])
        return "".join(parts)

    @cached_property
    def x0(self) -> float:
        return min(w["x0"] for w in self.words)

    @cached_property
    def x1(self) -> float:
        return max(w["x1"] for w in self.words)

    @cached_property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @cached_property
    def size(self) -> float:
        sizes: Counter[float] = Counter()
        for w in self.words:
            sizes[round(float(w["size"]) * 2) / 2] += len(w["text"])
        return sizes.most_common(1)[0][0]

    @cached_property
    def bold(self) -> bool:
        bold = sum(len(w["text"]) for w in self.words if BOLD_FONT.search(str(w["fontname"])))
        return bold * 2 > sum(len(w["text"]) for w in self.words)

    @cached_property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class TableItem:
    """A table found by pdfplumber, with its cell texts and boxes."""

    bbox: BBox
    cells: list[list[tuple[str | None, BBox | None]]]
    header: bool
    page: int


@dataclass
class Proto:
    """Lines that read as one block, before styles across the document decide what kind it is."""

    lines: list[Fragment]
    column: int
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    depth: int = 0
    number: str | None = None
    marker: str | None = None
    role: str | None = None
    skip: bool = False

    @property
    def style(self) -> tuple[float, bool]:
        first = self.lines[0]
        return (first.size, first.bold)

    @property
    def words(self) -> int:
        return sum(len(line.words) for line in self.lines)


PageItem = Fragment | Proto | TableItem


@dataclass
class PageLayout:
    number: int
    height: float
    top: list[Fragment] = field(default_factory=list)
    """Margin fragments above the content (running headers, page numbers), kept for the extracted text."""
    body: list[PageItem] = field(default_factory=list)
    bottom: list[Fragment] = field(default_factory=list)


# --- entry point ---------------------------------------------------------------------------------------------


def read_pdf(data: bytes, *, file: str | Path) -> ReadDocument:
    """Read a PDF with a text layer into blocks; refuse encrypted, scanned-only and corrupt files (ReadError)."""
    meta, parsed = parse(data, file=file)
    if not parsed:
        raise ReadError("the PDF has no pages", file=file, reason="corrupt")
    pages = [layout_words(p) for p in parsed]
    warnings = check_text_layer(pages, [p.images for p in parsed], file=file)
    mark_margins(pages)
    body = body_style(pages)
    layouts = [layout_page(page, body) for page in pages]
    classify(layouts, body)
    text, blocks = write(layouts)
    return ReadDocument(text=text, blocks=blocks, format=FORMAT, pages=len(pages), meta=meta, warnings=warnings)


@dataclass
class ParsedPage:
    """What pdfplumber gives of one page: its words with font and position, its ruled tables, its images."""

    number: int
    width: float
    height: float
    words: list[dict[str, Any]]
    tables: list[TableItem]
    images: int


def parse(data: bytes, *, file: str | Path) -> tuple[dict[str, str], list[ParsedPage]]:
    """The library calls, page by page (each page's cache freed after it), with pdfminer's errors mapped.

    Only this function talks to pdfplumber, so an exception here is the file's fault and the rest of the reader
    (pure functions of the words) never has its own bugs reported as a damaged PDF.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    def corrupt(exc: BaseException) -> ReadError:
        return ReadError(f"the PDF is damaged or truncated and cannot be read ({describe(exc)})", file=file,
                        reason="corrupt")

    parsed: list[ParsedPage] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            meta = read_meta(pdf.metadata)
            for number, page in enumerate(pdf.pages, start=1):
                tables = [t for t in (read_table(found, page, number) for found in page.find_tables()) if t]
                words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False,
                                           use_text_flow=False)
                parsed.append(ParsedPage(number=number, width=float(page.width), height=float(page.height),
                                         words=words, tables=tables, images=len(page.images)))
                page.close()
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise ReadError("the PDF is encrypted with a password; save it without a password and add it again",
                           file=file, reason="encrypted") from exc
        raise corrupt(cause) from exc
    except Exception as exc:  # pdfminer raises plain exceptions of many kinds on broken object streams
        raise corrupt(exc) from exc
    return meta, parsed


def describe(exc: BaseException) -> str:
    detail = str(exc).strip()
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


# --- metadata ------------------------------------------------------------------------------------------------


PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def read_meta(info: dict[str, Any]) -> dict[str, str]:
    """Title, author and creation date (ISO) from the document information dictionary, where present."""
    meta: dict[str, str] = {}
    for key, name in (("Title", "title"), ("Author", "author"), ("Subject", "subject")):
        value = decode(info.get(key))
        if value and value.strip("()").lower() not in {"untitled", "unspecified", "anonymous"}:
            meta[name] = value
    created = parse_pdf_date(decode(info.get("CreationDate")))
    if created:
        meta["created"] = created
    return meta


def decode(value: object) -> str:
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            return value.decode("utf-16").strip()
        return value.decode("latin-1").strip()
    return normalize_ws(str(value)) if value is not None else ""


def parse_pdf_date(value: str) -> str | None:
    match = PDF_DATE.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2] or 1), int(match[3] or 1)).isoformat()
    except ValueError:
        return None


# --- per page extraction -------------------------------------------------------------------------------------


@dataclass
class RawPage:
    number: int
    width: float
    height: float
    fragments: list[Fragment]
    tables: list[TableItem]


def layout_words(page: ParsedPage) -> RawPage:
    """Words (outside tables) grouped into rows and fragments, contents rows marked."""
    words = [w for w in page.words if w["text"].strip() and not any(inside(w, t.bbox) for t in page.tables)]
    fragments = contents_entries([split_row(row, page.number) for row in rows_of(words)], page.number)
    return RawPage(number=page.number, width=page.width, height=page.height, fragments=fragments,
                   tables=page.tables)


def inside(word: dict[str, Any], box: BBox) -> bool:
    cx = (word["x0"] + word["x1"]) / 2
    cy = (word["top"] + word["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def read_table(table: Any, page: Any, number: int) -> TableItem | None:
    texts = table.extract()
    if not texts or len(texts) < 2 or max(len(r) for r in texts) < 2:
        return None  # a single ruled box or a one-row strip is decoration, not a table
    cells: list[list[tuple[str | None, BBox | None]]] = []
    for row_text, row in zip(texts, table.rows, strict=False):
        cells.append([(t, tuple(b) if b else None) for t, b in zip(row_text, row.cells, strict=False)])
    return TableItem(bbox=tuple(table.bbox), cells=cells, header=bold_first_row(table, page), page=number)


def bold_first_row(table: Any, page: Any) -> bool:
    """A table has a header row when its first row is set in bold and its second is not."""

    def bold_share(row: Any) -> float:
        x0 = min(c[0] for c in row.cells if c)
        x1 = max(c[2] for c in row.cells if c)
        top = min(c[1] for c in row.cells if c)
        bottom = max(c[3] for c in row.cells if c)
        chars = [c for c in page.within_bbox((x0, top, x1, bottom)).chars if c["text"].strip()]
        if not chars:
            return 0.0
        return sum(1 for c in chars if BOLD_FONT.search(str(c["fontname"]))) / len(chars)

    if len(table.rows) < 2:
        return False
    return bold_share(table.rows[0]) > 0.5 >= bold_share(table.rows[1])


def rows_of(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group words sharing a baseline (bottoms within 2 pt, or a third of the font size)."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"], 1), w["x0"])):
        if rows:
            last = rows[-1]
            tolerance = max(2.0, float(word["size"]) / 3)
            if abs(last[-1]["bottom"] - word["bottom"]) <= tolerance:
                last.append(word)
                continue
        rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in merge_raised(rows)]


def merge_raised(rows: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Put rows of small raised or lowered words (footnote marks, superscripts) into the line they sit on."""
    out: list[list[dict[str, Any]]] = []
    for n, row in enumerate(rows):
        size = max(float(w["size"]) for w in row)
        top, bottom = min(w["top"] for w in row), max(w["bottom"] for w in row)
        host = None
        for other in (out[-1] if out else None, rows[n + 1] if n + 1 < len(rows) else None):
            if other is None or size > 0.8 * min(float(w["size"]) for w in other):
                continue
            overlap = min(bottom, max(w["bottom"] for w in other)) - max(top, min(w["top"] for w in other))
            if overlap >= 0.5 * (bottom - top):
                host = other
                break
        if host is None:
            out.append(row)
        else:
            host.extend(row)
    return out


def split_row(row: list[dict[str, Any]], page: int) -> list[Fragment]:
    """Split a row where the gap between words is wider than 1.5 × the font size (a column gutter)."""
    out: list[list[dict[str, Any]]] = [[row[0]]]
    for prev, word in zip(row, row[1:], strict=False):
        gap = word["x0"] - prev["x1"]
        if gap > max(1.5 * float(word["size"]), 12.0):
            out.append([word])
        else:
            out[-1].append(word)
    fragments = [Fragment(words=ws, page=page) for ws in out]
    if len(fragments) > 1 and TOC_ROW.match(" ".join(f.text for f in fragments)):
        fragments = [Fragment(words=[w for f in fragments for w in f.words], page=page)]
    for frag in fragments:
        if TOC_ROW.match(frag.text):
            frag.kind = "toc"
    return fragments


def contents_entries(rows: list[list[Fragment]], page: int) -> list[Fragment]:
    """Mark the entries of a contents page without dotted leaders: after a title such as "Indhold", rows that
    end in a page number are contents rows (one fragment each, so a right-aligned number is not a column)."""
    out: list[Fragment] = []
    in_contents = False
    entries = before = 0
    for row in rows:
        text = normalize_ws(" ".join(f.text for f in row))
        if TOC_TITLE.match(text):
            in_contents, entries, before = True, 0, 0
        elif in_contents and row[0].kind == "line":
            if TOC_ENTRY.match(text):
                row = [Fragment(words=[w for f in row for w in f.words], page=page, kind="toc")]
                entries += 1
            elif entries == 0 and before < 3:
                before += 1  # a line or two of introduction between the title and the first entry
            else:
                in_contents = False
        out.extend(row)
    return out


def check_text_layer(pages: list[RawPage], images: list[int], *, file: str | Path) -> list[str]:
    """Refuse a PDF without any text; warn about pages that are images only."""
    with_text = [bool(p.fragments or p.tables) for p in pages]
    if not any(with_text):
        if any(images):
            raise ReadError("the PDF has no text layer (its pages are images, as from a scanner); OCR is not "
                           "available, so the text cannot be read", file=file, reason="no-text-layer")
        raise ReadError("the PDF contains no text", file=file, reason="empty")
    warnings = [f"page {p.number} has no text layer (an image only) and is left out; OCR is not available"
                for p, has, imgs in zip(pages, with_text, images, strict=True) if not has and imgs]
    unmapped = [p.number for p in pages
                if any(UNMAPPED.search(f.text, m.end() if (m := BULLET.match(f.text)) else 0) for f in p.fragments)]
    if unmapped:
        warnings.append("characters whose font has no Unicode map are kept as (cid:N) on page(s) "
                        + ", ".join(map(str, unmapped)))
    return warnings


# --- running headers, footers, page numbers --------------------------------------------------------------------


def margin_of(frag: Fragment, page: RawPage) -> str | None:
    if frag.bottom <= page.height * MARGIN_ZONE:
        return "top"
    if frag.top >= page.height * (1 - MARGIN_ZONE):
        return "bottom"
    return None


def margin_key(frag: Fragment, zone: str) -> tuple[str, str]:
    return (zone, re.sub(r"\d+", "#", normalize_ws(frag.text).lower()))


def mark_margins(pages: list[RawPage]) -> None:
    """Mark fragments in the margins that recur on most pages (running) or are page numbers."""
    seen: Counter[tuple[str, str]] = Counter()
    for page in pages:
        keys = {margin_key(f, zone) for f in page.fragments if (zone := margin_of(f, page))}
        seen.update(keys)
    needed = max(2, round(RUNNING_SHARE * len(pages)))
    for page in pages:
        for frag in page.fragments:
            zone = margin_of(frag, page)
            if zone is None or frag.kind != "line":
                continue
            if PAGE_NUMBER.match(normalize_ws(frag.text)):
                frag.kind = "page-number"
            elif len(pages) > 1 and seen[margin_key(frag, zone)] >= needed:
                frag.kind = "running"


# --- reading order -------------------------------------------------------------------------------------------


def find_gutter(fragments: list[Fragment], width: float) -> float | None:
    """The x of the gap between two columns: at least three lines right of it sit beside lines left of it.

    Candidates are the right edges of fragments in the middle of the page; lines crossing the gap within the
    columns' height must be few (a full-width heading between two column bands is fine).
    """
    lines = [f for f in fragments if f.kind == "line"]
    # for each line, the leftmost right edge among the lines beside it on its left (inf when none): the line
    # sits beside a left column at a cut exactly when that edge <= cut < its x0
    beside_edge = {
        id(r): min((f.x1 for f in lines if f.x1 <= r.x0 and f.top < r.bottom and r.top < f.bottom),
                   default=float("inf"))
        for r in lines
    }
    if sum(1 for edge in beside_edge.values() if edge < float("inf")) < 3:
        return None
    best: tuple[int, float] | None = None
    for cut in sorted({f.x1 for f in lines if width * 0.25 <= f.x1 <= width * 0.7}):
        left = [f for f in lines if f.x1 <= cut]
        right = [f for f in lines if f.x0 > cut]
        paired = [r for r in right if beside_edge[id(r)] <= cut]
        if len(paired) < 3:
            continue
        lo, hi = min(r.top for r in paired), max(r.bottom for r in paired)
        crossing = sum(1 for f in lines if f.x0 < cut < f.x1 and f.top < hi and f.bottom > lo)
        if crossing * 3 > len(paired):
            continue
        beside = [f for f in left if f.top < hi and f.bottom > lo]
        if min(statistics.median(f.x1 - f.x0 for f in side) for side in (beside, paired)) < width * 0.2:
            continue  # narrow labels beside values (an unruled form or table), not two columns of text
        gap_lo = max(f.x1 for f in beside)
        gap_hi = min(f.x0 for f in right if f.top < hi and f.bottom > lo)
        score = len(paired) - crossing
        if best is None or score > best[0]:
            best = (score, (gap_lo + gap_hi) / 2)
    return best[1] if best else None


def reading_order(items: list[Fragment | TableItem], width: float) -> list[tuple[Fragment | TableItem, int]]:
    """Items in reading order with a column id: full-width bands top-down, two-column bands left then right."""

    def top(item: Fragment | TableItem) -> float:
        return item.bbox[1]

    items = sorted(items, key=lambda i: (round(top(i), 0), i.bbox[0]))
    gutter = find_gutter([i for i in items if isinstance(i, Fragment)], width)
    if gutter is None:
        return [(i, 0) for i in items]
    out: list[tuple[Fragment | TableItem, int]] = []
    band: list[Fragment | TableItem] = []
    band_no = 0

    def flush() -> None:
        nonlocal band_no
        if not band:
            return
        left = [i for i in band if i.bbox[2] <= gutter]
        right = [i for i in band if i.bbox[0] >= gutter]
        if left and right:
            band_no += 1
            # lines above where the right column starts still belong to the single column above the band
            # (the last line of a full-width paragraph, a heading narrower than the page)
            start = min(i.bbox[1] for i in right)
            out.extend((i, 0 if i.bbox[3] < start else band_no * 2) for i in left)
            out.extend((i, band_no * 2 + 1) for i in right)
        else:  # short lines between full-width ones (a paragraph's last line) belong to the single column
            out.extend((i, 0) for i in band)
        band.clear()

    for item in items:
        if item.bbox[0] < gutter < item.bbox[2]:
            flush()
            out.append((item, 0))
        else:
            band.append(item)
    flush()
    return out


# --- blocks from lines ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyStyle:
    """The document's body text: what headings stand out from, and how far apart its lines are."""

    size: float
    """The font size covering most characters of the content."""
    bold: bool
    line_gap: float
    """Most common space between two lines of a body paragraph, as a share of the font size."""

    @property
    def paragraph_gap(self) -> float:
        """A wider space than this (share of the font size) between two lines starts a new block."""
        return max(0.75, self.line_gap + 0.3)


def body_style(pages: list[RawPage]) -> BodyStyle:
    """Size, weight and line spacing of the body text, from the content fragments of all pages."""
    sizes: Counter[float] = Counter()
    bold: Counter[float] = Counter()
    for page in pages:
        for frag in page.fragments:
            if frag.kind != "line":
                continue
            sizes[frag.size] += len(frag.text)
            if frag.bold:
                bold[frag.size] += len(frag.text)
    if not sizes:
        return BodyStyle(0.0, False, 0.35)
    size = sizes.most_common(1)[0][0]
    gaps: Counter[float] = Counter()
    for page in pages:
        lines = sorted((f for f in page.fragments if f.kind == "line" and f.size == size), key=lambda f: f.top)
        for prev, line in zip(lines, lines[1:], strict=False):
            gap = line.top - prev.bottom
            if abs(line.x0 - prev.x0) < 2 and -1 < gap < 1.5 * size:
                gaps[round(gap / size, 1)] += 1
    line_gap = gaps.most_common(1)[0][0] if gaps else 0.35
    return BodyStyle(size, bold[size] * 2 > sizes[size], line_gap)


def layout_page(page: RawPage, body: BodyStyle) -> PageLayout:
    """Margins aside, the page's content in reading order: contents rows, tables and proto-blocks."""
    layout = PageLayout(number=page.number, height=page.height)
    content: list[Fragment | TableItem] = []
    for frag in page.fragments:
        if frag.kind in ("running", "page-number"):
            (layout.top if frag.top < page.height / 2 else layout.bottom).append(frag)
        else:
            content.append(frag)
    content.extend(page.tables)
    current: Proto | None = None
    for item, column in reading_order(content, page.width):
        if isinstance(item, TableItem) or item.kind == "toc":
            current = None
            if isinstance(item, Fragment) and not any(isinstance(i, Fragment) and i.kind == "toc"
                                                      for i in layout.body):
                title = contents_title(layout.body)
                if title is not None:
                    title.skip = True
            layout.body.append(item)
            continue
        if current is not None and continues(current, item, column, body):
            current.lines.append(item)
            continue
        if current is not None and is_side_label(item, current.lines[-1], page.width):
            layout.body.append(Proto(lines=[item], column=column))
            continue  # the block the label sits beside goes on below it
        current = Proto(lines=[item], column=column)
        layout.body.append(current)
    return layout


def contents_title(above: list[PageItem]) -> Proto | None:
    """The title of a contents page, given what stands above its first row: a block reading "Indhold" (or
    the like), else a short block right above the rows."""
    for item in above:
        if isinstance(item, Proto) and TOC_TITLE.match(normalize_ws(" ".join(ln.text for ln in item.lines))):
            return item
    last = above[-1] if above else None
    return last if isinstance(last, Proto) and last.words <= 6 else None


def is_side_label(item: Fragment, line: Fragment, width: float) -> bool:
    """A few words set far right on the row of a long line ("[Function]", "Bilag 2"): a block of their own that
    does not end the block of the line beside them."""
    beside = item.top < line.bottom and line.top < item.bottom and item.x0 > line.x1
    return beside and len(item.words) <= 4 and line.x1 - line.x0 >= 0.4 * width


def marker_of(line: Fragment) -> tuple[str, str] | None:
    """("bullet", "•") or ("number", "2.") when the line starts a list item or numbered heading."""
    text = line.text
    if match := BULLET.match(text):
        return ("bullet", match["marker"])
    if match := NUMBER.match(text):
        return ("number", match["number"])
    return None


def continues(block: Proto, line: Fragment, column: int, body: BodyStyle) -> bool:
    """Whether ``line`` goes on the block above it (same column and style, close below, not a new item)."""
    prev = block.lines[-1]
    if column != block.column or line.page != prev.page:
        return False
    if abs(line.size - prev.size) > 0.3 or line.bold != prev.bold:
        return False
    gap = line.top - prev.bottom
    if gap < -1 or gap > line.size * body.paragraph_gap:
        return False
    first = block.lines[0]
    started = marker_of(first)
    marker = marker_of(line)
    if marker is not None:
        ends_sentence = prev.text.rstrip().endswith((".", ":", "!", "?", ";"))
        same_left = abs(line.x0 - first.x0) < 2
        # "– i skolen" or "9. klasse" wrapped to a line start inside a sentence goes on; anything else is new
        return started is None and same_left and not ends_sentence
    if started is not None and first.size <= body.size + 0.4 and first.bold == body.bold:
        # a list item goes on only with lines indented under its text (a hanging indent); a numbered
        # heading (larger or bolder than the body) may wrap flush left
        return line.x0 >= text_x0(first) - 2
    return True


def text_x0(line: Fragment) -> float:
    """Where the text after a list marker starts (the line's x0 when there is no marker)."""
    if marker_of(line) is not None and len(line.words) > 1:
        return float(line.words[1]["x0"])
    return line.x0


def classify(layouts: list[PageLayout], body_style: BodyStyle) -> None:
    """Decide headings (with levels), list items (with depth) and paragraphs from styles across the document."""
    protos = [p for layout in layouts for p in layout.body if isinstance(p, Proto) and not p.skip]
    body, body_bold = body_style.size, body_style.bold

    def heading_style(style: tuple[float, bool]) -> bool:
        size, bold = style
        return size > body + 0.4 or (bold and not body_bold and size >= body - 0.4)

    for proto in protos:
        marker = marker_of(proto.lines[0])
        if heading_style(proto.style) and proto.words <= MAX_HEADING_WORDS \
                and len(proto.lines) <= MAX_HEADING_LINES and (marker is None or marker[0] == "number"):
            proto.kind = BlockKind.HEADING
            proto.number = marker[1] if marker else None
        elif marker is not None:
            proto.kind = BlockKind.LIST_ITEM
            kind, value = marker
            if kind == "number":
                proto.number = value
            else:
                proto.marker = value
    demote_subtitles(layouts)
    mark_footnotes(layouts, body)
    styles = sorted({p.style for p in protos if p.kind is BlockKind.HEADING and not p.skip},
                    key=lambda s: (-s[0], not s[1]))
    for proto in protos:
        if proto.kind is BlockKind.HEADING:
            proto.level = min(styles.index(proto.style) + 1, 6)
    number_chapters([p for p in protos if p.kind is BlockKind.HEADING])
    for layout in layouts:
        assign_depths(layout.body)


def number_chapters(headings: list[Proto]) -> None:
    """Bare numbers before headings ("1 Indledning", "2 Fire værdier") are numbering when the headings of one
    level count up with them; a single "12 anbefalinger" stays text."""
    by_level: dict[int, list[tuple[Proto, int]]] = {}
    for proto in headings:
        if proto.number is None and (match := BARE_NUMBER.match(proto.lines[0].text)):
            by_level.setdefault(proto.level, []).append((proto, int(match["number"])))
    for numbered in by_level.values():
        values = [n for _, n in numbered]
        if len(values) >= 2 and all(a < b for a, b in zip(values, values[1:], strict=False)):
            for proto, value in numbered:
                proto.number = str(value)


def mark_footnotes(layouts: list[PageLayout], body: float) -> None:
    """Paragraphs smaller than the body text that end a page in its lower quarter are footnotes."""
    for layout in layouts:
        for item in reversed(layout.body):
            if not isinstance(item, Proto) or item.skip or item.kind is not BlockKind.PARAGRAPH:
                break
            if item.style[0] >= body - 0.4 or item.lines[0].top < layout.height * 0.75:
                break
            item.role = "footnote"


def demote_subtitles(layouts: list[PageLayout]) -> None:
    """A heading style used once, right under another heading, is a subtitle (cover tagline), not a level."""
    headings = [p for layout in layouts for p in layout.body
                if isinstance(p, Proto) and p.kind is BlockKind.HEADING and not p.skip]
    uses = Counter(p.style for p in headings)
    for layout in layouts:
        body = [i for i in layout.body if not (isinstance(i, Proto) and i.skip)]
        for prev, item in zip(body, body[1:], strict=False):
            if isinstance(item, Proto) and item.kind is BlockKind.HEADING and uses[item.style] == 1 \
                    and isinstance(prev, Proto) and prev.kind is BlockKind.HEADING and item.number is None:
                item.kind = BlockKind.PARAGRAPH
                item.role = "subtitle"


def assign_depths(body: Sequence[PageItem]) -> None:
    """Depth of each list item from the indentation of its marker within a run of list items."""
    stack: list[float] = []
    column = None
    for item in body:
        if not isinstance(item, Proto) or item.skip:
            continue
        if item.kind is not BlockKind.LIST_ITEM or item.column != column:
            stack = []
            column = item.column if item.kind is BlockKind.LIST_ITEM else None
            if item.kind is not BlockKind.LIST_ITEM:
                continue
        x = item.lines[0].x0
        while stack and x < stack[-1] - 2:
            stack.pop()
        if not stack or x > stack[-1] + 2:
            stack.append(x)
        item.depth = len(stack) - 1


# --- extracted text and blocks -------------------------------------------------------------------------------


def dehyphenate(lines: list[str]) -> list[str]:
    """Join words hyphenated at line ends: the whole word ends the first line, the rest starts the next."""
    out = list(lines)
    for i in range(len(out) - 1):
        head, tail = out[i], out[i + 1]
        if len(head) < 2 or head[-1] not in HYPHENS or not head[-2].isalpha() or not tail[:1].islower():
            continue
        first, _, rest = tail.partition(" ")
        if first.lower().strip(",.;:") in ELISION_FOLLOWERS:
            continue
        out[i] = head[:-1] + first
        out[i + 1] = rest
    return out


def write(layouts: list[PageLayout]) -> tuple[str, list[Block]]:
    """Build the extracted text page by page and the blocks pointing into it."""
    builder = TextBuilder()
    blocks: list[Block] = []
    table_no = 0
    for layout in layouts:
        if layout.number > 1:
            span = builder.append("\f")
            blocks.append(Block(kind=BlockKind.PAGE_BREAK, text="", segments=[span], page=layout.number))
        for frag in layout.top:
            builder.append(frag.text)
        for item in layout.body:
            if isinstance(item, Fragment):
                builder.append(item.text)
            elif isinstance(item, TableItem):
                blocks.extend(write_table(builder, item, table_no))
                table_no += 1
            elif item.skip:
                for line in item.lines:
                    builder.append(line.text)
            else:
                block = write_proto(builder, item)
                if block is not None:
                    mark_continuation(blocks, block)
                    blocks.append(block)
        for frag in layout.bottom:
            builder.append(frag.text)
    return builder.text, blocks


def mark_continuation(blocks: list[Block], block: Block) -> None:
    """Mark a page's first paragraph that goes on with the sentence the page before ended in.

    A block has one page, so a paragraph running over a page break stays two blocks; the hint
    ``style["continues"] = "previous-page"`` lets the recogniser join them.
    """
    if block.kind is not BlockKind.PARAGRAPH or not blocks or blocks[-1].kind is not BlockKind.PAGE_BREAK:
        return
    before = [b for b in blocks if b.kind is not BlockKind.PAGE_BREAK]
    if not before or before[-1].kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        return
    if before[-1].text.endswith((".", ":", "!", "?")) or not block.text[:1].islower():
        return
    block.style["continues"] = "previous-page"


def write_proto(builder: TextBuilder, proto: Proto) -> Block | None:
    texts = dehyphenate([line.text for line in proto.lines])
    spans: list[Segment] = []
    for n, text in enumerate(texts):
        if not text:
            continue
        start, end = builder.append(text)
        if n == 0 and (proto.number or proto.marker):
            prefix = (NUMBER.match(text) or BARE_NUMBER.match(text)) if proto.number else BULLET.match(text)
            if prefix:
                start += prefix.end()
        spans.append((start, end))
    lines = proto.lines
    bbox = (min(ln.x0 for ln in lines), min(ln.top for ln in lines), max(ln.x1 for ln in lines),
            max(ln.bottom for ln in lines))
    size, bold = proto.style
    style = {"font_size": f"{size:g}", "bold": str(bold).lower()}
    if proto.role:
        style["role"] = proto.role
    return block_from_spans(proto.kind, builder.text, spans, level=proto.level, depth=proto.depth,
                            number=proto.number, marker=proto.marker, page=lines[0].page, bbox=bbox, style=style)


def write_table(builder: TextBuilder, table: TableItem, index: int) -> list[Block]:
    """One TABLE_CELL per cell; the extracted text holds a row per line, cells separated by " | ".

    A merged cell is one block at its first column with ``style["colspan"]``; a merged header names the
    columns it spans.
    """
    headers: list[str | None] = []
    if table.header:
        for text, _ in table.cells[0]:
            headers.append(normalize_ws(text) if text is not None else (headers[-1] if headers else None))
    blocks: list[Block] = []
    for r, row in enumerate(table.cells):
        first = True
        for c, (text, box) in enumerate(row):
            if text is None:
                continue  # the cell is covered by a merged neighbour
            span = builder.append(text, sep="\n" if first else " | ")
            first = False
            style = {"role": "header"} if table.header and r == 0 else {}
            width = 1 + next((n for n, (t, _) in enumerate(row[c + 1:]) if t is not None), len(row) - c - 1)
            if width > 1:
                style["colspan"] = str(width)
            header = headers[c] if table.header and r > 0 and c < len(headers) else None
            block = block_from_spans(BlockKind.TABLE_CELL, builder.text, [span], table=index, row=r, col=c,
                                     header=header or None, page=table.page, bbox=box or table.bbox, style=style)
            if block is not None:
                blocks.append(block)
    return blocks

"""Word documents (.docx) → blocks: heading and list styles, Word's own list numbering, tables with merged cells.

Safety comes before parsing: the ZIP directory is checked for bombs (declared sizes and compression ratios, which
:mod:`zipfile` then enforces while reading), and every XML part is parsed once by :mod:`defusedxml` with DTDs
forbidden, so neither entity expansion nor external entities reach python-docx. OOXML never needs a DTD.

What Word shows is rebuilt rather than guessed: list numbers are counted per abstract numbering the way Word
counts them (a ``w:num`` with a ``startOverride`` restarts the list), bullets come from the level's text, merged
cells (``gridSpan``, ``vMerge``) are read once with their spans, and pages are counted from the page breaks Word
last rendered (``lastRenderedPageBreak``) or, in files Word never paginated, from explicit breaks.
Headers, footers, footnotes, comments, text boxes and the table of contents are not content and are left out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import ParseError as XMLParseError

import defusedxml.ElementTree as SafeET
import docx
from defusedxml import DefusedXmlException
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from lxml.etree import _Element as Element

from ingest.model import Segment, normalize_ws
from ingest.read.blocks import Block, BlockKind, ReadDocument, TextBuilder, block_from_spans
from ingest.read.detect import ReadError, check_zip_entries

MAX_UNCOMPRESSED_BYTES: Final = 256 * 1024 * 1024
"""Refuse a package whose members declare more than this in total once uncompressed."""
MAX_RATIO: Final = 100
"""Refuse a member that expands more than this many times …"""
RATIO_MIN_BYTES: Final = 1024 * 1024
"""… once it is larger than this uncompressed (small XML parts legitimately compress well)."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"


def _w(tag: str) -> str:
    return _W + tag


def _attr(el: Element | None, name: str) -> str | None:
    return el.get(_W + name) if el is not None else None


# --- Safety ----------------------------------------------------------------------------------------------------


def check_package(data: bytes, file: str | Path) -> None:
    """Refuse a corrupt package, a ZIP bomb, or any XML part with a DTD, before anything parses the document."""
    check_zip_entries(data, file)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError(f"truncated or corrupt DOCX file ({exc})", reason="corrupt", file=file) from exc
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ReadError(f"DOCX zip bomb refused: its parts expand to {total} bytes, over the limit of "
                            f"{MAX_UNCOMPRESSED_BYTES}", reason="zip-bomb", file=file)
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
                raise ReadError(f"DOCX zip bomb refused: part {info.filename} expands {ratio:.0f} times "
                                f"({info.compress_size} → {info.file_size} bytes; limit {MAX_RATIO})",
                                reason="zip-bomb", file=file)
        for info in infos:
            name = info.filename
            if not (name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"):
                continue
            try:
                part = zf.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise ReadError(f"corrupt DOCX part {name} ({exc})", reason="corrupt", file=file) from exc
            _check_xml(part, name, file)
            if _STRICT_NS in part[:4096]:
                raise ReadError("a Strict Open XML document is not supported; save it in Word as “Word-dokument "
                                "(*.docx)”", reason="unsupported-format", file=file)


def _check_xml(part: bytes, name: str, file: str | Path) -> None:
    try:
        SafeET.fromstring(part, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        what = ("XML entity declarations" if b"ENTITY" in part[:65536].upper()
                else "a DOCTYPE declaration")
        raise ReadError(f"{name} contains {what} (entity expansion or external entities are refused; "
                        f"{type(exc).__name__})", reason="xml-entities", file=file) from exc
    except XMLParseError as exc:
        raise ReadError(f"{name} is not well-formed XML ({exc})", reason="corrupt", file=file) from exc


# --- Styles ----------------------------------------------------------------------------------------------------

_HEADING_NAME = re.compile(r"^(?:heading|overskrift)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES: Final = frozenset({"title", "titel"})
_TOC_NAME = re.compile(r"^(?:toc\s*\d|toc heading|indholdsfortegnelse\s*\d|overskrift til indholdsfortegnelse)$",
                       re.IGNORECASE)
_LIST_NAME = re.compile(r"^(?:list (?:bullet|number)|opstilling[- ]med[- ](?:punkttegn|tal))\s*([2-9])?$",
                        re.IGNORECASE)


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None
    page_break_before: bool


@dataclass
class _Styles:
    by_id: dict[str, _Style]
    default: str | None

    def chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        sid = style_id or self.default
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            yield sid, self.by_id[sid]
            sid = self.by_id[sid].based_on


def _read_styles(styles_el: Element | None) -> _Styles:
    by_id: dict[str, _Style] = {}
    default = None
    if styles_el is None:
        return _Styles(by_id, None)
    for st in styles_el.iter(_w("style")):
        if _attr(st, "type") != "paragraph":
            continue
        sid = _attr(st, "styleId") or ""
        ppr = st.find(_w("pPr"))
        num = ppr.find(_w("numPr")) if ppr is not None else None
        outline = ppr.find(_w("outlineLvl")) if ppr is not None else None
        ilvl = num.find(_w("ilvl")) if num is not None else None
        by_id[sid] = _Style(
            name=_attr(st.find(_w("name")), "val") or sid,
            based_on=_attr(st.find(_w("basedOn")), "val"),
            outline=int(_attr(outline, "val") or 9) if outline is not None else None,
            num_id=_attr(num.find(_w("numId")), "val") if num is not None else None,
            ilvl=int(_attr(ilvl, "val") or 0) if ilvl is not None else None,
            page_break_before=ppr is not None and _on(ppr.find(_w("pageBreakBefore"))),
        )
        if _attr(st, "default") in ("1", "true"):
            default = sid
    return _Styles(by_id, default)


def _on(el: Element | None) -> bool:
    """A WordprocessingML on/off property: present and not explicitly false."""
    return el is not None and _attr(el, "val") not in ("0", "false", "off")


# --- Numbering -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    style: str | None = None


@dataclass
class _Num:
    abstract: str
    start_overrides: dict[int, int]
    level_overrides: dict[int, _Level]


def _read_level(lvl: Element) -> _Level:
    start = _attr(lvl.find(_w("start")), "val")
    return _Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=_attr(lvl.find(_w("numFmt")), "val") or "decimal",
        text=_attr(lvl.find(_w("lvlText")), "val") or "",
        style=_attr(lvl.find(_w("pStyle")), "val"),
    )


@dataclass
class _Numbering:
    abstracts: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, _Num] = field(default_factory=dict)

    def levels(self, num_id: str) -> dict[int, _Level]:
        num = self.nums[num_id]
        return {**self.abstracts.get(num.abstract, {}), **num.level_overrides}


def _read_numbering(el: Element | None) -> _Numbering:
    numbering = _Numbering()
    if el is None:
        return numbering
    for ab in el.iter(_w("abstractNum")):
        levels = {int(_attr(lv, "ilvl") or 0): _read_level(lv) for lv in ab.findall(_w("lvl"))}
        numbering.abstracts[_attr(ab, "abstractNumId") or ""] = levels
    for num in el.iter(_w("num")):
        starts: dict[int, int] = {}
        overrides: dict[int, _Level] = {}
        for ov in num.findall(_w("lvlOverride")):
            ilvl = int(_attr(ov, "ilvl") or 0)
            so = _attr(ov.find(_w("startOverride")), "val")
            if so is not None and so.isdigit():
                starts[ilvl] = int(so)
            if (lv := ov.find(_w("lvl"))) is not None:
                overrides[ilvl] = _read_level(lv)
        numbering.nums[_attr(num, "numId") or ""] = _Num(
            abstract=_attr(num.find(_w("abstractNumId")), "val") or "", start_overrides=starts,
            level_overrides=overrides)
    return numbering


_ROMAN: Final = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                 (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = []
    for value, digits in _ROMAN:
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """Word's letter numbering: a … z, then aa … zz, aaa …"""
    if n < 1:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter as Word writes it in a numbering format (``decimal``, ``lowerLetter``, ``upperRoman`` …)."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


# Bullets in Symbol/Wingdings fonts sit in the Private Use Area; show what the font draws.
_BULLETS: Final = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf0e8": "➔",
                   "\uf06e": "■", "\uf0a8": "◆", "\uf0de": "⇨", "\uf02d": "-"}


def _bullet(text: str) -> str:
    text = text.strip()
    if not text:
        return "•"
    if len(text) == 1 and "\ue000" <= text <= "\uf8ff":
        return _BULLETS.get(text, "•")
    return text


class _ListCounter:
    """Counts list paragraphs the way Word does: one counter set per abstract numbering, restarted by a
    ``w:num`` that overrides the start value, deeper levels restarted whenever a shallower one advances."""

    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.counts: dict[str, dict[int, int]] = {}
        self.seen: set[str] = set()

    def next(self, num_id: str, ilvl: int) -> tuple[str | None, str | None]:
        """(number, marker) of the next paragraph of list ``num_id`` at level ``ilvl``."""
        num = self.numbering.nums.get(num_id)
        if num is None:
            return None, "•"
        levels = self.numbering.levels(num_id)
        counts = self.counts.setdefault(num.abstract, {})
        if num_id not in self.seen:
            self.seen.add(num_id)
            for lvl, start in num.start_overrides.items():
                counts[lvl] = start - 1
                for deeper in [k for k in counts if k > lvl]:
                    del counts[deeper]
        level = levels.get(ilvl, _Level(text=f"%{ilvl + 1}."))
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else level.start
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if level.fmt == "bullet":
            return None, _bullet(level.text)
        if level.fmt == "none":
            return None, None

        def placeholder(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = level if k == ilvl else levels.get(k, _Level())
            return format_number(counts.get(k, lv.start), lv.fmt)

        number = re.sub(r"%([1-9])", placeholder, level.text).strip()
        return (number or None), None


# --- Paragraph content -----------------------------------------------------------------------------------------

_SKIP: Final = frozenset({_w("pPr"), _w("rPr"), _w("del"), _w("moveFrom"), _w("instrText"), _w("delText"),
                          _w("drawing"), _w("pict"), _w("object"), _w("txbxContent"), _MC + "AlternateContent",
                          _w("footnoteReference"), _w("endnoteReference"), _w("commentReference")})


@dataclass
class _Content:
    text: str
    breaks_before: int = 0
    breaks_after: int = 0


def _paragraph_content(p: Element, rendered: bool) -> _Content:
    """The visible text of a paragraph and the page breaks in it (before and after its first text)."""
    parts: list[str] = []
    content = _Content("")

    def page_break() -> None:
        if "".join(parts).strip():
            content.breaks_after += 1
        else:
            content.breaks_before += 1

    def visit(el: Element) -> None:
        tag = el.tag
        if tag in _SKIP:
            return
        if tag == _w("t"):
            parts.append(el.text or "")
        elif tag in (_w("tab"), _w("ptab")):
            parts.append("\t")
        elif tag == _w("br"):
            kind = _attr(el, "type")
            if kind == "page":
                if not rendered:
                    page_break()
            else:
                parts.append("\n")
        elif tag == _w("cr"):
            parts.append("\n")
        elif tag == _w("noBreakHyphen"):
            parts.append("-")
        elif tag == _w("lastRenderedPageBreak"):
            if rendered:
                page_break()
        else:
            for child in el:
                visit(child)

    visit(p)
    content.text = "".join(parts)
    return content


# --- The reader ------------------------------------------------------------------------------------------------


@dataclass
class _Para:
    """What a paragraph's properties and style say it is."""

    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    title: bool = False
    toc: bool = False
    num: tuple[str, int] | None = None
    list_style: int | None = None
    page_break_before: bool = False
    style_name: str = ""


def _classify(p: Element, styles: _Styles, numbering: _Numbering) -> _Para:
    ppr = p.find(_w("pPr"))
    style_id = _attr(ppr.find(_w("pStyle")), "val") if ppr is not None else None
    chain = list(styles.chain(style_id))
    name = chain[0][1].name if chain else (style_id or "")
    info = _Para(style_name=name)
    low = name.strip().lower()
    sid = (style_id or "").lower()
    if _TOC_NAME.match(low) or _TOC_NAME.match(sid):
        info.toc = True
        return info
    info.page_break_before = (ppr is not None and _on(ppr.find(_w("pageBreakBefore")))) or any(
        s.page_break_before for _, s in chain)
    # numbering: direct properties win over the style's (numId 0 switches a style's numbering off)
    direct = ppr.find(_w("numPr")) if ppr is not None else None
    num_id: str | None = None
    ilvl: int | None = None
    if direct is not None:
        num_id = _attr(direct.find(_w("numId")), "val")
        il = _attr(direct.find(_w("ilvl")), "val")
        ilvl = int(il) if il and il.isdigit() else None
    if num_id is None:
        for sid_, st in chain:
            if st.num_id is not None:
                num_id = st.num_id
                ilvl = ilvl if ilvl is not None else st.ilvl
                if ilvl is None and num_id in numbering.nums:
                    ilvl = next((k for k, lv in numbering.levels(num_id).items() if lv.style == sid_), 0)
                break
    if num_id is not None and num_id != "0":
        info.num = (num_id, ilvl or 0)
    # heading: by style name, then by outline level (direct, then the style chain)
    m = _HEADING_NAME.match(low) or _HEADING_NAME.match(sid)
    if m:
        info.kind, info.level = BlockKind.HEADING, min(int(m.group(1)), 6)
        return info
    if low in _TITLE_NAMES or sid in _TITLE_NAMES:
        info.kind, info.level, info.title = BlockKind.HEADING, 1, True
        return info
    outline = ppr.find(_w("outlineLvl")) if ppr is not None else None
    level = int(_attr(outline, "val") or 9) if outline is not None else next(
        (s.outline for _, s in chain if s.outline is not None), None)
    if level is not None and level < 9:
        info.kind, info.level = BlockKind.HEADING, min(level + 1, 6)
        return info
    lm = _LIST_NAME.match(low)
    if info.num is not None or lm:
        info.kind = BlockKind.LIST_ITEM
        if lm:
            info.list_style = int(lm.group(1) or 1) - 1
    return info


def _body_items(parent: Element) -> Iterator[Element]:
    """Paragraphs and tables of a body or cell in order, through content controls; the TOC control is skipped."""
    for el in parent:
        tag = el.tag
        if tag in (_w("p"), _w("tbl")):
            yield el
        elif tag == _w("sdt"):
            gallery = el.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
            if gallery is not None and "contents" in (_attr(gallery, "val") or "").lower():
                continue
            content = el.find(_w("sdtContent"))
            if content is not None:
                yield from _body_items(content)
        elif tag in (_w("customXml"), _w("ins"), _w("moveTo")):
            yield from _body_items(el)


def _children(parent: Element, tag: str) -> Iterator[Element]:
    """Children of ``parent`` with ``tag``, also those wrapped in content controls or custom XML."""
    for el in parent:
        if el.tag == tag:
            yield el
        elif el.tag == _w("sdt"):
            content = el.find(_w("sdtContent"))
            if content is not None:
                yield from _children(content, tag)
        elif el.tag == _w("customXml"):
            yield from _children(el, tag)


@dataclass
class _Cell:
    row: int
    col: int
    colspan: int
    tc: Element
    rowspan: int = 1


def table_cells(tbl: Element) -> list[_Cell]:
    """The cells of a table once each, with their grid position and spans (``gridSpan``, ``vMerge``)."""
    cells: list[_Cell] = []
    open_merges: dict[int, _Cell] = {}
    for r, tr in enumerate(_children(tbl, _w("tr"))):
        trpr = tr.find(_w("trPr"))
        before = _attr(trpr.find(_w("gridBefore")), "val") if trpr is not None else None
        col = int(before) if before and before.isdigit() else 0
        for tc in _children(tr, _w("tc")):
            tcpr = tc.find(_w("tcPr"))
            span_val = _attr(tcpr.find(_w("gridSpan")), "val") if tcpr is not None else None
            span = int(span_val) if span_val and span_val.isdigit() else 1
            vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
            merge = None if vmerge is None else (_attr(vmerge, "val") or "continue")
            if merge == "continue" and col in open_merges:
                open_merges[col].rowspan += 1
            else:
                cell = _Cell(r, col, span, tc)
                cells.append(cell)
                if merge == "restart":
                    open_merges[col] = cell
                else:
                    open_merges.pop(col, None)
            col += span
    return cells


def _cell_paragraphs(parent: Element) -> Iterator[Element]:
    for item in _body_items(parent):
        if item.tag == _w("tbl"):
            for tr in _children(item, _w("tr")):
                for tc in _children(tr, _w("tc")):
                    yield from _cell_paragraphs(tc)
        else:
            yield item


class _Reader:
    def __init__(self, styles: _Styles, numbering: _Numbering, rendered: bool, file: str | Path) -> None:
        self.styles = styles
        self.numbering = numbering
        self.counter = _ListCounter(numbering)
        self.rendered = rendered
        self.file = file
        self.out = TextBuilder()
        # blocks are made once the text is complete (TextBuilder.text joins every part: once, not per block)
        self.pending: list[Block | tuple[BlockKind, list[Segment], dict[str, object]]] = []
        self.page = 1
        self.tables = 0
        self.heading_shift = 0

    def page_break(self) -> None:
        self.page += 1
        span = self.out.append("\f", sep="\n")
        self.pending.append(Block(kind=BlockKind.PAGE_BREAK, text="", segments=[span], page=self.page))

    def blocks(self) -> list[Block]:
        text = self.out.text
        made = [p if isinstance(p, Block) else block_from_spans(p[0], text, p[1], **p[2]) for p in self.pending]
        return [b for b in made if b is not None]

    def append(self, content: _Content, info: _Para, sep: str) -> tuple[list[Segment], dict[str, object]]:
        """Append a paragraph's text (its number or bullet before the span) and return its span and fields."""
        fields: dict[str, object] = {}
        prefix = ""
        if info.num is not None and content.text.strip():
            number, marker = self.counter.next(*info.num)
            fields.update(number=number, marker=marker)
            if info.kind is BlockKind.LIST_ITEM:
                # "List Bullet 2" is indented by its style even where its numbering has one level only
                fields["depth"] = max(info.num[1], info.list_style or 0)
            prefix = number or marker or ""
        elif info.kind is BlockKind.LIST_ITEM:
            fields.update(depth=info.list_style or 0, marker="•")
            prefix = "•"
        if prefix:
            depth = fields.get("depth", 0)
            self.out.append("  " * (depth if isinstance(depth, int) else 0) + prefix + " ", sep=sep)
            sep = ""
        return [self.out.append(content.text, sep=sep)], fields

    def paragraph(self, p: Element) -> None:
        info = _classify(p, self.styles, self.numbering)
        if info.toc:
            return
        content = _paragraph_content(p, self.rendered)
        if info.page_break_before and not self.rendered and self.pending:
            self.page_break()
        for _ in range(content.breaks_before):
            self.page_break()
        spans, fields = self.append(content, info, sep="\n\n")
        level = info.level
        if info.kind is BlockKind.HEADING and not info.title:
            level = min(level + self.heading_shift, 6)
        style = {"style": info.style_name} if info.style_name else {}
        self.pending.append((info.kind, spans, {"page": self.page, "level": level, "style": style, **fields}))
        for _ in range(content.breaks_after):
            self.page_break()

    def table(self, tbl: Element) -> None:
        index = self.tables
        self.tables += 1
        n_rows = sum(1 for _ in _children(tbl, _w("tr")))
        headers: dict[int, str] = {}
        for cell in table_cells(tbl):
            spans, text, breaks_after = self.cell_text(cell)
            style = {k: str(v) for k, v in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if v > 1}
            if text:
                if cell.row == 0 and n_rows > 1:
                    for c in range(cell.col, cell.col + cell.colspan):
                        headers[c] = text
                self.pending.append((BlockKind.TABLE_CELL, spans, {
                    "table": index, "row": cell.row, "col": cell.col, "page": self.page, "style": style,
                    "header": headers.get(cell.col) if cell.row > 0 else None}))
            for _ in range(breaks_after):
                self.page_break()

    def cell_text(self, cell: _Cell) -> tuple[list[Segment], str, int]:
        """Append a cell's paragraphs (nested tables flattened into it) and return its spans, its text and the
        page breaks that fell after its first text; breaks before any text are emitted at once (the cell starts
        on the new page)."""
        spans: list[Segment] = []
        texts: list[str] = []
        after = 0
        sep = "\n\n"
        has_text = False
        for p in _cell_paragraphs(cell.tc):
            info = _classify(p, self.styles, self.numbering)
            if info.toc:
                continue
            content = _paragraph_content(p, self.rendered)
            if has_text:
                after += content.breaks_before
            else:
                for _ in range(content.breaks_before):
                    self.page_break()
                    sep = "\n"
            new_spans, _ = self.append(content, info, sep=sep)
            sep = "\n"
            spans.extend(new_spans)
            texts.append(content.text)
            has_text = has_text or bool(content.text.strip())
            if has_text:
                after += content.breaks_after
            else:
                for _ in range(content.breaks_after):
                    self.page_break()
        return spans, normalize_ws(" ".join(texts)), after

    def run(self, body: Element) -> None:
        for item in _body_items(body):
            if item.tag == _w("tbl"):
                self.table(item)
            else:
                self.paragraph(item)


def read_docx(data: bytes, *, file: str | Path) -> ReadDocument:
    """Read a Word document's body into blocks, after :func:`check_package` has found it safe."""
    check_package(data, file)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "not a Word file" in str(exc):  # .docm (macros), .dotx: another main content type
            raise ReadError(f"not a Word document (.docx) but another Office package: {exc}",
                            reason="unsupported-format", file=file) from exc
        raise ReadError(f"not a readable Word document ({exc})", reason="corrupt", file=file) from exc
    except Exception as exc:  # python-docx raises KeyError, lxml errors … for broken packages
        raise ReadError(f"not a readable Word document ({type(exc).__name__}: {exc})", reason="corrupt",
                        file=file) from exc
    part = document.part
    try:
        numbering_el = part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering_el = None
    styles_el = document.styles.element
    body = document.element.body
    rendered = next(body.iter(_w("lastRenderedPageBreak")), None) is not None
    has_explicit = rendered or next((b for b in body.iter(_w("br")) if _attr(b, "type") == "page"), None) is not None
    reader = _Reader(_read_styles(styles_el), _read_numbering(numbering_el), rendered, file)
    reader.heading_shift = 1 if any(_classify(p, reader.styles, reader.numbering).title
                                    for p in body.iter(_w("p"))) else 0
    reader.run(body)
    blocks = reader.blocks()
    paginated = has_explicit or any(b.kind is BlockKind.PAGE_BREAK for b in blocks)
    if not paginated:
        for b in blocks:
            b.page = None
    meta = _core_meta(document, part)
    meta["pagination"] = "rendered" if rendered else ("explicit" if paginated else "none")
    doc = ReadDocument(text=reader.out.text, blocks=blocks, format="docx", pages=reader.page if paginated else None,
                       meta=meta)
    if not doc.content_blocks():
        doc.warnings.append(f"{file}: the Word document has no text in its body")
    return doc


def _core_meta(document: DocxDocument, part: Part) -> dict[str, str]:
    """Title, author, created (ISO date), subject and keywords from docProps/core.xml when the file has it."""
    package = part.package
    if not any(rel.reltype == RT.CORE_PROPERTIES for rel in package.rels.values()):
        return {}
    props = document.core_properties
    meta = {"title": props.title, "author": props.author, "subject": props.subject, "keywords": props.keywords}
    out = {k: v.strip() for k, v in meta.items() if v and v.strip()}
    if props.created is not None:
        out["created"] = props.created.date().isoformat()
    return out


__all__ = ["MAX_RATIO", "MAX_UNCOMPRESSED_BYTES", "check_package", "format_number", "read_docx", "table_cells"]

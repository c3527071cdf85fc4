"""Reader for flattened web transcripts of PDFs, as document-sharing sites publish them.

What the format looks like, and what the reader recovers:

* The page may open with a list of other documents under a heading such as ``Relaterede dokumenter`` (one
  title per paragraph) up to a ``Transkript:`` line, the transcript's table of contents or its first page
  (a long line ending in a page number). → a ``HEADING``
  (level 1, ``style["role"] = "related-documents"``) and one ``LIST_ITEM`` per title; a title the site lists
  again is read once.
* The transcript has one paragraph, usually one long line, per PDF page. A page ends with its bare page number
  and may start with a running header repeated on other pages; ``Side N`` markers may leak in. None of these
  reach a block: the pages are stitched together around them, and each block records the ``page`` it starts on
  (``PAGE_BREAK`` blocks mark where a page begins).
* A table of contents (``1. Indledning... 4 2. Visioner... 5``, dot leaders) is never a block; it names the
  numbered headings, which are found again in the running text (``HEADING`` with ``number`` "1." / "3.1" and
  ``level`` from the numbering depth). Without one, numbered headings are found by their numbering sequence.
  A title before the first heading (``Strategi 2014``: words up to a year) is a level-1 ``HEADING`` with
  ``style["role"] = "title"``.
* Line breaks are lost, so paragraph breaks are too: prose becomes one ``PARAGRAPH`` per sentence, the
  smallest unit that is certain (a sentence cut by a page break keeps one segment per page). Bullets the
  transcript kept inline (``• … • …``) are ``LIST_ITEM`` blocks with the glyph as ``marker``.
* Where the document's shape says lines mattered, the reader recovers them: a heading or item without final
  punctuation runs straight into the next text, and a capitalised word after a lower-case one marks the lost
  break (unless it is a place name the document uses, an acronym, a suspended compound "Syd - og
  Vestsjælland" or a list of names). This is done
  - in a chapter named by a plural class word of the cue file (``Visioner``) whose body is a row of
    unpunctuated statements each followed by its explanation: each statement a ``HEADING`` one level down;
  - in a box introduced by a lead-in of ``[transcript].box_lead_ins`` (``Aktivt medborgerskab: Hvad vil vi?``):
    the box title with its lead-in a ``HEADING`` one level down (``style["role"] = "list-box"``,
    ``style["lead_in"]``), its items ``LIST_ITEM`` blocks, and items that group the others (they restate the
    box title, or are the only verbless ones) ``HEADING`` blocks one level further down. A box runs to the next
    box or to the next heading.
* A closing list of references (``Referencer:``) is a level-1 ``HEADING`` (``style["role"] = "references"``)
  with one ``LIST_ITEM`` per reference (a reference ends with a year or a place name).

The cue words come from ``ingest/structure/cues.toml`` (``[related.headings]``, ``[class.*].plural``,
``[transcript]``); the Danish word lists below only serve reading Danish sentences (abbreviations, function
words), not structure.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.language.sentences import sentence_spans, trim
from ingest.model import Segment, normalize_ws
from ingest.read.blocks import Block, BlockKind, ReadDocument, block_from_spans
from ingest.read.tabular import Line, lines_of

CUES_FILE = Path(__file__).resolve().parents[1] / "structure" / "cues.toml"

UPPER = "A-ZÆØÅÄÖÜÉ"
LOWER = "a-zæøåäöüé"

_TOC_ENTRY = re.compile(r"(?<!\S)(\d+(?:\.\d+)*\.?)\s+(\S.*?)\s*\.{2,}\s*(\d+)(?!\S)")
_PAGE_NUMBER = re.compile(r"(?<!\S)(\d{1,3})\s*$")
_SIDE_MARKER = re.compile(r"(?<!\S)[Ss]ide\s+\d{1,3}(?:\s+af\s+\d{1,3})?(?!\S)")
_BULLET_GLYPH = re.compile("(?<!\\S)[•▪●◦■►▶➢✓\uf0b7\uf0a7](?=\\s)")
_SIDE_AT_END = re.compile(r"(?<!\S)[Ss]ide\s+(\d{1,3})(?:\s+af\s+\d{1,3})?\s*$")
_NUMBERED_HEADING = re.compile(rf"(?<!\S)(\d+(?:\.\d+)*\.?)\s+(?=[{UPPER}])")
_TITLE_WITH_YEAR = re.compile(
    rf"\s*([{UPPER}][\w&-]*\s+(?:[\w&-]+\s+){{0,5}}(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)\s+(?=[{UPPER}])")
_LOWER_THEN_CAPITAL = re.compile(rf"(?<=[{LOWER}])\s+(?=[{UPPER}])")
_YEARLIKE = re.compile(r"^\(?(?:19|20)\d\d(?:-\d{2,4})?\)?[.,;]?$")
_NAME = rf"[{UPPER}][{UPPER}{LOWER}]*(?:-[{UPPER}][{UPPER}{LOWER}]*)*"
_PLACE = re.compile(
    rf"(?<![\w-])({_NAME})\s+(?:Kommunes?|KOMMUNES?)(?![\w-])|(?<![\w-])[Rr]egion(?:en)?\s+({_NAME})")
# Words of Danish sentences (not of structure): a verb tells a statement from a verbless group title; a unit does
# not end in a function word; a unit opening with a continuation word belongs to the one before. (Sentences
# themselves, with the abbreviations that never end one, come from ingest.language.sentences.)
_VERB = re.compile(r"\b(?:skal|vil|kan|må|bør|er|har|bliver|blive|skulle|ville|kunne|være|får|gør)\b",
                   re.IGNORECASE)
_NOT_A_NAME = frozenset({"i", "og", "for", "af", "den", "det", "de", "en", "et", "til", "alle", "hver", "vores",
                         "din", "jeres", "ny", "nye", "fra", "med", "om"})
_FUNCTION_WORDS = frozenset({
    "og", "eller", "samt", "i", "af", "for", "til", "med", "fra", "på", "om", "ved", "under", "over", "mod",
    "mellem", "som", "at", "en", "et", "den", "det", "de", "&", "hos", "uden", "efter", "inden", "gennem"})
_CONTINUATION = frozenset({"og", "men", "samt", "eller", "dette", "herved", "hermed"})

Span = tuple[int, int]


# --------------------------------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class TranscriptCues:
    """The cue words the reader needs: headings of the page around the transcript, series chapters, boxes."""

    related: tuple[str, ...]
    references: tuple[str, ...]
    markers: tuple[str, ...]
    series: tuple[str, ...]
    """Plural class words: a chapter holding one lists its items as unpunctuated headings."""
    box_lead_ins: tuple[str, ...]


def _fold(text: str) -> str:
    return normalize_ws(text).casefold()


def cues_from(data: dict[str, Any]) -> TranscriptCues:
    """The reader's cues from a parsed cue file."""
    headings: dict[str, str] = data.get("related", {}).get("headings", {})
    own: dict[str, Any] = data.get("transcript", {})
    plural = [w for spec in data.get("class", {}).values() for w in spec.get("plural", [])]
    return TranscriptCues(
        related=tuple(_fold(k) for k, v in headings.items() if v == "related"),
        references=tuple(_fold(k) for k, v in headings.items() if v != "related"),
        markers=tuple(_fold(m) for m in own.get("markers", [])),
        series=tuple(_fold(w) for w in plural),
        box_lead_ins=tuple(normalize_ws(w) for w in own.get("box_lead_ins", [])))


@lru_cache(maxsize=4)
def load_transcript_cues(path: Path = CUES_FILE) -> TranscriptCues:
    with path.open("rb") as fh:
        return cues_from(tomllib.load(fh))


def _words_pattern(phrases: tuple[str, ...], *, whole_line: bool) -> re.Pattern[str]:
    body = "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))
    if whole_line:
        return re.compile(rf"^\s*(?:{body or '(?!)'})\s*:?\s*$", re.IGNORECASE)
    return re.compile(rf"(?<!\S)(?:{body or '(?!)'})(?=\s|$|:)", re.IGNORECASE)


# --------------------------------------------------------------------------------------------------- text


def _paragraphs(text: str) -> list[list[Line]]:
    """Runs of non-blank lines with their offsets."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in lines_of(text):
        if line.blank:
            if current:
                out.append(current)
            current = []
        else:
            current.append(line)
    if current:
        out.append(current)
    return out


def _para_text(para: list[Line]) -> str:
    return normalize_ws(" ".join(line.text for line in para))


def _unpunctuated(s: str) -> bool:
    return not s.rstrip().endswith((".", "!", "?", ":", ";", ","))


def _is_boundary(text: str, pos: int, end: int, places: frozenset[str]) -> bool:
    """Whether the capitalised word at ``pos`` (after a lower-case word) starts a new line of the original."""
    m = re.match(rf"[{UPPER}][\w]*-?", text[pos:end])
    if m is None:
        return False
    word = m.group(0)
    rest = text[pos + len(word):end]
    if word.rstrip("-").casefold() in places:
        return False
    before = re.search(r"(\S+)\s*$", text[:pos])
    if before is not None and before.group(1).casefold() in _FUNCTION_WORDS:
        return False  # a line does not end with a conjunction, preposition or article
    if len(word) > 1 and word.rstrip("-").isupper():
        return False  # acronym
    if word.endswith("-") or re.match(r"\s*-\s", rest):
        return False  # suspended compound: "Syd - og Vestsjælland", "Handicap- og ..."
    return not re.match(rf"(?:,\s+|\s+(?:og|&)\s+)[{UPPER}]", rest)  # a list of names


def units(text: str, a: int, b: int, places: frozenset[str]) -> list[Span]:
    """Sentences, further split where an unpunctuated line of the original ran into the next text."""
    out: list[Span] = []
    for sa, sb in sentence_spans(text, a, b):
        start = sa
        for m in _LOWER_THEN_CAPITAL.finditer(text, sa, sb):
            if _is_boundary(text, m.end(), sb, places):
                out.append(trim(text, start, m.start()))
                start = m.end()
        out.append(trim(text, start, sb))
    return [u for u in out if u[0] < u[1]]


def _places(text: str) -> frozenset[str]:
    """Place names the document uses as ``<Navn> Kommune`` or ``Region <Navn>``, case-folded."""
    names = {(m.group(1) or m.group(2)).casefold() for m in _PLACE.finditer(text)}
    return frozenset((names - _NOT_A_NAME) | {"kommune", "kommunes", "region", "regions"})


def _page_number(line: str) -> int | None:
    """The page number a page's last line ends with: ``Side 3 af 8`` or a bare ``3``."""
    m = _SIDE_AT_END.search(line) or _PAGE_NUMBER.search(line)
    return int(m.group(1)) if m else None


def _page_like(para: list[Line]) -> bool:
    """A transcript page: one or two long lines ending in a page number."""
    return len(para) <= 2 and len(_para_text(para)) >= 200 and _page_number(para[-1].text) is not None


def _toc_entries(para: list[Line]) -> list[tuple[str, str]]:
    found = [(m.group(1), normalize_ws(m.group(2))) for m in _TOC_ENTRY.finditer(_para_text(para))]
    return found if len(found) >= 2 else []


def _subtract(spans: list[Segment], cuts: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s, e in spans:
        pos = s
        for cs, ce in sorted(cuts):
            if ce <= pos or cs >= e:
                continue
            if cs > pos:
                out.append((pos, cs))
            pos = max(pos, ce)
        if pos < e:
            out.append((pos, e))
    return out


def _running_header(pages: list[list[Line]]) -> list[str] | None:
    """Words that start at least two pages and are followed there by a capital or a number."""
    firsts = [p[0].text.split() for p in pages]
    for k in range(6, 0, -1):
        counts: Counter[tuple[str, ...]] = Counter()
        for words in firsts:
            if len(words) > k and re.match(rf"[{UPPER}0-9]", words[k]):
                counts[tuple(words[:k])] += 1
        for prefix, count in counts.most_common():
            if count < 2:
                break
            if prefix[0][0].isdigit() or not _unpunctuated(prefix[-1]):
                continue
            return list(prefix)
    return None


@dataclass
class _Stream:
    """The transcript pages stitched (pieces joined by one space), with a map back to source offsets."""

    text: str
    starts: list[int]
    pieces: list[Segment]
    pages: list[int | None]
    """Page number of each piece."""

    @classmethod
    def of(cls, source: str, pieces: list[tuple[Segment, int | None]]) -> _Stream:
        parts: list[str] = []
        starts: list[int] = []
        pos = 0
        for (s, e), _ in pieces:
            starts.append(pos)
            parts.append(source[s:e])
            pos += e - s + 1
        return cls(" ".join(parts), starts, [p for p, _ in pieces], [n for _, n in pieces])

    def segments(self, a: int, b: int) -> list[Segment]:
        """Source segments behind the stream span ``[a, b)``."""
        out: list[Segment] = []
        for v, (s, e) in zip(self.starts, self.pieces, strict=True):
            lo, hi = max(a, v), min(b, v + (e - s))
            if lo < hi:
                out.append((s + lo - v, s + hi - v))
        return out

    def page_at(self, a: int) -> int | None:
        i = bisect.bisect_right(self.starts, a) - 1
        return self.pages[max(i, 0)] if self.pages else None


@dataclass
class _Heading:
    number: str
    title: str
    start: int
    title_span: Span
    end: int

    @property
    def level(self) -> int:
        return len(self.number.rstrip(".").split("."))


# --------------------------------------------------------------------------------------------------- reader


def _group_headings(items: list[str], box_title: str) -> set[int]:
    """Indexes of the items of a box that head a group of the others: items restating the box title, or else
    the verbless short items among items that state something (never two in a row)."""
    if not items:
        return set()
    title = box_title.casefold()
    restating = {i for i, u in enumerate(items)
                 if title and _unpunctuated(u) and title in u.casefold() and len(u.split()) <= 12}
    if 0 in restating:
        return restating
    heads = {i for i, u in enumerate(items) if _unpunctuated(u) and _VERB.search(u) is None and len(u.split()) <= 10}
    if 0 not in heads or len(heads) * 2 > len(items) or any(i + 1 in heads for i in heads):
        return set()
    return heads


class _Reader:
    def __init__(self, text: str, cues: TranscriptCues) -> None:
        self.text = text
        self.cues = cues
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.meta: dict[str, str] = {}
        self.related_head = _words_pattern(cues.related, whole_line=True)
        self.marker = _words_pattern(cues.markers, whole_line=True)
        self.references_head = re.compile(
            _words_pattern(cues.references, whole_line=False).pattern + r"(\s*:)?", re.IGNORECASE)
        self.series_word = _words_pattern(cues.series, whole_line=False)
        self.box = re.compile(r"(?<!\S)(?:" + "|".join(
            r"\s+".join(map(re.escape, p.split())) for p in cues.box_lead_ins) + r")" if cues.box_lead_ins
            else r"(?!)", re.IGNORECASE)

    # -- page around the transcript -------------------------------------------------------------------

    def related(self, paras: list[list[Line]]) -> list[list[Line]]:
        """Blocks of the related-documents list; returns the paragraphs after it (all when there is none).

        The list's heading and the transcript marker are lines of their own, possibly without a blank line
        around them."""
        found = next(((i, j) for i, p in enumerate(paras) for j, ln in enumerate(p)
                      if self.related_head.match(ln.text)), None)
        if found is None:
            return paras
        i, j = found
        line = paras[i][j]
        title = re.sub(r"\s*:\s*$", "", line.text.strip())
        s = line.span()[0]
        self._add(BlockKind.HEADING, [(s, s + len(title))], level=1, style={"role": "related-documents"})
        rest = ([paras[i][j + 1:]] if j + 1 < len(paras[i]) else []) + paras[i + 1:]
        seen: set[str] = set()
        for k, para in enumerate(rest):
            mark = next((n for n, ln in enumerate(para) if self.marker.match(ln.text)), None)
            if mark is not None:
                before, after = para[:mark], para[mark + 1:]
                self._related_item(before, seen)
                return ([after] if after else []) + rest[k + 1:]
            if _toc_entries(para) or _page_like(para):
                return rest[k:]
            self._related_item(para, seen)
        return []

    def _related_item(self, para: list[Line], seen: set[str]) -> None:
        if not para:
            return
        folded = _para_text(para).casefold().rstrip(" .:;,")
        if folded in seen:  # the site lists a document again
            return
        seen.add(folded)
        self._add(BlockKind.LIST_ITEM, [ln.span() for ln in para], style={"role": "related-document"})

    # -- pages ------------------------------------------------------------------------------------------

    def stream(self, pages: list[list[Line]]) -> tuple[_Stream, list[int]]:
        """The content pages stitched without page numbers, running headers and ``Side N`` markers; and the
        stream offset where each page starts."""
        header = _running_header(pages)
        pieces: list[tuple[Segment, int | None]] = []
        page_starts: list[int] = []
        previous: int | None = None
        for page in pages:
            cuts: list[Segment] = []
            last = page[-1]
            number: int | None = previous + 1 if previous is not None else None
            n = _page_number(last.text)
            if n is not None and (previous is None or previous < n <= previous + 3):
                m = _SIDE_AT_END.search(last.text) or _PAGE_NUMBER.search(last.text)
                assert m is not None
                cuts.append((last.start + m.start(), last.end))
                number = previous = n
            first = page[0]
            if header is not None and first.text.split()[:len(header)] == header:
                hm = re.match(r"\s*" + r"\s+".join(map(re.escape, header)), first.text)
                if hm is not None:
                    cuts.append((first.start, first.start + hm.end()))
            for line in page:
                cuts += [(line.start + sm.start(), line.start + sm.end()) for sm in _SIDE_MARKER.finditer(line.text)]
            kept = [(s, e) for s, e in _subtract([ln.span() for ln in page], cuts) if self.text[s:e].strip()]
            if kept:
                page_starts.append(sum(e - s + 1 for (s, e), _ in pieces))
                pieces.extend((span, number) for span in kept)
        return _Stream.of(self.text, pieces), page_starts

    # -- headings ---------------------------------------------------------------------------------------

    def headings(self, stream: _Stream, toc: list[tuple[str, str]], places: frozenset[str]) -> list[_Heading]:
        text = stream.text
        found: list[_Heading] = []
        pos = 0
        for number, title in toc:
            pattern = re.compile(rf"(?<!\S){re.escape(number)}\s+("
                                 + r"\s+".join(map(re.escape, title.split())) + r")(?!\S)")
            m = pattern.search(text, pos)
            if m is None:
                continue
            found.append(_Heading(number, normalize_ws(m.group(1)), m.start(), (m.start(1), m.end(1)), m.end()))
            pos = m.end()
        return found or self.numbered_headings(stream, places)

    @staticmethod
    def numbered_headings(stream: _Stream, places: frozenset[str]) -> list[_Heading]:
        """Headings without a table of contents: numbers in sequence (1, 2, 2.1, 3, ...) before a capital, the
        title running to the first lost line break."""
        text = stream.text
        found: list[_Heading] = []
        current: tuple[int, ...] = ()
        for m in _NUMBERED_HEADING.finditer(text):
            parts = tuple(int(p) for p in m.group(1).rstrip(".").split("."))
            allowed = {current + (1,)} | {current[:i] + (current[i] + 1,) for i in range(len(current))}
            if parts not in allowed:
                continue
            limit = min(len(text), m.end() + 400)
            following = _NUMBERED_HEADING.search(text, m.end(), limit)
            found_units = units(text, m.end(), following.start() if following else limit, places)
            if not found_units:
                continue
            ta, tb = found_units[0]
            title = text[ta:tb]
            if not _unpunctuated(title) or len(title.split()) > 15:
                continue
            found.append(_Heading(m.group(1), normalize_ws(title), m.start(), (ta, tb), tb))
            current = parts
        return found

    # -- blocks -----------------------------------------------------------------------------------------

    def _add(self, kind: BlockKind, spans: list[Segment], stream: _Stream | None = None,
             **fields: Any) -> Block | None:
        if stream is not None and spans:
            fields.setdefault("page", stream.page_at(spans[0][0]))
            spans = [seg for a, b in spans for seg in stream.segments(a, b)]
        block = block_from_spans(kind, self.text, spans, **fields)
        if block is not None:
            if block.page is not None and stream is not None:
                last_page = next((b.page for b in reversed(self.blocks) if b.page is not None), None)
                if last_page is not None and block.page != last_page:
                    self.blocks.append(Block(kind=BlockKind.PAGE_BREAK, text="", segments=[], page=block.page))
            self.blocks.append(block)
        return block

    def prose(self, stream: _Stream, a: int, b: int, places: frozenset[str]) -> None:
        """Sentences as paragraphs; a run of inline bullets ("• … • …") as list items, the last item ending
        at the first line break the flattening lost."""
        text = stream.text
        glyphs = list(_BULLET_GLYPH.finditer(text, a, b))
        if not glyphs:
            for span in sentence_spans(text, a, b):
                self._add(BlockKind.PARAGRAPH, [span], stream)
            return
        for span in sentence_spans(text, a, glyphs[0].start()):
            self._add(BlockKind.PARAGRAPH, [span], stream)
        rest = b
        for i, g in enumerate(glyphs):
            end = glyphs[i + 1].start() if i + 1 < len(glyphs) else b
            if i + 1 == len(glyphs):
                first = units(text, g.end(), b, places)
                end = first[0][1] if first else b
                rest = end
            self._add(BlockKind.LIST_ITEM, [(g.end(), end)], stream, marker=g.group(0).strip())
        for span in sentence_spans(text, rest, b):
            self._add(BlockKind.PARAGRAPH, [span], stream)

    def series(self, stream: _Stream, body: Span, level: int, places: frozenset[str]) -> None:
        """A chapter listing its items as unpunctuated headings, each followed by its explanation."""
        found = units(stream.text, body[0], body[1], places)
        for i, (a, b) in enumerate(found):
            if _unpunctuated(stream.text[a:b]) and i + 1 < len(found):
                self._add(BlockKind.HEADING, [(a, b)], stream, level=level + 1)
            else:
                self._add(BlockKind.PARAGRAPH, [(a, b)], stream)

    def body(self, stream: _Stream, body: Span, level: int, places: frozenset[str]) -> None:
        """The text under a heading: prose, and boxes of items where box lead-ins introduce them. A box runs to
        the next box's title (the line before its lead-in, when unpunctuated or ending in ":") or the body's
        end."""
        text = stream.text
        boxes = list(self.box.finditer(text, body[0], body[1]))
        if not boxes:
            self.prose(stream, body[0], body[1], places)
            return
        starts: list[int] = []
        pos = body[0]
        for i, q in enumerate(boxes):
            if i == 0:
                before = sentence_spans(text, pos, q.start())
            else:  # the last line before the lead-in, after the items of the box before (never its only item)
                glyphs = list(_BULLET_GLYPH.finditer(text, pos, q.start()))
                before = units(text, glyphs[-1].end() if glyphs else pos, q.start(), places)[1:]
            start = q.start()
            if before and (_unpunctuated(text[before[-1][0]:before[-1][1]]) or text[before[-1][1] - 1] == ":"):
                start = before[-1][0]
            starts.append(start)
            pos = q.end()
        self.prose(stream, body[0], starts[0], places)
        for i, q in enumerate(boxes):
            end = starts[i + 1] if i + 1 < len(boxes) else body[1]
            self._add(BlockKind.HEADING, [(starts[i], q.end())], stream, level=level + 1,
                      style={"role": "list-box", "lead_in": normalize_ws(q.group(0))})
            self.box_items(stream, (q.end(), end), normalize_ws(text[starts[i]:q.start()]).rstrip(" :"), level,
                           places)

    def box_items(self, stream: _Stream, span: Span, box_title: str, level: int, places: frozenset[str]) -> None:
        """The items of a box, one per bullet or else one per lost line; a sentence opening with a
        continuation word belongs to the item before; group titles are headings one level further down."""
        text = stream.text
        glyphs = list(_BULLET_GLYPH.finditer(text, span[0], span[1]))
        found: list[tuple[Span, str | None]] = []
        if glyphs:
            found += [(u, None) for u in units(text, span[0], glyphs[0].start(), places)]
            found += [((g.end(), glyphs[i + 1].start() if i + 1 < len(glyphs) else span[1]), g.group(0).strip())
                      for i, g in enumerate(glyphs)]
        else:
            found = [(u, None) for u in units(text, span[0], span[1], places)]
        items: list[tuple[Span, str | None]] = []
        for (a, b), marker in found:
            words = text[a:b].split(maxsplit=1)
            if items and marker is None and words and words[0].casefold() in _CONTINUATION:
                items[-1] = ((items[-1][0][0], b), items[-1][1])  # a sentence of the item before
            elif words:
                items.append(((a, b), marker))
        heads = _group_headings([text[a:b] for (a, b), _ in items], box_title)
        for i, (item, marker) in enumerate(items):
            if i in heads and marker is None:
                self._add(BlockKind.HEADING, [item], stream, level=level + 2)
            else:
                self._add(BlockKind.LIST_ITEM, [item], stream, marker=marker)

    def references(self, stream: _Stream, body: Span, places: frozenset[str]) -> None:
        """One list item per reference: a reference ends with a year or a place name, or at a ";"."""
        text = stream.text
        refs: list[Span] = []
        start = body[0]
        for m in re.finditer(r"\S+", text[body[0]:body[1]]):
            a = body[0] + m.start()
            word = m.group(0)
            if a == start:
                continue
            prev = re.search(r"(\S+)\s*$", text[start:a])
            previous = prev.group(1) if prev else ""
            if previous.endswith(";"):
                refs.append((start, a))
                start = a
                continue
            if not re.match(rf"[{UPPER}]", word) or previous.endswith((",", ":")):
                continue  # a reference does not end in "," or ":" ("Vordingborg Kommune: Sundhedspolitik")
            bare = re.sub(r"\W+$", "", word).casefold()
            prev_bare = re.sub(r"\W+$", "", previous).casefold()
            year_before = _YEARLIKE.match(previous) is not None
            if bare in places and not (year_before and not word.endswith(",")):
                continue  # a place name continues the reference ("2012-13 Slagelse, ...")
            if year_before or prev_bare in places:
                refs.append((start, a))
                start = a
        refs.append((start, body[1]))
        for a, b in refs:
            a, b = trim(text, a, b)
            while b > a and text[b - 1] in ";,":
                b -= 1
            if a < b:
                self._add(BlockKind.LIST_ITEM, [(a, b)], stream, style={"role": "reference"})

    def read(self) -> None:
        paras = _paragraphs(self.text)
        after = self.related(paras)
        toc: dict[str, str] = {}
        for para in paras:
            for number, title in _toc_entries(para):
                toc.setdefault(number, title)
        toc_list = sorted(toc.items(), key=lambda kv: tuple(int(p) for p in kv[0].rstrip(".").split(".")))
        pages = [p for p in after if not _toc_entries(p)]
        if not pages:
            self.warnings.append("no transcript pages after the list of related documents")
            return
        stream, page_starts = self.stream(pages)
        places = _places(self.text)
        headings = self.headings(stream, toc_list, places)
        text = stream.text
        end = len(text)
        ref_head = None
        for m in self.references_head.finditer(text, headings[-1].end if headings else 0):
            if m.group(1) or m.start() in page_starts:
                ref_head = m
                break
        if ref_head is not None:
            end = ref_head.start()
        if not headings:
            self.warnings.append("no numbered headings and no table of contents naming them: read as prose")
        pre = trim(text, 0, headings[0].start if headings else end)
        if pre[0] < pre[1]:
            tm = _TITLE_WITH_YEAR.match(text, pre[0], pre[1])
            if tm is not None:
                block = self._add(BlockKind.HEADING, [(tm.start(1), tm.end(1))], stream, level=1,
                                  style={"role": "title"})
                if block is not None:
                    self.meta["title"] = block.text
                self.body(stream, (tm.end(), pre[1]), 1, places)
            else:
                self.body(stream, pre, 0, places)
        for i, heading in enumerate(headings):
            body = trim(text, heading.end, headings[i + 1].start if i + 1 < len(headings) else end)
            self._add(BlockKind.HEADING, [heading.title_span], stream, level=heading.level, number=heading.number)
            if self.series_word.search(heading.title):
                self.series_or_body(stream, body, heading.level, places)
            else:
                self.body(stream, body, heading.level, places)
        if ref_head is not None:
            word_end = ref_head.start(1) if ref_head.group(1) else ref_head.end()
            self._add(BlockKind.HEADING, [(ref_head.start(), word_end)], stream, level=1,
                      style={"role": "references"})
            self.references(stream, trim(text, ref_head.end(), len(text)), places)

    def series_or_body(self, stream: _Stream, body: Span, level: int, places: frozenset[str]) -> None:
        """A chapter named by a plural class word lists its items as headings when its text opens with such a
        line; otherwise (or when a box lead-in stands in it) it is read as any other body."""
        found = units(stream.text, body[0], body[1], places)
        if self.box.search(stream.text, body[0], body[1]) or not found or not _unpunctuated(
                stream.text[found[0][0]:found[0][1]]):
            self.body(stream, body, level, places)
        else:
            self.series(stream, body, level, places)


def looks_like_transcript(text: str) -> bool:
    """Whether ``text`` is a flattened transcript: long one-line pages ending in page numbers in sequence, or a
    related-documents list followed by a transcript marker or by such a page."""
    paras = _paragraphs(text)
    cues = load_transcript_cues()
    related = _words_pattern(cues.related, whole_line=True)
    marker = _words_pattern(cues.markers, whole_line=True)
    has_related = any(related.match(line.text) for p in paras for line in p)
    has_marker = any(marker.match(line.text) for p in paras for line in p)
    numbers = [n for para in paras if _page_like(para) and (n := _page_number(para[-1].text)) is not None]
    in_sequence = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if a < b <= a + 3)
    return in_sequence >= 2 or (has_related and (has_marker or len(numbers) >= 1))


def read_transcript(text: str, *, cues: TranscriptCues | None = None) -> ReadDocument:
    """Read a flattened web transcript into blocks; format ``web-transcript``."""
    reader = _Reader(text, cues or load_transcript_cues())
    reader.read()
    pages = [b.page for b in reader.blocks if b.page is not None]
    return ReadDocument(text=text, blocks=reader.blocks, format="web-transcript",
                        pages=max(pages) if pages else None, meta=reader.meta, warnings=reader.warnings)

"""Layout ``web-transcript``: a web page holding a flattened transcript of a strategy PDF.

Conventions of the layout (as produced by the municipality's web site):

* The page may start with a list under ``Relaterede dokumenter``: one title per paragraph, up to a
  ``Transkript:`` line (or the transcript's table of contents). Titles repeat; the first one wins.
* The transcript has one paragraph (usually one very long line) per PDF page. A page ends with its bare
  page number and may start with a running header repeated on other pages; ``Side N`` markers may also
  leak into the text. None of these reach node text: the pages are stitched together around them.
* A table of contents (``1. Indledning... 4 2. Visioner... 5``, dot leaders) names the numbered headings;
  the headings are found again in the running text. Without one, numbered headings are found by their
  numbering sequence.
* Line breaks are lost, so a heading or list item without final punctuation runs straight into the next
  text. A capitalised word right after a lower-case word (``... borgeres liv Borgerens ansvar``) marks
  such a boundary, unless the word is a place name the document uses (``<Navn> Kommune``,
  ``region <Navn>``), an acronym, a suspended compound (``Syd - og Vestsjælland``) or starts a list of
  names (``Handicap, Socialpsykiatri og Misbrug``).
* The vision chapter (``Visioner``) holds unpunctuated vision headings, each followed by its explanation.
* Focus areas are the sub-chapters of the chapter of strategic areas (or any sub-chapter holding a goal
  box). A goal box is introduced by ``<title>: Hvad vil vi?``; its items may be grouped under unpunctuated
  group headings, recognised as the items that restate the box title, or else as verbless phrases among
  items that all state something (``skal``, ``vil``, ...).
* A closing ``Referencer:`` list ends the text; a reference ends with a year or a place name.

Passages are sentences: the transcript has lost its paragraph breaks, so a sentence is the smallest unit
that is certain; a sentence cut by a page break keeps one segment per page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.errors import ParseError
from ingest.model import Node, NodeKind, ParsedDocument, Segment, make_node, normalize_ws
from ingest.parse.common import Line, lines_of, paragraphs

UPPER = "A-ZÆØÅÄÖÜÉ"
LOWER = "a-zæøåäöüé"

_RELATED_HEAD = re.compile(r"^\s*relaterede\s+dokumenter\s*:?\s*$", re.IGNORECASE)
_TRANSCRIPT_HEAD = re.compile(r"^\s*(?:transkript|transcript|transskription)\s*:?\s*$", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"(?<!\S)(\d+(?:\.\d+)*\.?)\s+(\S.*?)\s*\.{2,}\s*(\d+)(?!\S)")
_PAGE_NUMBER = re.compile(r"(?<!\S)(\d{1,3})\s*$")
_SIDE_MARKER = re.compile(r"(?<!\S)[Ss]ide\s+\d{1,3}(?:\s+af\s+\d{1,3})?(?!\S)")
_REFERENCES_HEAD = re.compile(
    r"(?<!\S)(Referencer|Referenceliste|Litteraturliste|Litteratur|Kilder|Kildeliste)\s*(:)?(?=\s)")
_QUESTION = re.compile(r"(?<!\S)(Hvad vil vi\?|Hvad gør vi\?|Det vil vi:|Sådan gør vi:)")
_NUMBERED_HEADING = re.compile(rf"(?<!\S)(\d+(?:\.\d+)*\.?)\s+(?=[{UPPER}])")
_VISION_TITLE = re.compile(r"^visio", re.IGNORECASE)
_FOCUS_PARENT = re.compile(r"indsats|fokus|tema|strategisk|mål", re.IGNORECASE)
_TITLE_WITH_YEAR = re.compile(rf"\s*((?:[{UPPER}][\w&-]*\s+){{0,4}}(?:19|20)\d\d)\s+(?=[{UPPER}])")
_SENTENCE_END = re.compile(rf"[.!?](?=[\"'»”)]*\s+[\"'«“(]?[{UPPER}0-9])")
_LOWER_THEN_CAPITAL = re.compile(rf"(?<=[{LOWER}])\s+(?=[{UPPER}])")
_VERB = re.compile(r"\b(?:skal|vil|kan|må|bør|er|har|bliver|blive|skulle|ville|kunne|være|får|gør)\b",
                   re.IGNORECASE)
_COMMITTEE = re.compile(rf"(?<!\S)((?:[{UPPER}][\w]*-\s+og\s+)?[{UPPER}][\w]*udvalget)\b")
_YEARLIKE = re.compile(r"^\(?(?:19|20)\d\d(?:-\d{2,4})?\)?[.,;]?$")
_NAME = rf"[{UPPER}][{UPPER}{LOWER}]*(?:-[{UPPER}][{UPPER}{LOWER}]*)*"
_ISSUER = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME})\s+(?:Kommunes?|KOMMUNES?)(?![\w-])"
    rf"|(?<![\w-])(?:Region|REGION)\s+(?P<region>{_NAME})(?![\w-])")
_PLACE = re.compile(
    rf"(?<![\w-])({_NAME})\s+(?:Kommunes?|KOMMUNES?)(?![\w-])|(?<![\w-])[Rr]egion(?:en)?\s+({_NAME})")
_NOT_A_NAME = frozenset({"i", "og", "for", "af", "den", "det", "de", "en", "et", "til", "alle", "hver", "vores",
                         "din", "jeres", "ny", "nye", "fra", "med", "om"})
_FUNCTION_WORDS = frozenset({
    "og", "eller", "samt", "i", "af", "for", "til", "med", "fra", "på", "om", "ved", "under", "over", "mod",
    "mellem", "som", "at", "en", "et", "den", "det", "de", "&", "hos", "uden", "efter", "inden", "gennem"})
_CONTINUATION = frozenset({"og", "men", "samt", "eller", "dette", "herved", "hermed"})
# Abbreviations after which a full stop does not end a sentence (osv., m.m., etc. may end one).
_NON_TERMINAL = frozenset({
    "bl.a.", "ca.", "red.", "f.eks.", "fx.", "jf.", "kr.", "mio.", "mia.", "nr.", "evt.", "dvs.", "vedr.",
    "pga.", "inkl.", "ekskl.", "iht.", "mht.", "ift.", "hhv.", "st.", "tlf.", "pkt.", "stk.", "kap.",
    "ang.", "mv.", "dr.", "hr.", "fr.", "prof.", "cand.", "ph.d.",
})

Span = tuple[int, int]


@dataclass
class _Stream:
    """Text stitched from pieces of the source (joined by one space) with a map back to source offsets."""

    source: str
    text: str
    starts: list[int]
    pieces: list[Segment]

    @classmethod
    def of(cls, source: str, pieces: list[Segment]) -> _Stream:
        parts: list[str] = []
        starts: list[int] = []
        pos = 0
        for s, e in pieces:
            starts.append(pos)
            parts.append(source[s:e])
            pos += e - s + 1
        return cls(source=source, text=" ".join(parts), starts=starts, pieces=list(pieces))

    def segments(self, a: int, b: int) -> list[Segment]:
        """Source segments behind the stream span ``[a, b)``."""
        out: list[Segment] = []
        for v, (s, e) in zip(self.starts, self.pieces, strict=True):
            lo, hi = max(a, v), min(b, v + (e - s))
            if lo < hi:
                out.append((s + lo - v, s + hi - v))
        return out

    def line_of(self, a: int) -> int:
        """1-based source line of stream offset ``a``."""
        segs = self.segments(a, a + 1)
        offset = segs[0][0] if segs else (self.pieces[0][0] if self.pieces else 0)
        return self.source.count("\n", 0, offset) + 1


@dataclass
class _Heading:
    number: str
    title: str
    start: int
    """Stream offset of the number."""
    title_span: Span
    end: int
    """Stream offset where the heading's body starts."""

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.number.rstrip(".").split("."))

    @property
    def level(self) -> int:
        return len(self.parts)


@dataclass
class _Counters:
    sections: int = 0
    visions: int = 0
    focus_areas: int = 0
    keys: set[str] = field(default_factory=set)


# --------------------------------------------------------------------------------------------------- text


def _trim(text: str, a: int, b: int) -> Span:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _sentences(text: str, a: int, b: int) -> list[Span]:
    """Sentences of ``text[a:b]``: split after ``.!?`` followed by a capital or digit, not after an
    abbreviation that never ends a sentence."""
    out: list[Span] = []
    start = a
    for m in _SENTENCE_END.finditer(text, a, b):
        end = m.end()
        token = re.search(r"\S+$", text[start:end])
        word = token.group(0).casefold() if token else ""
        if word in _NON_TERMINAL:
            continue
        span = _trim(text, start, end)
        if span[0] < span[1]:
            out.append(span)
        start = end
    span = _trim(text, start, b)
    if span[0] < span[1]:
        out.append(span)
    return out


def _is_boundary(text: str, pos: int, end: int, places: frozenset[str]) -> bool:
    """Whether the capitalised word at ``pos`` (after a lower-case word) starts a new unit."""
    m = re.match(rf"[{UPPER}][\w]*-?", text[pos:end])
    if m is None:
        return False
    word = m.group(0)
    rest = text[pos + len(word):end]
    if word.rstrip("-").casefold() in places:
        return False
    before = re.search(r"(\S+)\s*$", text[:pos])
    if before is not None and before.group(1).casefold() in _FUNCTION_WORDS:
        return False  # a unit does not end with a conjunction, preposition or article
    if len(word) > 1 and word.rstrip("-").isupper():
        return False  # acronym
    if word.endswith("-") or re.match(r"\s*-\s", rest):
        return False  # suspended compound: "Syd - og Vestsjælland", "Handicap- og ..."
    return not re.match(rf"(?:,\s+|\s+(?:og|&)\s+)[{UPPER}]", rest)  # a list of names


def _units(text: str, a: int, b: int, places: frozenset[str]) -> list[Span]:
    """Sentences, further split where an unpunctuated heading or list item runs into the next text."""
    out: list[Span] = []
    for sa, sb in _sentences(text, a, b):
        start = sa
        for m in _LOWER_THEN_CAPITAL.finditer(text, sa, sb):
            if _is_boundary(text, m.end(), sb, places):
                out.append(_trim(text, start, m.start()))
                start = m.end()
        out.append(_trim(text, start, sb))
    return [u for u in out if u[0] < u[1]]


def _unpunctuated(s: str) -> bool:
    return not s.rstrip().endswith((".", "!", "?", ":", ";", ","))


def _places(text: str) -> frozenset[str]:
    """Place names the document uses as ``<Navn> Kommune`` or ``Region <Navn>``, case-folded."""
    names: set[str] = set()
    for m in _PLACE.finditer(text):
        name = m.group(1) or m.group(2)
        if name.casefold() not in _NOT_A_NAME:
            names.add(name.casefold())
    return frozenset(names | {"kommune", "kommunes", "region", "regions"})


def _title_case(name: str) -> str:
    if not name.isupper():
        return name
    return "-".join(part.capitalize() for part in name.split("-"))


def find_issuer(title: str) -> str | None:
    """The municipality or region a title names, normalised to ``<Navn> Kommune`` / ``Region <Navn>``."""
    for m in _ISSUER.finditer(title):
        if m.group("name") is not None:
            name = m.group("name")
            if name.casefold() in _NOT_A_NAME or len(name) < 2:
                continue
            return f"{_title_case(name)} Kommune"
        return f"Region {_title_case(m.group('region'))}"
    return None


def _fold_title(title: str) -> str:
    return normalize_ws(title).casefold().rstrip(" .:;,")


# --------------------------------------------------------------------------------------------------- pages


def _para_text(para: list[Line]) -> str:
    return normalize_ws(" ".join(line.text for line in para))


def _toc_entries(para: list[Line]) -> list[tuple[str, str]]:
    text = _para_text(para)
    found = [(m.group(1), normalize_ws(m.group(2))) for m in _TOC_ENTRY.finditer(text)]
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


# --------------------------------------------------------------------------------------------------- parse


class _Parser:
    def __init__(self, source: str, file: str) -> None:
        self.source = source
        self.file = file
        self.lines = lines_of(source)
        self.counters = _Counters()

    def error(self, message: str, line: int | None = None) -> ParseError:
        return ParseError(message, file=self.file, line=line)

    # -- related documents --------------------------------------------------------------------------

    def related(self) -> tuple[list[Node], int]:
        """RelatedDocument nodes from the page's list; returns them and the number of the first source line
        after the list (1 when there is no list)."""
        head = next((line for line in self.lines if _RELATED_HEAD.match(line.text)), None)
        if head is None:
            return [], 1
        nodes: list[Node] = []
        seen: set[str] = set()
        after = [line for line in self.lines if line.number > head.number]
        for para in paragraphs(after):
            if _TRANSCRIPT_HEAD.match(para[0].text):
                return nodes, para[0].number + 1
            if _toc_entries(para):
                return nodes, para[0].number
            title = _para_text(para)
            folded = _fold_title(title)
            if folded in seen:
                continue
            seen.add(folded)
            attrs = {"role": "related"}
            issuer = find_issuer(title)
            if issuer:
                attrs["issuer"] = issuer
            key = f"related/{len(nodes) + 1}"
            self.counters.keys.add(key)
            nodes.append(make_node(NodeKind.RELATED_DOCUMENT, key, self.source,
                                   [line.span() for line in para], label=title, **attrs))
        return nodes, self.lines[-1].number + 1

    # -- pages ------------------------------------------------------------------------------------------

    def stream(self, pages: list[list[Line]]) -> tuple[_Stream, list[int]]:
        """Stitch the content pages, leaving out page numbers, running headers and ``Side N`` markers.
        Returns the stream and the stream offset where each page starts."""
        header = _running_header(pages)
        pieces: list[Segment] = []
        page_starts: list[int] = []
        previous: int | None = None
        for page in pages:
            cuts: list[Segment] = []
            last = page[-1]
            m = _PAGE_NUMBER.search(last.text)
            if m is not None:
                n = int(m.group(1))
                if previous is None or previous < n <= previous + 3:
                    cuts.append((last.start + m.start(1), last.end))
                    previous = n
            first = page[0]
            if header is not None:
                words = first.text.split()
                if words[: len(header)] == header:
                    hm = re.match(r"\s*" + r"\s+".join(map(re.escape, header)), first.text)
                    if hm is not None:
                        cuts.append((first.start, first.start + hm.end()))
            for line in page:
                for sm in _SIDE_MARKER.finditer(line.text):
                    cuts.append((line.start + sm.start(), line.start + sm.end()))
            kept = _subtract([line.span() for line in page if not line.blank], cuts)
            kept = [(s, e) for s, e in kept if self.source[s:e].strip()]
            if kept:
                pieces.extend(kept)
        stream = _Stream.of(self.source, pieces)
        # Page starts in stream offsets: the first piece of each page.
        index = 0
        for page in pages:
            page_end = page[-1].end
            while index < len(pieces) and pieces[index][1] <= page[0].start:
                index += 1
            if index < len(pieces) and pieces[index][0] <= page_end:
                page_starts.append(stream.starts[index])
        return stream, page_starts

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
            found.append(_Heading(number=number, title=normalize_ws(m.group(1)), start=m.start(),
                                  title_span=(m.start(1), m.end(1)), end=m.end()))
            pos = m.end()
        if found:
            return found
        return self._numbered_headings(stream, places)

    def _numbered_headings(self, stream: _Stream, places: frozenset[str]) -> list[_Heading]:
        """Headings without a table of contents: numbers in sequence (1, 2, 2.1, 3, ...) before a capital,
        the title running to the first unit boundary."""
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
            units = _units(text, m.end(), following.start() if following else limit, places)
            if not units:
                continue
            ta, tb = units[0]
            title = text[ta:tb]
            if not _unpunctuated(title) or len(title.split()) > 15:
                continue
            found.append(_Heading(number=m.group(1), title=normalize_ws(title), start=m.start(),
                                  title_span=(ta, tb), end=tb))
            current = parts
        return found

    # -- nodes -------------------------------------------------------------------------------------------

    def node(self, kind: NodeKind, key: str, stream: _Stream, span: Span, label: str | None = None,
             **attrs: str) -> Node:
        if key in self.counters.keys:
            raise self.error(f"duplicate node key {key!r}", stream.line_of(span[0]))
        self.counters.keys.add(key)
        return make_node(kind, key, self.source, stream.segments(*span), label=label, **attrs)

    def passages(self, parent: Node, stream: _Stream, spans: list[Span]) -> None:
        n = sum(1 for c in parent.children if c.kind is NodeKind.PASSAGE)
        parent.children.extend(self.passage_nodes(f"{parent.key}/passage", stream, spans, first=n + 1))

    def passage_nodes(self, prefix: str, stream: _Stream, spans: list[Span], first: int = 1) -> list[Node]:
        return [self.node(NodeKind.PASSAGE, f"{prefix}/{n}", stream, span)
                for n, span in enumerate(spans, start=first)]

    def section(self, stream: _Stream, title_span: Span, number: str | None = None) -> Node:
        self.counters.sections += 1
        label = normalize_ws(stream.text[title_span[0]:title_span[1]])
        attrs = {"number": number} if number else {}
        return self.node(NodeKind.SECTION, f"section/{self.counters.sections}", stream, title_span,
                         label=label, **attrs)

    def visions(self, section: Node, stream: _Stream, body: Span, places: frozenset[str]) -> None:
        units = _units(stream.text, body[0], body[1], places)
        current: Node | None = None
        for i, (a, b) in enumerate(units):
            unit = stream.text[a:b]
            if _unpunctuated(unit) and i + 1 < len(units):
                self.counters.visions += 1
                current = self.node(NodeKind.VISION, f"vision/{self.counters.visions}", stream, (a, b),
                                    label=normalize_ws(unit))
                section.children.append(current)
            else:
                self.passages(current if current is not None else section, stream, [(a, b)])

    def focus_area(self, heading: _Heading, stream: _Stream, body: Span, places: frozenset[str]) -> Node:
        self.counters.focus_areas += 1
        key = f"focus-area/{self.counters.focus_areas}"
        area = self.node(NodeKind.FOCUS_AREA, key, stream, heading.title_span, label=heading.title,
                         number=heading.number)
        text = stream.text
        q = _QUESTION.search(text, body[0], body[1])
        if q is None:
            self.passages(area, stream, _sentences(text, *body))
            return area
        narrative = _sentences(text, body[0], q.start())
        box_start = q.start()
        if narrative and _unpunctuated(text[narrative[-1][0]:narrative[-1][1]]) or (
                narrative and text[narrative[-1][1] - 1] == ":"):
            box_start = narrative[-1][0]
            narrative = narrative[:-1]
        self.passages(area, stream, narrative)
        box_title = normalize_ws(text[box_start:q.start()]).rstrip(" :")
        box_label = normalize_ws(text[box_start:q.end()])
        self.goals(area, stream, (box_start, q.end()), box_title, box_label, (q.end(), body[1]), places)
        return area

    def goals(self, area: Node, stream: _Stream, box_span: Span, box_title: str, box_label: str,
              body: Span, places: frozenset[str]) -> None:
        text = stream.text
        units = _units(text, body[0], body[1], places)
        if not units:
            raise self.error(f"goal box {box_label!r} has no items", stream.line_of(box_span[0]))
        heads = _group_headings([text[a:b] for a, b in units], box_title)
        goals = 0
        goal: Node | None = None
        items: list[Span] = []

        def flush() -> None:
            if goal is None:
                return
            for n, span in enumerate(items, start=1):
                goal.children.append(self.node(NodeKind.STATEMENT, f"{goal.key}/statement/{n}", stream, span))

        for i, span in enumerate(units):
            if i in heads or goal is None:
                flush()
                items = []
                goals += 1
                gkey = f"{area.key}/goal/{goals}"
                if i in heads:
                    label = normalize_ws(text[span[0]:span[1]])
                    goal = self.node(NodeKind.GOAL, gkey, stream, span, label=label, box=box_label)
                    area.children.append(goal)
                    continue
                goal = self.node(NodeKind.GOAL, gkey, stream, box_span, label=box_label, box=box_label)
                area.children.append(goal)
            first = text[span[0]:span[1]].split(maxsplit=1)[0].casefold()
            if items and first in _CONTINUATION:
                items[-1] = (items[-1][0], span[1])
            else:
                items.append(span)
        flush()

    def references(self, stream: _Stream, body: Span, places: frozenset[str]) -> list[Node]:
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
            if not re.match(rf"[{UPPER}]", word) or previous.endswith(","):
                continue
            bare = re.sub(r"\W+$", "", word).casefold()
            prev_bare = re.sub(r"\W+$", "", previous).casefold()
            year_before = _YEARLIKE.match(previous) is not None
            if bare in places and not (year_before and not word.endswith(",")):
                continue  # a place name continues the reference ("2012-13 Slagelse, ...")
            if year_before or prev_bare in places:
                refs.append((start, a))
                start = a
        refs.append((start, body[1]))
        nodes: list[Node] = []
        for a, b in refs:
            a, b = _trim(text, a, b)
            while b > a and text[b - 1] in ";,":
                b -= 1
            if a >= b:
                continue
            title = normalize_ws(text[a:b])
            attrs = {"role": "reference"}
            issuer = find_issuer(title)
            if issuer:
                attrs["issuer"] = issuer
            nodes.append(self.node(NodeKind.RELATED_DOCUMENT, f"reference/{len(nodes) + 1}", stream, (a, b),
                                   label=title, **attrs))
        return nodes

    # -- document ---------------------------------------------------------------------------------------

    def parse(self) -> ParsedDocument:
        paras = paragraphs(self.lines)
        if not paras:
            raise self.error("empty text: no transcript pages", 1)
        related, first_line = self.related()
        toc: dict[str, str] = {}
        for para in paras:
            for number, title in _toc_entries(para):
                toc.setdefault(number, title)
        toc_list = sorted(toc.items(), key=lambda kv: tuple(int(p) for p in kv[0].rstrip(".").split(".")))
        pages = [p for p in paragraphs(self.lines[first_line - 1:]) if not _toc_entries(p)]
        if not pages:
            raise self.error("no transcript pages after the related documents", self.lines[-1].number)
        stream, page_starts = self.stream(pages)
        places = _places(self.source)
        headings = self.headings(stream, toc_list, places)
        if not headings:
            raise self.error("no numbered chapter headings (such as '1. Indledning') and no table of contents "
                             "naming them: not a web-transcript strategy", pages[0][0].number)
        text = stream.text
        end = len(text)
        ref_head = None
        for m in _REFERENCES_HEAD.finditer(text, headings[-1].end):
            if m.group(2) or m.start() in page_starts:
                ref_head = m
                break
        if ref_head is not None:
            end = ref_head.start()

        nodes: list[Node] = list(related)
        attrs: dict[str, str] = {}
        # Preamble: text before the first heading, possibly under the document's title.
        pre = _trim(text, 0, headings[0].start)
        if pre[0] < pre[1]:
            tm = _TITLE_WITH_YEAR.match(text, pre[0], pre[1])
            if tm is not None:
                section = self.section(stream, (tm.start(1), tm.end(1)))
                attrs["title"] = section.label or ""
                self.passages(section, stream, _sentences(text, tm.end(), pre[1]))
                nodes.append(section)
            else:
                nodes.extend(self.passage_nodes("passage", stream, _sentences(text, *pre)))

        parent: Node | None = None
        parent_heading: _Heading | None = None
        for i, heading in enumerate(headings):
            body_end = headings[i + 1].start if i + 1 < len(headings) else end
            body = _trim(text, heading.end, body_end)
            if heading.level == 1:
                node = self.section(stream, heading.title_span, heading.number)
                if _VISION_TITLE.match(heading.title):
                    self.visions(node, stream, body, places)
                else:
                    self.passages(node, stream, _sentences(text, *body))
                nodes.append(node)
                parent, parent_heading = node, heading
                continue
            is_focus = (_QUESTION.search(text, body[0], body[1]) is not None
                        or (parent_heading is not None and _FOCUS_PARENT.search(parent_heading.title) is not None))
            if is_focus:
                child = self.focus_area(heading, stream, body, places)
            else:
                child = self.section(stream, heading.title_span, heading.number)
                self.passages(child, stream, _sentences(text, *body))
            if parent is None:
                nodes.append(child)
            else:
                parent.children.append(child)

        if ref_head is not None:
            nodes.extend(self.references(stream, (ref_head.end(), len(text)), places))

        publisher = _publisher(text)
        if publisher:
            attrs["publisher"] = publisher
        return ParsedDocument(nodes=nodes, attrs=attrs)


def _group_headings(units: list[str], box_title: str) -> set[int]:
    """Indexes of the items of a goal box that head a group of items (see the module doc)."""
    if not units:
        return set()
    title = box_title.casefold()
    restating = {i for i, u in enumerate(units)
                 if title and _unpunctuated(u) and title in u.casefold() and len(u.split()) <= 12}
    if 0 in restating:
        return restating

    def verbless(u: str) -> bool:
        return _unpunctuated(u) and _VERB.search(u) is None and len(u.split()) <= 10

    heads = {i for i, u in enumerate(units) if verbless(u)}
    if 0 not in heads or len(heads) * 2 > len(units):
        return set()
    if any(i + 1 in heads for i in heads):
        return set()
    return heads


def _publisher(text: str) -> str | None:
    """The committee the text names most, counting twice where it acts (``<udvalget> har ...``)."""
    scores: Counter[str] = Counter()
    order: dict[str, int] = {}
    for m in _COMMITTEE.finditer(text):
        name = normalize_ws(m.group(1))
        order.setdefault(name, m.start())
        scores[name] += 1
        if re.match(r"\s+(?:har|vil|skal|ønsker|er|besluttede|vedtog)\b", text[m.end():]):
            scores[name] += 2
    if not scores:
        return None
    return max(scores, key=lambda n: (scores[n], -order[n]))


def parse(text: str, file: str) -> ParsedDocument:
    """Parse a ``web-transcript`` document into RelatedDocument, Section, Vision, FocusArea, Goal, Statement
    and Passage nodes."""
    return _Parser(text, file).parse()

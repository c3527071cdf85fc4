"""What a document says about itself: title, municipality, year or period, committee, kind, follows_up.

Each value comes with the evidence it was read from (document properties, a heading, a quoted phrase of the
text), so that `strategigraf preview` can show why, and every value can be overridden by a flag or the manifest.
The inference is deliberately plain: patterns of how Danish municipal documents name themselves, weighted
towards the title page, the headings and the document properties, where a document names its own facts (a
strategy may list dozens of other municipalities' policies further down).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import PurePath
from typing import Generic, TypeVar

from ingest.manifest import DOCUMENT_KINDS, DocumentEntry, known_municipalities, slugify
from ingest.model import NodeKind, ParsedDocument, normalize_ws
from ingest.read.blocks import Block, BlockKind, ReadDocument

T = TypeVar("T")

HEAD_CHARS = 3_000
"""The start of the text, where a document names its own municipality, period and committee."""
HEAD_WEIGHT = 5
"""A mention on the title page, in a heading or in the document properties counts this many times."""

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "august": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
}


@dataclass(frozen=True)
class Guess(Generic[T]):
    """One inferred value and where it came from (``None`` when the document does not say)."""

    value: T | None
    evidence: str
    source: str = "text"
    """``meta`` (document properties), ``title``, ``heading``, ``text``, ``file-name``, ``flag``, ``none``."""


def _none(reason: str) -> Guess[T]:
    return Guess(None, reason, "none")


@dataclass(frozen=True)
class InferredMetadata:
    """The manifest fields of a document, each with its evidence."""

    title: Guess[str]
    municipality: Guess[str]
    """Key of the municipality ("slagelse", "hoeje-taastrup")."""
    year: Guess[int]
    period: Guess[str]
    date: Guess[str]
    committee: Guess[str]
    kind: Guess[str]
    follows_up: Guess[tuple[str, ...]] = field(default_factory=lambda: Guess((), "no earlier document named", "none"))

    def overridden(self, **values: object) -> InferredMetadata:
        """A copy with the given fields set (``None`` values are ignored), their evidence saying so."""
        changes: dict[str, Guess[object]] = {}
        for name, value in values.items():
            if value is None:
                continue
            if name not in self.__dataclass_fields__:
                raise KeyError(name)
            changes[name] = Guess(value, "given", "flag")
        if "period" in changes and "year" not in changes and isinstance(changes["period"].value, str):
            start = re.match(r"\d{4}", changes["period"].value)
            if start:
                changes["year"] = Guess(int(start.group()), "first year of the given period", "flag")
        return replace(self, **changes)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for name in self.__dataclass_fields__:
            guess: Guess[object] = getattr(self, name)
            value = list(guess.value) if isinstance(guess.value, tuple) else guess.value
            out[name] = {"value": value, "evidence": guess.evidence, "source": guess.source}
        return out


def _quote(text: str, start: int, end: int, pad: int = 30) -> str:
    """The match with a little context, on one line, for evidence."""
    left = ("…" if start > pad else "") + text[max(0, start - pad):start]
    right = text[end:end + pad] + ("…" if end + pad < len(text) else "")
    return "»" + normalize_ws(left + text[start:end] + right) + "«"


# --- title -------------------------------------------------------------------------------------------------

_JUNK_TITLE = re.compile(r"^(?:microsoft word\s*-|untitled|dokument\d*$|document\d*$|præsentation)|\.(?:docx?|pdf)$",
                         re.IGNORECASE)


COVER_BLOCKS = 12
"""The cover: at most this many blocks before the first long paragraph."""
_TITLE_CUE = re.compile(r"strategi|politik|pejlemærke|opfølgning|handleplan|handlingsplan|\bplan\b|aftale|"
                        r"status|rapport|redegørelse", re.IGNORECASE)
_LONE_TIME = re.compile(r"^(?:(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)?\d\d)?)$")


def cover_blocks(doc: ReadDocument) -> list[Block]:
    """The short blocks a document opens with (title page), up to its first long paragraph."""
    out: list[Block] = []
    for block in doc.content_blocks()[:COVER_BLOCKS]:
        if block.kind is BlockKind.PARAGRAPH and len(block.text) > 200:
            break
        if block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH):
            out.append(block)
    return out


def infer_title(doc: ReadDocument, file_name: str) -> Guess[str]:
    """The title property, else the cover line that names the kind of document (with a year on the next line),
    else the first level-1 heading, the first heading, the first short paragraph, the file name."""
    meta = normalize_ws(doc.meta.get("title", ""))
    if len(meta) >= 4 and not _JUNK_TITLE.search(meta):
        return Guess(meta, "the document's own title property", "meta")
    cover = cover_blocks(doc)
    for i, block in enumerate(cover):
        if len(block.text) <= 150 and _TITLE_CUE.search(block.text):
            title = block.text
            nxt = cover[i + 1].text if i + 1 < len(cover) else ""
            if _LONE_TIME.match(nxt) and not _YEAR.search(title):
                return Guess(f"{title} {nxt}", "cover line naming the kind of document, with the year below it",
                             "heading")
            return Guess(title, "cover line naming the kind of document", "heading")
    headings = [b for b in doc.blocks if b.kind is BlockKind.HEADING and b.text]
    for block in headings:
        if block.level == 1:
            return Guess(block.text, "first level-1 heading", "heading")
    if headings:
        return Guess(headings[0].text, f"first heading (level {headings[0].level})", "heading")
    for block in doc.content_blocks():
        if block.kind is BlockKind.PARAGRAPH and 3 <= len(block.text) <= 120:
            return Guess(block.text, "first short paragraph (the document has no headings)", "text")
    stem = PurePath(file_name).stem.replace("_", " ").replace("-", " ").strip()
    return Guess(stem or file_name, "file name (no title in the document)", "file-name")


# --- municipality ------------------------------------------------------------------------------------------

@cache
def _municipality_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    by_name = {m.base_name.casefold(): key for key, m in known_municipalities().items()}
    names = sorted((re.escape(m.base_name) for m in known_municipalities().values()), key=len, reverse=True)
    alternation = "|".join(names)
    # "Aarhus Kommune", "Københavns Kommune", "Bornholms Regionskommune", "Kommunen Aarhus" — never "Region …".
    pattern = re.compile(
        rf"(?<![\w-])(?:(?P<a>{alternation})s?\s+(?:regions)?kommunes?|kommunen\s+(?P<b>{alternation}))(?![\w-])",
        re.IGNORECASE)
    return pattern, by_name


def _heading_ranges(doc: ReadDocument) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in doc.blocks if b.kind is BlockKind.HEADING and b.segments]


def _in_ranges(pos: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in ranges)


@dataclass
class _Tally:
    """Mentions of one name: how often, whether prominently (title page, heading, properties), the first one."""

    count: int = 0
    prominent: bool = False
    cover_line: bool = False
    first: tuple[int, str] = (1 << 62, "")

    def add(self, offset: int, evidence: str, *, prominent: bool, cover_line: bool = False) -> None:
        self.count += 1
        self.prominent |= prominent
        self.cover_line |= cover_line
        if offset < self.first[0]:
            self.first = (offset, evidence)

    @property
    def score(self) -> int:
        # Every mention counts once; being named prominently counts once more, heavily, so that a document's
        # own name on its title page outweighs the names in a long list of other municipalities' policies.
        return self.count + HEAD_WEIGHT * self.prominent + 2 * HEAD_WEIGHT * self.cover_line


def _best(tallies: dict[str, _Tally]) -> str:
    return max(tallies, key=lambda k: (tallies[k].score, -tallies[k].first[0]))


def _excluded(parsed: ParsedDocument | None) -> list[tuple[int, int]]:
    """Text where a document names other documents (its list of related documents), never its own facts."""
    if parsed is None:
        return []
    return [seg for n in parsed.all_nodes() if n.kind is NodeKind.RELATED_DOCUMENT for seg in n.segments]


def infer_municipality(doc: ReadDocument, file_name: str, parsed: ParsedDocument | None = None) -> Guess[str]:
    """The municipality the document names most, a mention on the title page, in a heading or in the
    properties counting HEAD_WEIGHT more; lists of related documents are not read."""
    pattern, by_name = _municipality_pattern()
    tallies: dict[str, _Tally] = {}
    for name, value in doc.meta.items():
        for m in pattern.finditer(value):
            key = by_name[(m.group("a") or m.group("b")).casefold()]
            tallies.setdefault(key, _Tally()).add(-1, f"document property {name}: »{normalize_ws(value)}«",
                                                  prominent=True)
    headings = _heading_ranges(doc)
    excluded = _excluded(parsed)
    for m in pattern.finditer(doc.text):
        if _in_ranges(m.start(), excluded):
            continue
        key = by_name[(m.group("a") or m.group("b")).casefold()]
        tallies.setdefault(key, _Tally()).add(
            m.start(), _quote(doc.text, m.start(), m.end()),
            prominent=m.start() < HEAD_CHARS or _in_ranges(m.start(), headings))
    if tallies:
        best = _best(tallies)
        n, (offset, where) = tallies[best].count, tallies[best].first
        others = sorted((k for k in tallies if k != best), key=lambda k: -tallies[k].score)[:3]
        note = f"; also named: {', '.join(others)}" if others else ""
        return Guess(best, f"named {n} time{'s' if n != 1 else ''}, first {where}{note}",
                     "meta" if offset < 0 else "text")
    stem_parts = set(slugify(PurePath(file_name).stem).split("-"))
    for key in known_municipalities():
        if set(key.split("-")) <= stem_parts:
            return Guess(key, f"file name {file_name!r}", "file-name")
    return _none("the text names no Danish municipality (»X Kommune«)")


# --- year, period, date ------------------------------------------------------------------------------------

_PERIOD = re.compile(r"(?<![\d-])((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)(?![\d-])")
_ISO_DATE = re.compile(r"(?<![\d-])((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])")
_DANISH_DATE = re.compile(
    r"(?<!\d)(?:(?P<day>[0-3]?\d)\.?\s+)?(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\d.-])([0-3]?\d)[.-]([01]?\d)[.-]((?:19|20)\d\d)(?![\d-])")
_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])")


def _period(text: str) -> tuple[str, re.Match[str]] | None:
    for m in _PERIOD.finditer(text):
        start, end = int(m.group(1)), m.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if 0 < end_year - start <= 15:
            return f"{start}-{end_year}", m
    return None


def _dates(text: str) -> list[tuple[int, str, int, int]]:
    """(offset, ISO date or year-month, start, end) of every date the text states."""
    found: list[tuple[int, str, int, int]] = []
    for m in _ISO_DATE.finditer(text):
        found.append((m.start(), m.group(0), m.start(), m.end()))
    for m in _DANISH_DATE.finditer(text):
        month = MONTHS[m.group("month").lower()]
        iso = f"{m.group('year')}-{month:02d}"
        if m.group("day"):
            day = int(m.group("day"))
            if not 1 <= day <= 31:
                continue
            iso += f"-{day:02d}"
        found.append((m.start(), iso, m.start(), m.end()))
    for m in _NUMERIC_DATE.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append((m.start(), f"{m.group(3)}-{month:02d}-{day:02d}", m.start(), m.end()))
    return sorted(found)


DATELINE_CHARS = 60
"""Longest block read as a dateline ("Januar 2015", "Godkendt af Byrådet den 18. november 2025"): a date inside
a sentence ("Den 9. november 2020 blev der afholdt en workshop") dates an event, not the document."""


_PARTS = re.compile(r"[^·•|]+")
"""A cover line may hold several facts apart ("Silkeborg Kommune · Social- og Sundhedsudvalget · Status pr.
1. oktober 2025"); each part is read as a line of its own."""


def _datelines(doc: ReadDocument) -> list[tuple[int, str, int, int]]:
    """Dates stated on the title page in short lines of their own (the whole title page for a bare text)."""
    head = doc.text[:HEAD_CHARS]
    blocks = [b for b in doc.content_blocks() if b.start < HEAD_CHARS]
    if not blocks:
        return _dates(head)
    found: list[tuple[int, str, int, int]] = []
    for block in blocks:
        if block.kind not in (BlockKind.HEADING, BlockKind.PARAGRAPH) or len(block.text) > 3 * DATELINE_CHARS:
            continue
        for part in _PARTS.finditer(doc.text, block.start, block.end):
            if len(normalize_ws(part.group())) <= DATELINE_CHARS:
                for offset, iso, s, e in _dates(part.group()):
                    found.append((part.start() + offset, iso, part.start() + s, part.start() + e))
    return sorted(found)


def infer_time(doc: ReadDocument, title: str, parsed: ParsedDocument | None,
               kind: str | None = None) -> tuple[Guess[int], Guess[str], Guess[str]]:
    """(year, period, date). The year is the first year of the title's period, else the title's year, else the
    first year of a period on the title page (before its dateline), else the dateline's year, else the
    properties. A follow-up report takes its dateline's year first: the years in its title and on its title
    page are mostly those of the document it follows up."""
    head = doc.text[:HEAD_CHARS]
    period: Guess[str] = _none("no period such as »2024-2030« in the title or on the title page")
    date: Guess[str] = _none("no dateline on the title page")
    dates = _datelines(doc)
    stated = parsed.attrs.get("date") if parsed else None
    first_date = HEAD_CHARS
    if dates:
        first_date, iso, s, e = dates[0]
        date = Guess(iso, _quote(head, s, e), "text")
    elif stated:
        date = Guess(stated, "date the structure reader found in the text", "text")
    report = kind == "follow-up-report"
    found = _period(title)
    if found:
        period = Guess(found[0], f"title »{title}«", "title")
    elif not report:
        found = _period(head)
        # A period after the dateline is more likely another document's (a text naming the policy it follows).
        if found and found[1].start() < first_date:
            period = Guess(found[0], _quote(head, found[1].start(), found[1].end()), "text")
    in_title = _YEAR.search(title)
    candidates: list[Guess[int]] = []
    if report and date.value:
        candidates.append(Guess(int(date.value[:4]), f"the report's dateline ({date.evidence})", date.source))
    if period.value and period.source == "title":
        candidates.append(Guess(int(period.value[:4]), f"first year of the period ({period.evidence})", "title"))
    if in_title:
        candidates.append(Guess(int(in_title.group(1)), f"title »{title}«", "title"))
    if period.value and period.source != "title":
        candidates.append(Guess(int(period.value[:4]), f"first year of the period ({period.evidence})", "text"))
    if date.value:
        candidates.append(Guess(int(date.value[:4]), f"stated date ({date.evidence})", date.source))
    created = _YEAR.search(doc.meta.get("created", ""))
    if created and created.group(1) != "2000":  # reportlab's invariant mode and some tools write 2000-01-01
        candidates.append(Guess(int(created.group(1)), f"document property created: {doc.meta['created']}", "meta"))
    years = [int(y) for y in _YEAR.findall(head)]
    if years:
        best = max(set(years), key=lambda y: (years.count(y), y))
        candidates.append(Guess(best, f"the year named most often on the title page ({years.count(best)}×)", "text"))
    year = candidates[0] if candidates else _none("no year in the title, on the title page or in the properties")
    return year, period, date


# --- committee ---------------------------------------------------------------------------------------------

_WORD = r"[A-ZÆØÅ][\wæøåÆØÅ-]*"
_MONTH_NAMES = "|".join(m.capitalize() for m in MONTHS)
_COMMITTEE = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<udvalg>[A-ZÆØÅ][a-zæøå]*(?:-,?\s+(?:og\s+)?[A-Za-zæøåÆØÅ][a-zæøå]*)*udvalget)"
    rf"|(?P<named>(?:Udvalget|Center|Centret|Afdelingen|Forvaltningen)\s+for\s+{_WORD}"
    rf"(?:(?:,[ ]*|[ ]+(?:og|med|for|til|af|om)[ ]+|[ ]+)(?!(?:{_MONTH_NAMES})\b){_WORD})*)"
    r")(?![\w-])")


def infer_committee(doc: ReadDocument, parsed: ParsedDocument | None = None) -> Guess[str]:
    """The committee or centre named most; a line of its own on the cover weighs most, then a mention on the
    title page or in a heading. Table cells (who answers for one action) and related documents are not read."""
    headings = _heading_ranges(doc)
    cover = {(b.start, b.end) for b in cover_blocks(doc)}
    excluded = [*_excluded(parsed),
                *((b.start, b.end) for b in doc.blocks if b.kind is BlockKind.TABLE_CELL and b.segments)]
    tallies: dict[str, _Tally] = {}
    for m in _COMMITTEE.finditer(doc.text):
        name = normalize_ws(m.group(0))
        if name.lower() in ("udvalget", "fagudvalget", "fagudvalgene") or _in_ranges(m.start(), excluded):
            continue
        tallies.setdefault(name, _Tally()).add(
            m.start(), _quote(doc.text, m.start(), m.end()),
            prominent=m.start() < HEAD_CHARS or _in_ranges(m.start(), headings),
            cover_line=(m.start(), m.end()) in cover)
    for prop in ("author", "company", "publisher"):
        value = normalize_ws(doc.meta.get(prop, ""))
        if value and _COMMITTEE.fullmatch(value):
            tallies.setdefault(value, _Tally()).add(-1, f"document property {prop}", prominent=True)
    if not tallies:
        return _none("no committee or centre (»…udvalget«, »Udvalget for …«, »Center for …«) named")
    best = _best(tallies)
    offset, where = tallies[best].first
    line = "; a line of its own on the cover" if tallies[best].cover_line else ""
    return Guess(best, f"{where}{line}", "meta" if offset < 0 else "text")


# --- kind --------------------------------------------------------------------------------------------------

_KIND_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("follow-up-report", re.compile(r"opfølgning|statusrapport|status\s+på|afrapportering|midtvejsstatus",
                                    re.IGNORECASE)),
    ("political-bearings", re.compile(r"pejlemærke", re.IGNORECASE)),
    ("strategy-proposal", re.compile(r"(?:forslag|udkast)\s+til\b.*strategi|strategiforslag|strategiudkast",
                                     re.IGNORECASE)),
    ("policy", re.compile(r"politik(?:ken)?\b", re.IGNORECASE)),
    ("strategy", re.compile(r"strategi", re.IGNORECASE)),
)
assert {k for k, _ in _KIND_CUES} <= set(DOCUMENT_KINDS)


def infer_kind(title: str, doc: ReadDocument) -> Guess[str]:
    for kind, cue in _KIND_CUES:
        m = cue.search(title)
        if m:
            return Guess(kind, f"title »{title}« says »{m.group(0)}«", "title")
    headings = " · ".join(b.text for b in doc.blocks[:40] if b.kind is BlockKind.HEADING)
    for kind, cue in _KIND_CUES:
        m = cue.search(headings)
        if m:
            return Guess(kind, f"a heading on the first pages says »{m.group(0)}«", "heading")
    return Guess("strategy", "default: neither title nor headings name another kind", "none")


# --- follows_up --------------------------------------------------------------------------------------------

def _core_title(title: str) -> str:
    """A title without its years and periods, the words a later report uses to name it."""
    core = _PERIOD.sub(" ", title)
    core = _YEAR.sub(" ", core)
    return normalize_ws(re.sub(r"\s[-–—:]\s*$", "", normalize_ws(core))).strip(" -–—:,")


def infer_follows_up(doc: ReadDocument, kind: str | None, municipality: str | None,
                     known: Iterable[DocumentEntry]) -> Guess[tuple[str, ...]]:
    """Earlier documents of the manifest the text names by title and year (follow-up reports only)."""
    if kind != "follow-up-report":
        return Guess((), "only a follow-up report follows up on a document", "none")
    text = doc.text
    folded = text.casefold()
    found: list[str] = []
    evidence: list[str] = []
    for entry in known:
        if municipality and entry.municipality != municipality:
            continue
        core = _core_title(entry.title).casefold()
        if len(core) < 8:
            continue
        for m in re.finditer(re.escape(core).replace(r"\ ", r"\s+"), folded):
            window = text[max(0, m.start() - 60):m.end() + 60]
            if str(entry.year) in window or (entry.period and entry.period in window):
                found.append(entry.id)
                evidence.append(f"{entry.id}: {_quote(text, m.start(), m.end())}")
                break
    if not found:
        return Guess((), "names no document of the manifest by title and year", "none")
    return Guess(tuple(found), "; ".join(evidence), "text")


# --- all together ------------------------------------------------------------------------------------------

def infer_metadata(doc: ReadDocument, parsed: ParsedDocument | None, *, file_name: str,
                   known: Sequence[DocumentEntry] = ()) -> InferredMetadata:
    """Every manifest field the document states about itself, with evidence; ``known`` are the manifest's
    documents (for ``follows_up``)."""
    title = infer_title(doc, file_name)
    municipality = infer_municipality(doc, file_name, parsed)
    kind = infer_kind(title.value or "", doc)
    year, period, date = infer_time(doc, title.value or "", parsed, kind.value)
    return InferredMetadata(
        title=title, municipality=municipality, year=year, period=period, date=date,
        committee=infer_committee(doc, parsed), kind=kind,
        follows_up=infer_follows_up(doc, kind.value, municipality.value, known),
    )

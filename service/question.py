"""Questions as people type them: what they ask for (node types, municipality, years, document, topic) and the
words to retrieve, from a question in Danish or English.

Pure functions over one generation; no word is written here. The question words are data
(``question_words.toml``, its format documented at its top), the type words are the labels of the ontology's
node classes (``rdfs:label``, ``skos:altLabel``, ``skos:hiddenLabel`` in ontology/strategigraf.ttl), the
municipalities are the 98 of ``ingest/data/kommuner.csv`` (plus any the build names), the documents and years
those of the generation, the topics the SKOS labels of ontology/topics.ttl.

"Hvilke principper dækker netværk?" → types [Principle], terms "netværk". A question the interpreter does not
understand is searched as typed (``terms`` = the query), never refused; a query of keywords only ("netværk")
is left as it is. Explicit search parameters always win over what the question says
(:func:`search_params`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph
from rdflib.namespace import RDFS, SKOS

from ingest.analyse.topic_tagging import CueMatcher, analyse_text
from ingest.language.words import JOINED_WORD, normalise
from ingest.manifest import known_municipalities, municipality_base_name
from ontology import ONTOLOGY_FILE, SG_NS, resource_path
from ontology.node_types import NODE_TYPES, danish_name, danish_plural
from service.generation import LRU, Generation
from service.schemas import Interpretation
from service.search import SearchParams
from service.topics import cue_matcher

WORDS_FILE = Path(__file__).with_name("question_words.toml")
TOPIC_ROLE = "report"
"""What a topic recognised in the question does: "report" (named in ``interpreted.topic`` only) or "filter"
(also restricts the search to nodes tagged with it). ``strategigraf eval`` reports both. As a filter it drops
the answers whose tags miss the topic: dev_questions.json falls from 10/10 to 7/10 answered and
dev_queries.json loses fragment recall (1.000 → 0.933) and nDCG@10 (by about 0.05), while own_queries.json
moves by about ±0.01. A boost would be a ranking change (service/search.py), so the topic is reported only."""

_YEAR = re.compile(r"^\d{4}$")
_PERIOD = re.compile(r"^(\d{4})[-–](\d{2}|\d{4})$")
MIN_YEAR, MAX_YEAR = 1900, 2200
"""Years the search accepts (the bounds of ``year_from`` / ``year_to``)."""
_EDGE = " \t\r\n,.;:!?»«\"'“”‘’()[]"


def fold(text: str) -> str:
    """The form words are compared in (:func:`ingest.language.words.normalise`: NFC, lower case)."""
    return normalise(text)


class Token(NamedTuple):
    """A word of a question: as written, as compared (:func:`fold`), and where it is (a tuple: made for every
    word of every question, it costs half what a frozen dataclass does to build)."""

    text: str
    low: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` with their spans; hyphenated words, ids ("slagelse-2024-2030"), periods
    ("2014-2019") and genitives ("Aarhus'", "Slagelse's") stay one word."""
    return [Token(m.group(), fold(m.group()), m.start(), m.end()) for m in JOINED_WORD.finditer(text)]


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(t.low for t in tokenize(phrase))


# --------------------------------------------------------------------------------------------- vocabulary
@dataclass(frozen=True)
class PhraseTable:
    """Phrases (word tuples) and their roles, looked up by first word, longest first."""

    by_first: dict[str, list[tuple[tuple[str, ...], str]]]

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str]]) -> PhraseTable:
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, role in entries:
            words = _words(phrase)
            if words and (words, role) not in by_first.get(words[0], []):
                by_first.setdefault(words[0], []).append((words, role))
        for options in by_first.values():
            options.sort(key=lambda o: -len(o[0]))
        return cls(by_first)

    def match(self, tokens: Sequence[Token], i: int) -> tuple[int, str] | None:
        """(length, role) of the longest phrase at ``tokens[i]``, None if none starts there."""
        for words, role in self.by_first.get(tokens[i].low, ()):
            n = len(words)
            if i + n <= len(tokens) and all(tokens[i + k].low == words[k] for k in range(n)):
                return n, role
        return None

    def ends_at(self, tokens: Sequence[Token], end: int) -> int:
        """Length of the longest phrase ending right before ``tokens[end]`` (0 if none)."""
        best = 0
        for start in range(max(0, end - 4), end):
            hit = self.match(tokens, start)
            if hit is not None and start + hit[0] == end:
                best = max(best, hit[0])
        return best


@dataclass(frozen=True)
class Vocabulary:
    """The words the interpreter knows, from the data files (built once per process)."""

    frame: PhraseTable
    """openers, links, fillers, conjunctions and type words (role ``type:<Class>``)"""
    before_place: PhraseTable
    place_suffix: frozenset[str]
    years: PhraseTable
    """words before a year: roles in_year, since, after, until, before"""
    onwards: PhraseTable
    between: dict[tuple[str, ...], tuple[str, ...]]
    municipalities: dict[str, str]
    """word form (base name, genitive, slug key) → municipality key"""
    municipality_names: dict[str, str]
    notes: dict[str, str]
    first_words: frozenset[str]
    """every word that can start something the interpreter recognises (the fast path's screen)"""


def type_words() -> dict[str, set[str]]:
    """Node type → the words naming it (rdfs:label, skos:altLabel, skos:hiddenLabel in Danish and English: the
    label, other names and inflections), for every node class of the ontology."""
    wanted = {SG_NS + t: t for t in NODE_TYPES}
    props = {str(RDFS.label), str(SKOS.altLabel), str(SKOS.hiddenLabel)}
    out: dict[str, set[str]] = {t: set() for t in NODE_TYPES}
    for triple in pyoxigraph.parse(path=str(resource_path(ONTOLOGY_FILE)), format=pyoxigraph.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if (isinstance(s, pyoxigraph.NamedNode) and s.value in wanted and p in props
                and isinstance(o, pyoxigraph.Literal) and o.language in ("da", "en")):
            out[wanted[s.value]].add(fold(o.value))
    return out


@cache
def vocabulary() -> Vocabulary:
    """The question words, type words and municipality names, read once per process."""
    data = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    words, filters = data["words"], data["filters"]
    by_word: dict[str, set[str]] = {}
    for cls, forms in type_words().items():
        for form in forms:
            by_word.setdefault(form, set()).add(cls)
    # a word naming two classes names neither
    types = [(form, f"type:{next(iter(classes))}") for form, classes in by_word.items() if len(classes) == 1]
    frame_entries = [*types, *((w, "opener") for w in words["openers"]), *((w, "link") for w in words["links"]),
                     *((w, "filler") for w in words["fillers"]), *((w, "conj") for w in words["conjunctions"])]
    munis: dict[str, str] = {}
    names: dict[str, str] = {}
    for key, m in known_municipalities().items():
        names[key] = m.name
        for form in _municipality_forms(key, m.name):
            munis.setdefault(form, key)
    frame = PhraseTable.build(frame_entries)
    years = PhraseTable.build([(w, role) for role in ("in_year", "since", "after", "until", "before")
                               for w in filters[role]])
    between = {_words(a): _words(b) for a, b in filters["between"]}
    before_place = PhraseTable.build((w, "place") for w in filters["before_place"])
    onwards = PhraseTable.build((w, "onwards") for w in filters["onwards"])
    first = set(frame.by_first) | set(munis) | set(years.by_first) | {w[0] for w in between}
    return Vocabulary(
        frame=frame, before_place=before_place, place_suffix=frozenset(fold(w) for w in filters["place_suffix"]),
        years=years, onwards=onwards, between=between, municipalities=munis, municipality_names=names,
        notes=dict(data["notes"]),
        first_words=frozenset(first))


def _municipality_forms(key: str, name: str) -> set[str]:
    """How a question may name a municipality: "Faxe", "Faxes", "Aarhus'", "Slagelse's", "Københavns", the key."""
    base = fold(municipality_base_name(name))
    own = fold(re.sub(r"\s+(?:Regions)?[Kk]ommune$", "", name.strip()))  # "københavns" as the list writes it
    forms = {base, base + "s", base + "'", base + "’", base + "'s", base + "’s", own, key}
    return {f for f in forms if f}


@dataclass(frozen=True)
class GenerationWords:
    """What the interpreter looks up in one generation: its documents and municipalities."""

    doc_ids: dict[str, str]
    titles: PhraseTable
    """document titles of two words or more (role: the document id)"""
    municipalities: dict[str, str]
    """key → name, for the municipalities with documents in the generation"""
    extra_forms: dict[str, str]
    """word forms of municipalities the build names that kommuner.csv does not"""
    doc_years: tuple[tuple[str, int], ...]
    """(municipality key, year) per document"""

    @classmethod
    def of(cls, gen: Generation) -> GenerationWords:
        titles = PhraseTable.build((doc.title, doc.id) for doc in gen.documents.values()
                                   if len(_words(doc.title)) >= 2)
        munis = {d.municipality: d.municipality_name for d in gen.doc_list}
        known = vocabulary().municipalities
        extra = {form: key for key, name in munis.items() for form in _municipality_forms(key, name)
                 if form not in known}
        return cls(doc_ids={fold(d): d for d in gen.documents}, titles=titles, municipalities=munis,
                   extra_forms=extra, doc_years=tuple((d.municipality, d.year) for d in gen.doc_list))


_GENERATION_WORDS = LRU(8)
"""(build id, generation object id) → GenerationWords: derived once per loaded generation, read-only."""


def generation_words(gen: Generation) -> GenerationWords:
    key = (gen.build_id, id(gen))
    words = _GENERATION_WORDS.get(key)
    if words is None:
        words = GenerationWords.of(gen)
        _GENERATION_WORDS.put(key, words)
    return words


@cache
def _topic_cues() -> tuple[CueMatcher, dict[str, frozenset[str]]]:
    """The topic scheme's cue matcher, and per stem the topics with a cue that opens with it (so that a
    question is matched only against the cues it can match)."""
    matcher = cue_matcher()
    by_stem: dict[str, set[str]] = {}
    for topic, cues in matcher.cues.items():
        for _cue, stems in cues:
            by_stem.setdefault(stems[0], set()).add(topic)
    return matcher, {s: frozenset(t) for s, t in by_stem.items()}


# --------------------------------------------------------------------------------------------- reading
@dataclass
class _Reading:
    """What one pass over a question found; turned into an Interpretation by :func:`interpret`."""

    tokens: list[Token]
    strip: set[int] = field(default_factory=set)
    filter_tokens: set[int] = field(default_factory=set)
    documents: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    years: list[tuple[int | None, int | None]] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    type_tokens: list[int] = field(default_factory=list)

    def mark(self, start: int, end: int) -> None:
        self.filter_tokens.update(range(start, end))

    def free(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and i not in self.filter_tokens


def _place_word_before(r: _Reading, vocab: Vocabulary, i: int) -> None:
    """Mark "i", "fra", "in" … right before a recognised place (municipality or document)."""
    n = vocab.before_place.ends_at(r.tokens, i)
    if n and all(r.free(j) for j in range(i - n, i)):
        r.mark(i - n, i)


def _find_documents(r: _Reading, gw: GenerationWords, vocab: Vocabulary) -> None:
    toks = r.tokens
    i = 0
    while i < len(toks):
        if toks[i].low in gw.doc_ids:
            r.documents.append(gw.doc_ids[toks[i].low])
            r.mark(i, i + 1)
            _place_word_before(r, vocab, i)
            i += 1
            continue
        hit = gw.titles.match(toks, i)
        if hit is not None:
            n, doc_id = hit
            r.documents.append(doc_id)
            r.mark(i, i + n)
            _place_word_before(r, vocab, i)
            i += n - 1
        i += 1


def _year(token: Token) -> int | None:
    if _YEAR.match(token.low):
        y = int(token.low)
        if MIN_YEAR <= y <= MAX_YEAR:
            return y
    return None


def _between(r: _Reading, vocab: Vocabulary, i: int, y: int) -> int | None:
    """When the year at ``tokens[i]`` opens a period ("mellem 2014 og 2019", "from 2014 to 2019"): record it,
    mark its words and return the position after it."""
    toks = r.tokens
    for first, second in vocab.between.items():
        a, b = len(first), len(second)
        j = i + 1 + b
        if i - a < 0 or j >= len(toks) or not all(r.free(x) for x in range(i - a, j + 1)):
            continue
        y2 = _year(toks[j])
        if (y2 is not None and tuple(t.low for t in toks[i - a:i]) == first
                and tuple(t.low for t in toks[i + 1:j]) == second):
            r.years.append((min(y, y2), max(y, y2)))
            r.mark(i - a, j + 1)
            return j + 1
    return None


def _find_years(r: _Reading, vocab: Vocabulary) -> None:
    toks = r.tokens
    i = 0
    while i < len(toks):
        if not r.free(i):
            i += 1
            continue
        period = _PERIOD.match(toks[i].low)
        if period:
            y1, tail = int(period.group(1)), period.group(2)
            y2 = int(tail) if len(tail) == 4 else y1 // 100 * 100 + int(tail)
            if MIN_YEAR <= y1 <= y2 <= MAX_YEAR:
                r.years.append((y1, y2))
                r.mark(i, i + 1)
                n = vocab.years.ends_at(toks, i)
                if n and all(r.free(j) for j in range(i - n, i)):
                    r.mark(i - n, i)
            i += 1
            continue
        y = _year(toks[i])
        if y is None:
            i += 1
            continue
        period_end = _between(r, vocab, i, y)
        if period_end is not None:
            i = period_end
            continue
        n = vocab.years.ends_at(toks, i)
        hit = vocab.years.match(toks, i - n) if n and all(r.free(j) for j in range(i - n, i)) else None
        role, start = (hit[1], i - n) if hit else ("in_year", i)
        onwards = vocab.onwards.match(toks, i + 1) if i + 1 < len(toks) else None
        end = i + 1 + (onwards[0] if onwards else 0)
        if onwards and role == "in_year":
            role = "since"
        y_from, y_to = {"in_year": (y, y), "since": (y, None), "after": (y + 1, None), "until": (None, y),
                        "before": (None, y - 1)}[role]
        r.years.append((y_from, y_to))
        r.mark(start, end)
        i = end


def _find_municipalities(r: _Reading, gw: GenerationWords, vocab: Vocabulary) -> None:
    toks = r.tokens
    for i, tok in enumerate(toks):
        if not r.free(i):
            continue
        key = vocab.municipalities.get(tok.low) or gw.extra_forms.get(tok.low)
        if key is None:
            continue
        suffix = i + 1 < len(toks) and toks[i + 1].low in vocab.place_suffix
        loaded = key in gw.municipalities
        # A name the build has documents for counts however it is typed; any other municipality when it is
        # followed by "Kommune" or capitalised inside the sentence (so "Vejen til egen bolig" keeps its words).
        if not (suffix or loaded or (tok.text[:1].isupper() and i > 0)):
            continue
        r.municipalities.append(key)
        r.mark(i, i + 2 if suffix else i + 1)
        _place_word_before(r, vocab, i)


def _read_frame(r: _Reading, vocab: Vocabulary) -> None:
    """The opening run of question words; when it makes the query a question, its words are stripped and its
    type words become the types asked for."""
    toks = r.tokens
    i, question = 0, False
    frame: list[int] = []
    types: list[tuple[int, str]] = []
    while i < len(toks):
        if not r.free(i):
            i += 1
            continue
        hit = vocab.frame.match(toks, i)
        if hit is None:
            break
        n, role = hit
        frame.extend(range(i, i + n))
        i += n
        if role.startswith("type:"):
            types.extend((j, role[5:]) for j in range(i - n, i))
        elif role in ("opener", "link"):
            question = True
        if role == "link":
            break
    if not question:
        return
    r.strip.update(frame)
    for j, cls in types:
        r.type_tokens.append(j)
        if cls not in r.types:
            r.types.append(cls)


def _terms(q: str, tokens: Sequence[Token], strip: set[int]) -> str:
    """``q`` without the stripped words, tidied; ``q`` itself when nothing is stripped."""
    if not strip:
        return q
    parts, pos = [], 0
    for i in sorted(strip):
        parts.append(q[pos:tokens[i].start])
        pos = tokens[i].end
    parts.append(q[pos:])
    text = " ".join(" ".join(parts).split())
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text.strip(_EDGE)


def _topic(terms: str) -> str | None:
    """The one topic whose labels the words name best (None when none or several tie)."""
    matcher, by_stem = _topic_cues()
    words = analyse_text(terms, skip_names=False)
    present = set(words.sequence)
    candidates = {t for st in present for t in by_stem.get(st, ())}
    if not candidates:
        return None
    # Without a compound splitter a cue matches only by its words, so only the cues opening with a word of the
    # question can match: the others are left out of the matching.
    found = CueMatcher({t: [c for c in matcher.cues[t] if c[1][0] in present] for t in candidates}).match(words)
    if not found:
        return None
    best = max(score for score, _ in found.values())
    top = [t for t, (score, _) in found.items() if score == best]
    return top[0] if len(top) == 1 else None


def interpret(gen: Generation, q: str) -> Interpretation:
    """What the question ``q`` asks for, against the documents of ``gen``. Never raises for a question it does
    not understand: it then returns only ``terms`` = ``q``."""
    vocab = vocabulary()
    gw = generation_words(gen)
    tokens = tokenize(q)
    screen = vocab.first_words
    if not any(t.low in screen or t.low in gw.doc_ids or t.low in gw.titles.by_first or t.low in gw.extra_forms
               or t.low[:1].isdigit() for t in tokens):
        # the fast path: no word can start anything the interpreter recognises
        return Interpretation(terms=q, topic=_topic_or_none(gen, q))
    r = _Reading(tokens)
    _find_documents(r, gw, vocab)
    _find_years(r, vocab)
    _find_municipalities(r, gw, vocab)
    _read_frame(r, vocab)
    notes: list[str] = []
    strip = set(r.strip)

    documents = list(dict.fromkeys(r.documents))
    document = documents[0] if len(documents) == 1 else None
    if len(documents) > 1:
        notes.append(vocab.notes["several_documents"].format(
            name=", ".join(gen.documents[d].title for d in documents)))

    munis = list(dict.fromkeys(r.municipalities))
    municipality = None
    if len(munis) == 1:
        key = munis[0]
        if key in gw.municipalities:
            municipality = key
        else:
            notes.append(vocab.notes["municipality_without_documents"].format(
                name=vocab.municipality_names.get(key, key)))
    elif len(munis) > 1:
        notes.append(vocab.notes["several_municipalities"].format(
            name=", ".join(_municipality_name(vocab, gw, k) for k in munis)))

    year_from = year_to = None
    spans = list(dict.fromkeys(r.years))
    if len(spans) == 1:
        y_from, y_to = spans[0]
        if any((municipality is None or m == municipality) and (y_from is None or y >= y_from)
               and (y_to is None or y <= y_to) for m, y in gw.doc_years):
            year_from, year_to = y_from, y_to
        else:
            notes.append(vocab.notes["years_without_documents"].format(years=years_phrase(y_from, y_to)))
    year_tokens_kept = len(spans) > 1  # several years or periods: searched as words
    for i in r.filter_tokens:
        if not (year_tokens_kept and (_year(tokens[i]) is not None or _PERIOD.match(tokens[i].low))):
            strip.add(i)

    terms = _terms(q, tokens, strip)
    if not terms:
        # nothing left to search for but what was asked for ("Hvad er Faxes vision?"): search its type words
        terms = " ".join(tokens[i].text for i in r.type_tokens) or q
    return Interpretation(types=r.types, municipality=municipality, document=document, year_from=year_from,
                          year_to=year_to, topic=_topic_or_none(gen, terms), terms=terms, notes=notes)


def _topic_or_none(gen: Generation, terms: str) -> str | None:
    topic = _topic(terms)
    if topic is None or not any(t.get("id") == topic for t in gen.analysis.get("topics", ())):
        return None
    return topic


def _municipality_name(vocab: Vocabulary, gw: GenerationWords, key: str) -> str:
    return gw.municipalities.get(key) or vocab.municipality_names.get(key, key)


# --------------------------------------------------------------------------------------------- applying
def search_params(gen: Generation, request: SearchParams, literal: bool = False,
                  topic_role: str = TOPIC_ROLE) -> tuple[SearchParams, Interpretation | None]:
    """The search to run for a request whose ``q`` may be a question, and what was understood (None when
    searched literally).

    Explicit parameters of ``request`` win over the question: a given type, municipality, document or topic
    replaces the one the question names, and a given year bound replaces the question's years. The
    interpretation returned states what the search used. ``topic_role`` "filter" makes a recognised topic a
    filter (for measuring the alternative, see :data:`TOPIC_ROLE`)."""
    q = request.q
    if literal or not q.strip() or len(q) > request.max_query_chars:
        return request, None
    it = interpret(gen, q)
    explicit_years = request.year_from is not None or request.year_to is not None
    if not (request.types or explicit_years or request.municipality is not None or request.document is not None
            or request.topic is not None):  # nothing explicit: the search is what the question says
        topic_filter = it.topic if topic_role == "filter" else None
        return replace(request, q=it.terms, types=tuple(it.types), municipality=it.municipality,
                       document=it.document, year_from=it.year_from, year_to=it.year_to, topic=topic_filter), it
    used = it.model_copy(update={
        "types": list(request.types) if request.types else it.types,
        "municipality": request.municipality if request.municipality is not None else it.municipality,
        "document": request.document if request.document is not None else it.document,
        "year_from": request.year_from if explicit_years else it.year_from,
        "year_to": request.year_to if explicit_years else it.year_to,
        "topic": request.topic if request.topic is not None else it.topic,
    })
    topic_filter = request.topic if request.topic is not None else (it.topic if topic_role == "filter" else None)
    params = replace(request, q=used.terms, types=tuple(used.types), municipality=used.municipality,
                     document=used.document, year_from=used.year_from, year_to=used.year_to, topic=topic_filter)
    return params, used


# --------------------------------------------------------------------------------------------- wording
def type_name(cls: str, count: int = 2) -> str:
    """The Danish name of a node type, singular for one and plural otherwise ("1 princip", "2 principper")."""
    return danish_name(cls) if count == 1 else danish_plural(cls)


def years_phrase(year_from: int | None, year_to: int | None) -> str:
    """ "fra 2019", "fra 2014–2019", "fra 2014 og frem", "til og med 2019" (Danish)."""
    if year_from is not None and year_to is not None:
        return f"fra {year_from}" if year_from == year_to else f"fra {year_from}–{year_to}"
    if year_from is not None:
        return f"fra {year_from} og frem"
    if year_to is not None:
        return f"til og med {year_to}"
    return ""


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def understood(interp: Interpretation | None, q: str) -> bool:
    """Whether the interpretation changes the search of ``q`` from the words as typed (something worth telling)."""
    return interp is not None and bool(
        interp.terms != q or interp.types or interp.municipality or interp.document or interp.year_from is not None
        or interp.year_to is not None or interp.notes)


def _only_type_words(text: str) -> bool:
    """Whether ``text`` is nothing but type words (what is searched when a question names no subject)."""
    tokens, frame = tokenize(text), vocabulary().frame
    i = 0
    while i < len(tokens):
        hit = frame.match(tokens, i)
        if hit is None or not hit[1].startswith("type:"):
            return False
        i += hit[0]
    return bool(tokens)


def describe(interp: Interpretation, gen: Generation, count: int | None = None) -> str:
    """What the search shows, in plain Danish: "Viser principper om »netværk« i Faxe Kommune", or with a count
    "3 principper om »netværk« i Faxe Kommune"."""
    if len(interp.types) == 1:
        noun = type_name(interp.types[0], 2 if count is None else count)
    elif interp.types:
        noun = _join([type_name(t) for t in interp.types])
    else:
        noun = "resultat" if count == 1 else "resultater"
    head = f"Viser {noun}" if count is None else f"{count} {noun}"
    parts = [head if _only_type_words(interp.terms) else f"{head} om »{interp.terms}«"]
    if interp.municipality:
        parts.append("i " + _municipality_name(vocabulary(), generation_words(gen), interp.municipality))
    if interp.document and interp.document in gen.documents:
        parts.append(f"i »{gen.documents[interp.document].title}«")
    if interp.year_from is not None or interp.year_to is not None:
        parts.append(years_phrase(interp.year_from, interp.year_to))
    return " ".join(parts)


def topic_label(gen: Generation, topic: str | None) -> str | None:
    """The Danish label of a topic id, when the build has it."""
    for t in gen.analysis.get("topics", ()):
        if t.get("id") == topic:
            return str(t.get("label"))
    return None

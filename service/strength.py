"""How strong a match is, in words staff can read: »stærk«, »middel« or »svag«, with the reason.

No score is shown bare. Each kind of score is put on the three steps by the build's own calibration or the
distribution of the scores it is one of, never by a number fitted to one document:

* a **search result** by the query's words it holds (its text and its matching content, as highlighted): all of
  them is strong, some is medium (the missing ones named); a result holding none of them matched on meaning and
  is medium when the search as a whole matched well (``SearchResponse.match``, calibrated on the score
  distribution) and the result scores at least the median of the response, else weak;
* an **overlap** by the overlap detection's own level (``strong`` at its calibrated threshold) and, below it,
  by the median score of the build's other overlaps of the same kind (alignment or container);
* a **topic tag** by how it was found: the topic's own words in the text is strong; similar meaning is
  medium at or above the median confidence of the build's tags found that way, weak below it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ingest.index.lexical import MIN_PART, STOPWORDS
from ingest.language.words import normalise, stem, words
from service.schemas import SearchResponse, SearchResult

if TYPE_CHECKING:
    from service.generation import Generation

_Scale = TypeVar("_Scale")

Level = Literal["strong", "medium", "weak"]
LEVEL_WORDS: dict[Level, str] = {"strong": "stærk", "medium": "middel", "weak": "svag"}
MAX_WORDS_NAMED = 3


@dataclass(frozen=True)
class Strength:
    level: Level
    reason: str

    @property
    def word(self) -> str:
        """ "stærk", "middel" or "svag"."""
        return LEVEL_WORDS[self.level]

    @property
    def text(self) -> str:
        """ "stærk: ordet »netværk« står i teksten"."""
        return f"{self.word}: {self.reason}"


def quoted(words: Sequence[str]) -> str:
    """ "»a«", "»a« og »b«", "»a«, »b« og »c«"."""
    marked = [f"»{w}«" for w in words]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " og " + marked[-1]


def _words_phrase(words: Sequence[str]) -> str:
    shown = list(words[:MAX_WORDS_NAMED])
    noun = "ordet" if len(shown) == 1 else "ordene"
    return f"{noun} {quoted(shown)}"


# --------------------------------------------------------------------------- search results
def _highlighted(text: str, spans: Iterable[Sequence[int]]) -> list[str]:
    return [text[int(s[0]):int(s[1])] for s in spans]


def found_words(result: SearchResult) -> list[str]:
    """The query's words a result holds, as they stand in its text and matching content (highlighted), each
    once (case folded), in order of appearance."""
    seen: dict[str, str] = {}
    pieces = [_highlighted(result.text, result.highlights)]
    pieces += [_highlighted(e.text, e.highlights) for e in result.evidence]
    for piece in pieces:
        for word in piece:
            seen.setdefault(normalise(word), word)
    return list(seen.values())


def missing_words(query: str, found: Sequence[str]) -> list[str]:
    """The query's words (stopwords left out) that the ``found`` words do not hold, in query order. A word is held
    by the same Danish stem, or as a compound part (a found word containing the query word or its stem, of at
    least MIN_PART letters)."""
    terms = list(dict.fromkeys(w for w in words(query) if len(w) > 1 and w not in STOPWORDS))
    forms = [normalise(w) for w in found]
    stems = {stem(f) for f in forms}

    def held(term: str) -> bool:
        parts = [x for x in (term, stem(term)) if len(x) >= MIN_PART]
        return stem(term) in stems or any(x in f for x in parts for f in forms)

    return [t for t in terms if not held(t)]


def search_strengths(response: SearchResponse) -> list[Strength]:
    """The strength of each result of ``response``, in its order."""
    terms = response.interpreted.terms if response.interpreted is not None else response.query
    scores = [r.score for r in response.results]
    median = statistics.median(scores) if scores else 0.0
    out: list[Strength] = []
    for result in response.results:
        found = found_words(result)
        missing = missing_words(terms, found)
        if response.match == "none":
            out.append(Strength("weak", "ligner kun løst søgningen"))
        elif found and not missing:
            out.append(Strength("strong", f"{_words_phrase(found)} står i teksten"))
        elif found:
            out.append(Strength("medium", f"{_words_phrase(found)} står i teksten, ikke "
                                          f"{quoted(missing[:MAX_WORDS_NAMED])}"))
        elif response.match == "good" and result.score >= median:
            out.append(Strength("medium", "samme emne, andre ord"))
        else:
            out.append(Strength("weak", "beslægtet i betydning, andre ord"))
    return out


# --------------------------------------------------------------------------- overlaps
@dataclass(frozen=True)
class OverlapScale:
    """Per kind of overlap (alignment, container): the lowest score the detector called strong, and the median
    score of the others (the line between medium and weak)."""

    strong_from: Mapping[str, float]
    medians: Mapping[str, float]

    @classmethod
    def of(cls, analysis: Mapping[str, Any]) -> OverlapScale:
        strong: dict[str, list[float]] = {}
        others: dict[str, list[float]] = {}
        for o in analysis.get("overlaps", []):
            (strong if o.get("level") == "strong" else others).setdefault(str(o.get("kind")), []).append(
                float(o["score"]))
        return cls({kind: min(values) for kind, values in strong.items()},
                   {kind: statistics.median(values) for kind, values in others.items()})

    def level(self, score: float, kind: str | None, detector_level: str | None = None) -> Level:
        """The detector's level where known (``strong`` or ``related``); for a score without one (a theme pair of
        /compare), strong from the lowest score the detector called strong."""
        strong_from = self.strong_from.get(kind or "")
        if detector_level == "strong" or (detector_level is None and strong_from is not None and score >= strong_from):
            return "strong"
        median = self.medians.get(kind or "")
        return "medium" if median is None or score >= median else "weak"

    def strength(self, score: float, kind: str | None, detector_level: str | None,
                 shared_terms: Sequence[str] = (), shared_topics: Sequence[str] = (),
                 aligned_children: int = 0) -> Strength:
        """An overlap's strength, with what the two texts share as the reason."""
        level = self.level(score, kind, detector_level)
        if kind == "container" and aligned_children:
            reason = ("1 matchende underpunkt" if aligned_children == 1
                      else f"{aligned_children} matchende underpunkter")
            if shared_topics:
                reason += f", fælles emne {quoted(list(shared_topics[:1]))}"
            if level == "weak":  # the shared parts are the evidence; say why it still is weak
                reason += ", men temaerne ligner som helhed kun hinanden lidt"
        elif shared_terms:
            reason = f"begge bruger {_words_phrase(list(shared_terms))}"
        elif shared_topics:
            reason = f"samme emne ({quoted(list(shared_topics[:2]))}), andre ord"
        else:
            reason = "samme betydning, andre ord"
        return Strength(level, reason)


# --------------------------------------------------------------------------- topic tags
@dataclass(frozen=True)
class TopicScale:
    """The median confidence of the build's topic tags found by meaning alone: the line between medium and weak."""

    meaning_median: float | None

    @classmethod
    def of(cls, analysis: Mapping[str, Any]) -> TopicScale:
        found = [float(t["confidence"]) for tags in analysis.get("topics_by_node", {}).values() for t in tags
                 if not t.get("cues") and "children" not in str(t.get("method"))]
        return cls(statistics.median(found) if found else None)

    def strength(self, tag: Mapping[str, Any]) -> Strength:
        """A topic tag's strength (a tag of ``Generation.topics_of``: method, confidence, cues)."""
        cues = [str(c) for c in tag.get("cues") or ()]
        if cues:
            return Strength("strong", f"{_words_phrase(cues)} står i teksten")
        if "children" in str(tag.get("method")):
            return Strength("medium", "flere underpunkter handler om emnet")
        median = self.meaning_median
        if median is None or float(tag.get("confidence", 0.0)) >= median:
            return Strength("medium", "samme emne, andre ord")
        return Strength("weak", "beslægtet i betydning, andre ord")


# --------------------------------------------------------------------------- per generation
def overlap_scale(gen: Generation) -> OverlapScale:
    """The generation's :class:`OverlapScale`, computed once from its analysis (not on every page request)."""
    return _once(gen, "overlap-scale", OverlapScale.of)


def topic_scale(gen: Generation) -> TopicScale:
    """The generation's :class:`TopicScale`, computed once from its analysis."""
    return _once(gen, "topic-scale", TopicScale.of)


def _once(gen: Generation, name: str, make: Callable[[Mapping[str, Any]], _Scale]) -> _Scale:
    """``make(gen.analysis)``, kept with the generation's derived state."""
    key = (name,)
    value = gen.mask_cache.get(key)
    if value is None:
        value = make(gen.analysis)
        gen.mask_cache.put(key, value)
    return value

"""Danish keyword index: bm25s scoring over Snowball-stemmed terms, with compound handling.

Analysis (:func:`analyze`): words are runs of letters/digits (so punctuation and hyphens separate
words), lower-cased with æ/ø/å kept, Danish stopwords (bm25s's Danish list) and one-letter words
dropped, and each word reduced by PyStemmer's Danish Snowball stemmer.

Danish writes compounds as one word ("netværksinddragelse", "pårørendeinddragelse"), so a query for
"netværk" must reach texts that only use the compound. No Danish decompounder exists on PyPI; two
approaches are implemented and were measured on the project's corpora (``benchmarks/compound_split.py``,
figures in ``docs/compound-splitting.md``):

``"split"`` (default)
    Each word is split against the corpus's own vocabulary into known words of at least
    ``min_part`` (4) letters, optionally joined by a linking ``s`` or ``e`` ("netværk|s|inddragelse",
    "børn|e|området"); the last part may also be an inflected form whose stem is known
    ("…|inddragelsen"). Of the possible splits the one with fewest parts wins, ties going to the
    highest geometric mean of part frequencies (Koehn & Knight 2003). A document is indexed under the
    stem of each whole word *and* the stems of its parts. A query word is split the same way, but only
    when the word is unknown to the corpus (a known compound is searched as itself). Fallbacks: an
    unknown first part before a known word ("ambassadør|netværk"), and at query time an expansion to
    the index terms that contain the query word as a compound part but were not split into it
    (``expand``; on by default in this mode, usable with the others).
``"ngram"``
    Each stem is indexed as itself plus its character n-grams (``ngram_n``, default 4); the query too.
    Finds every partial overlap, hence many weak, unrelated matches.
``"none"``
    Stems only (the baseline).

Search returns ``(doc index, score)`` pairs for documents with a positive BM25 score, best first.
:func:`highlight_spans` gives the character ranges of words in a text that match a query word, by stem
or as a compound part, for highlighting; it needs no index.

Thread safety: an index is read-only after :meth:`LexicalIndex.build`/:meth:`LexicalIndex.load` and may
be searched from several threads (stemmers are per thread).
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_DANISH

from ingest.errors import BuildError
from ingest.language.words import stem, word_spans, words

__all__ = [
    "DEFAULT_MODE",
    "MIN_PART",
    "STOPWORDS",
    "CompoundMode",
    "CompoundSplitter",
    "LexicalIndex",
    "analyze",
    "highlight_spans",
    "query_words",
    "stem",
    "word_spans",
]

CompoundMode = Literal["split", "ngram", "none"]
DEFAULT_MODE: CompoundMode = "split"
MIN_PART = 4
LINKERS = ("", "s", "e")
DEFAULT_NGRAM = 4
STOPWORDS: frozenset[str] = frozenset(STOPWORDS_DANISH)
#: Words that look like compound parts but are mostly derivational endings ("ansvar|lige",
#: "aktive|ring", "fælles|skab") or pronouns ("tilbud|dets"); never used as parts.
NOT_PARTS: frozenset[str] = frozenset(
    {"lige", "ligt", "ligere", "ring", "ringer", "ringen", "dets", "skab", "skaber", "skabet", "skabs",
     "ende", "else", "ning", "heder", "isk", "iske", "mæssig", "mæssige", "mæssigt"}
)
#: Derivational endings that may close a compound without being indexed as a part:
#: "sundheds|mæssige" is indexed under "sundhed" only.
SUFFIX_PARTS: frozenset[str] = frozenset({"mæssig", "mæssige", "mæssigt"})

_META = "lexical.json"
_FORMAT = "strategigraf-lexical"
_VERSION = 1
_NGRAM_MARK = "#"  # prefix of n-gram terms, keeps them apart from whole stems


# --------------------------------------------------------------------------- analysis
# Words (word_spans) and stems (stem) are the project's one tokeniser and stemmer, ingest.language.words.
def _keep(word: str) -> bool:
    return len(word) > 1 and word not in STOPWORDS


def _words(text: str) -> list[str]:
    return [w for w in words(text) if _keep(w)]


@lru_cache(maxsize=4096)
def query_words(query: str) -> tuple[str, ...]:
    """The words of a query (:func:`_words`), cached: a search looks its query up several times (BM25,
    coverage, highlights)."""
    return tuple(_words(query))


_QUERY_CACHE_SIZE = 20_000
"""Entries of each query-time cache of a :class:`LexicalIndex` before it starts afresh."""


def _bounded_put(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """``cache[key] = value``, emptying ``cache`` first when it is full (each entry is cheap to recompute)."""
    if len(cache) >= _QUERY_CACHE_SIZE:
        cache.clear()
    cache[key] = value


def analyze(text: str) -> list[str]:
    """Lower-case, strip punctuation, drop Danish stopwords, stem: the terms of ``text`` in order.

    No compound handling (that needs a vocabulary, see :class:`CompoundSplitter`).
    """
    return [stem(w) for w in _words(text)]


def _ngrams(term: str, n: int) -> list[str]:
    if len(term) <= n:
        return []
    return [_NGRAM_MARK + term[i : i + n] for i in range(len(term) - n + 1)]


# --------------------------------------------------------------------------- compounds
class CompoundSplitter:
    """Splits words into parts known from a vocabulary (word → frequency), see the module docstring."""

    def __init__(self, counts: Mapping[str, int], min_part: int = MIN_PART, *, unknown_head: bool = True) -> None:
        self.min_part = min_part
        self.unknown_head = unknown_head
        self.counts: dict[str, int] = {
            w: int(c)
            for w, c in counts.items()
            if len(w) >= min_part and w.isalpha() and w not in STOPWORDS and w not in NOT_PARTS
        }
        self._stems = {stem(w) for w in self.counts}
        self._cache: dict[str, tuple[str, ...] | None] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_part: int = MIN_PART, *, unknown_head: bool = True) -> CompoundSplitter:
        counts: Counter[str] = Counter()
        for t in texts:
            counts.update(_words(t))
        return cls(counts, min_part, unknown_head=unknown_head)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def split(self, word: str) -> tuple[str, ...] | None:
        """The parts of ``word`` (linking letters dropped), or ``None`` if it is not a known compound."""
        if word in self._cache:
            return self._cache[word]
        result = None
        if word.isalpha() and len(word) >= 2 * self.min_part:
            result = self._split(word)
            if result is None and self.unknown_head:
                result = self._split_unknown_head(word)
        with self._lock:
            self._cache[word] = result
        return result

    def _final_ok(self, tail: str) -> int:
        """Frequency weight if ``tail`` may end a compound (a known word, or a form of a known stem)."""
        if len(tail) < self.min_part:
            return 0
        c = self.counts.get(tail)
        if c:
            return c
        if tail in SUFFIX_PARTS:
            return 1
        if tail in STOPWORDS or tail in NOT_PARTS:
            return 0
        s = stem(tail)
        return 1 if len(s) >= self.min_part and s in self._stems else 0

    def _split(self, word: str) -> tuple[str, ...] | None:
        n, mp = len(word), self.min_part
        # best[i]: best split of word[i:] as (n_parts, -sum(log freq), parts) — smaller is better
        best: list[tuple[int, float, tuple[str, ...]] | None] = [None] * (n + 1)
        for i in range(n - mp, -1, -1):
            cands: list[tuple[int, float, tuple[str, ...]]] = []
            if i > 0:  # the whole word is not a split of itself
                c = self._final_ok(word[i:])
                if c:
                    cands.append((1, -math.log(c), (word[i:],)))
            for j in range(i + mp, n - mp + 1):
                head = word[i:j]
                c = self.counts.get(head, 0)
                if not c:
                    continue
                for link in LINKERS:
                    k = j + len(link)
                    if link and not word.startswith(link, j):
                        continue
                    rest = best[k] if k <= n else None
                    if rest is not None:
                        cands.append((rest[0] + 1, rest[1] - math.log(c), (head, *rest[2])))
            if cands:
                # fewest parts, then highest geometric mean of frequencies
                best[i] = min(cands, key=lambda t: (t[0], t[1] / t[0]))
        top = best[0]
        return top[2] if top is not None and top[0] >= 2 else None

    def _split_unknown_head(self, word: str) -> tuple[str, ...] | None:
        """Fallback: an unknown first part before the longest known word ending ``word``
        ("ambassadør|netværket" when only "netværket" is known). Both sides need one letter more than
        ``min_part``: with 4 this fallback produced "gent|ofte", "fors|øger", "menne|sker"."""
        mp = self.min_part + 1
        for j in range(mp, len(word) - mp + 1):
            tail = word[j:]
            if tail in self.counts:
                return (word[:j], tail)
        return None

    def part_stems(self, word: str) -> list[str]:
        """Stems of the parts of ``word``, and of their parts in turn ("socialpsykiatri|udvalget" also
        gives "social" and "psykiatri"), except the whole word's own stem; [] if not a compound."""
        whole = stem(word)
        out: list[str] = []
        todo = [word]
        seen = {word}
        while todo:
            parts = self.split(todo.pop(0)) or ()
            for p in parts:
                if p in SUFFIX_PARTS:
                    continue
                s = stem(p)
                if s != whole and s not in out:
                    out.append(s)
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return out


# --------------------------------------------------------------------------- highlighting
def _part_match(word: str, term_surface: str, term_stem: str) -> bool:
    """Whether ``term`` occurs in ``word`` as a compound part (not just any substring)."""
    for form in dict.fromkeys((term_surface, term_stem)):
        if len(form) < MIN_PART:
            continue
        start = word.find(form)
        while start != -1:
            left_ok = start == 0 or start >= MIN_PART
            right = word[start + len(form) :]
            if left_ok and not (start == 0 and not right):
                if not right or stem(word[start:]) == term_stem:
                    return True  # last part, possibly inflected
                body = right[1:] if right[0] in "se" and len(right) > MIN_PART else right
                if len(body) >= MIN_PART:
                    return True  # first or middle part, optional linking s/e
            start = word.find(form, start + 1)
    return False


def highlight_spans(query: str, text: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of words in ``text`` matching a query word.

    A word matches when its stem equals the stem of a (non-stopword) query word, or when the query word
    (or its stem, at least 4 letters) is one of its compound parts: at its start or end, or inside it
    with at least 4 letters on each side ("netværk" → "netværksinddragelse", "ambassadørnetværket").
    """
    terms = {(w, stem(w)) for w in _words(query)}
    if not terms:
        return []
    stems = {s for _, s in terms}
    spans: list[tuple[int, int]] = []
    for start, end, word in word_spans(text):
        if not _keep(word):
            continue
        if stem(word) in stems or any(_part_match(word, w, s) for w, s in terms):
            spans.append((start, end))
    return spans


# --------------------------------------------------------------------------- index
class LexicalIndex:
    """BM25 keyword index over Danish texts (documents are addressed by their position)."""

    def __init__(
        self,
        retriever: bm25s.BM25 | None,
        n_docs: int,
        *,
        mode: CompoundMode = DEFAULT_MODE,
        splitter: CompoundSplitter | None = None,
        ngram_n: int = DEFAULT_NGRAM,
        expand: bool | None = None,
    ) -> None:
        self._bm25 = retriever
        self.n_docs = n_docs
        self.mode: CompoundMode = mode
        self.splitter = splitter
        self.ngram_n = ngram_n
        #: query-time expansion to index terms that contain a query word as a compound part
        self.expand: bool = (mode == "split") if expand is None else expand
        terms = [] if retriever is None else [t for t in retriever.vocab_dict if t and not t.startswith(_NGRAM_MARK)]
        self._term_blob = "\n" + "\n".join(terms) + "\n"
        self._expansions: dict[str, tuple[str, ...]] = {}
        self._exp_lock = threading.Lock()
        # query-time caches (the index does not change once built): per word, its index terms; per query
        # word, its term ids (word_terms); per set of term ids, the documents holding one and their idf
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._single_cache: dict[str, tuple[str, ...]] = {}
        self._postings_cache: dict[tuple[int, ...], tuple[np.ndarray, float]] = {}
        self._split_parts: dict[str, frozenset[str]] | None = None

    # ------------------------------------------------------------------ analysis with compounds
    def _doc_terms(self, text: str) -> list[str]:
        out: list[str] = []
        for w in _words(text):
            s = stem(w)
            out.append(s)
            if self.mode == "split" and self.splitter is not None:
                out.extend(self.splitter.part_stems(w))
            elif self.mode == "ngram":
                out.extend(_ngrams(s, self.ngram_n))
        return out

    def query_terms(self, query: str) -> list[str]:
        """The distinct index terms a query is looked up by."""
        out: list[str] = []
        for w in query_words(query):
            out.extend(t for t in self._terms_of_word(w) if t not in out)
        return out

    def _terms_of_word(self, w: str) -> tuple[str, ...]:
        """The index terms of one query word: its stem, compound parts and expansions, distinct (cached)."""
        cached = self._word_cache.get(w)
        if cached is not None:
            return cached
        s = stem(w)
        terms = [s]
        if self.mode == "split" and self.splitter is not None and w not in self.splitter:
            terms.extend(self.splitter.part_stems(w))
        elif self.mode == "ngram":
            terms.extend(_ngrams(s, self.ngram_n))
        if self.expand:
            terms.extend(self._expand(w, s))
        result = tuple(dict.fromkeys(terms))
        _bounded_put(self._word_cache, w, result)
        return result

    def _expand(self, word: str, word_stem: str) -> tuple[str, ...]:
        """Index terms having ``word`` as a compound part (same rule as :func:`highlight_spans`).

        Catches compounds the splitter could not split because their other part never occurs alone
        ("pårørendeinddragelse" in a corpus without "inddragelse"). Compounds that the splitter did
        split into a part with this stem are left out: their documents already match through the part,
        and counting them twice would rank compounds above the plain word. Scans the vocabulary once per
        word (a substring search over one joined string), then caches.
        """
        cached = self._expansions.get(word)
        if cached is not None:
            return cached
        split_parts = self._compound_parts()
        found: list[str] = []
        blob = self._term_blob
        for form in dict.fromkeys((word, word_stem)):
            if len(form) < MIN_PART:
                continue
            for m in re.finditer(re.escape(form), blob):
                a = blob.rfind("\n", 0, m.start()) + 1
                b = blob.find("\n", m.end())
                term = blob[a:b]
                if (term != word_stem and term not in found and word_stem not in split_parts.get(term, ())
                        and _part_match(term, word, word_stem)):
                    found.append(term)
        result = tuple(sorted(found))
        with self._exp_lock:
            if len(self._expansions) > 10_000:
                self._expansions.clear()
            self._expansions[word] = result
        return result

    def _compound_parts(self) -> dict[str, frozenset[str]]:
        """Whole-word stem → stems of its parts, for the words the splitter splits (computed once)."""
        if self._split_parts is None:
            parts: dict[str, set[str]] = {}
            if self.splitter is not None and self.mode == "split":
                for w in self.splitter.counts:
                    ps = self.splitter.part_stems(w)
                    if ps:
                        parts.setdefault(stem(w), set()).update(ps)
            self._split_parts = {k: frozenset(v) for k, v in parts.items()}
        return self._split_parts

    # ------------------------------------------------------------------ build / search
    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        *,
        mode: CompoundMode = DEFAULT_MODE,
        min_part: int = MIN_PART,
        unknown_head: bool = True,
        ngram_n: int = DEFAULT_NGRAM,
        expand: bool | None = None,
        k1: float = 1.5,
        b: float = 0.75,
    ) -> LexicalIndex:
        """Index ``texts``; document ids are their positions."""
        if isinstance(texts, str):
            raise TypeError("LexicalIndex.build expects a sequence of texts, not a single string")
        if mode not in ("split", "ngram", "none"):
            raise ValueError(f"unknown compound mode {mode!r}; expected split, ngram or none")
        docs = list(texts)
        splitter = CompoundSplitter.from_texts(docs, min_part, unknown_head=unknown_head) if mode == "split" else None
        analyser = cls(None, len(docs), mode=mode, splitter=splitter, ngram_n=ngram_n)
        retriever: bm25s.BM25 | None = None
        if docs:
            corpus_terms = [analyser._doc_terms(t) for t in docs]
            retriever = bm25s.BM25(k1=k1, b=b, backend="numpy")
            retriever.index(corpus_terms, show_progress=False)
        return cls(retriever, len(docs), mode=mode, splitter=splitter, ngram_n=ngram_n, expand=expand)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (float32, length ``n_docs``)."""
        if self._bm25 is None or self.n_docs == 0:
            return np.zeros(self.n_docs, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        ids = [vocab[t] for t in self.query_terms(query) if t in vocab]
        if not ids:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(ids), dtype=np.float32)

    def word_terms(self, query: str) -> list[list[int]]:
        """Per distinct query word (stopwords dropped), the ids of the index terms it is looked up by (its
        stem, compound parts and expansions, as :meth:`query_terms`); a term goes to the first word that
        gives it, and a word none of whose terms is indexed is left out."""
        if self._bm25 is None:
            return []
        vocab = self._bm25.vocab_dict
        seen: set[str] = set()
        out: list[list[int]] = []
        for w in dict.fromkeys(query_words(query)):
            ids = []
            terms = self._single_cache.get(w)
            if terms is None:
                terms = tuple(self.query_terms(w))
                _bounded_put(self._single_cache, w, terms)
            for t in terms:
                if t in vocab and t not in seen:
                    seen.add(t)
                    ids.append(vocab[t])
            if ids:
                out.append(ids)
        return out

    def coverage(self, query: str) -> np.ndarray:
        """Per document, the share of the query's words it contains (by stem or compound part), each word
        weighted by its inverse document frequency (float32 in [0, 1], length ``n_docs``). Words the corpus
        does not hold are not counted. Work is proportional to the postings of the query's terms."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        if self._bm25 is None or self.n_docs == 0:
            return out
        indices, indptr = self._bm25.scores["indices"], self._bm25.scores["indptr"]
        total = 0.0
        for ids in self.word_terms(query):
            key = tuple(ids)
            hit = self._postings_cache.get(key)
            if hit is None:
                docs = np.unique(np.concatenate([indices[indptr[t]:indptr[t + 1]] for t in ids]))
                idf = math.log(1 + (self.n_docs - docs.size + 0.5) / (docs.size + 0.5)) if docs.size else 0.0
                hit = (docs, idf)
                _bounded_put(self._postings_cache, key, hit)
            docs, idf = hit
            if docs.size == 0:
                continue
            out[docs] += idf
            total += idf
        return out / total if total else out

    def search(self, query: str, k: int = 10) -> list[tuple[int, float]]:
        """Up to ``k`` ``(doc index, score)`` pairs with score > 0, best first (ties by index)."""
        if k < 1:
            return []
        s = self.scores(query)
        hits = np.flatnonzero(s > 0)
        if hits.size == 0:
            return []
        order = np.lexsort((hits, -s[hits]))[:k]
        return [(int(hits[i]), float(s[hits[i]])) for i in order]

    def highlight(self, query: str, text: str) -> list[tuple[int, int]]:
        """Same as :func:`highlight_spans`."""
        return highlight_spans(query, text)

    # ------------------------------------------------------------------ persistence
    def save(self, directory: str | Path) -> None:
        """Write the index into ``directory`` (bm25s arrays plus ``lexical.json``)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(d), show_progress=False)
        meta: dict[str, Any] = {
            "format": _FORMAT,
            "version": _VERSION,
            "mode": self.mode,
            "n_docs": self.n_docs,
            "ngram_n": self.ngram_n,
            "expand": self.expand,
            "min_part": self.splitter.min_part if self.splitter else MIN_PART,
            "unknown_head": self.splitter.unknown_head if self.splitter else True,
            "vocabulary": dict(sorted(self.splitter.counts.items())) if self.splitter else {},
        }
        tmp = d / (_META + ".tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp.replace(d / _META)

    @classmethod
    def load(cls, directory: str | Path) -> LexicalIndex:
        """Read an index written by :meth:`save`; a missing or corrupt file raises ``BuildError`` naming it."""
        d = Path(directory)
        meta_path = d / _META
        if not meta_path.is_file():
            raise BuildError("keyword index metadata is missing", file=meta_path)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("format") != _FORMAT:
                raise ValueError("not a Strategigraf keyword index")
            if meta.get("version") != _VERSION:
                raise ValueError(f"version {meta.get('version')!r} is not {_VERSION}")
            mode = meta["mode"]
            n_docs = int(meta["n_docs"])
            ngram_n = int(meta["ngram_n"])
            min_part = int(meta["min_part"])
            unknown_head = bool(meta.get("unknown_head", True))
            expand = bool(meta.get("expand", mode == "split"))
            vocabulary = meta["vocabulary"]
            if mode not in ("split", "ngram", "none") or not isinstance(vocabulary, dict):
                raise ValueError("bad mode or vocabulary")
        except (ValueError, KeyError, TypeError) as exc:
            raise BuildError(f"keyword index metadata is unreadable ({exc})", file=meta_path) from exc
        retriever: bm25s.BM25 | None = None
        if n_docs:
            for name in ("params.index.json", "vocab.index.json", "data.csc.index.npy",
                         "indices.csc.index.npy", "indptr.csc.index.npy"):
                if not (d / name).is_file():
                    raise BuildError("keyword index file is missing", file=d / name)
            try:
                retriever = bm25s.BM25.load(str(d), load_corpus=False, mmap=False, show_progress=False)
            except Exception as exc:  # numpy/json errors from a truncated or damaged file
                raise BuildError(f"keyword index is truncated or unreadable ({exc})", file=d) from exc
            if int(retriever.scores["num_docs"]) != n_docs:
                raise BuildError(
                    f"keyword index holds {retriever.scores['num_docs']} documents, metadata says {n_docs}",
                    file=d,
                )
        splitter = CompoundSplitter(vocabulary, min_part, unknown_head=unknown_head) if mode == "split" else None
        return cls(retriever, n_docs, mode=mode, splitter=splitter, ngram_n=ngram_n, expand=expand)

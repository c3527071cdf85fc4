"""Hybrid search over one generation: semantic (FAISS) + keyword (BM25) fused, with filters and roll-up.

Filters are exact at every scale: the document-level filters (municipality, document, years, topic) and a
type filter that is not a roll-up select the nodes a search ranks (:func:`selection_for`) *before* either
retrieval cuts its ranking at the fetch depth. The vector side searches only the selected rows
(:meth:`ingest.index.VectorIndex.search_filtered`: every selected row scored when the selection is small,
FAISS's ID selector inside HNSW when it is large), the keyword side ranks only selected nodes with a positive
BM25 score, and reciprocal-rank fusion then ranks by positions within the selection. The answer is the one an
exhaustive filtered search gives: score every selected node on both sides, keep the top ``fetch`` of each,
fuse (tests/service/test_search_filters.py checks this against a numpy brute force, also at 100k nodes).
Unfiltered searches take the index's own top ``fetch``, as before.

Roll-up: when the type filter asks for containers (Track, Bearing, Principle, FocusArea, Goal, Document …),
each container is ranked by its own match plus its best-matching descendants, and those descendants are
returned as ``evidence``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any, TypeVar

import numpy as np
from pydantic_core import to_json

from ingest.index.lexical import MIN_PART, _keep, _part_match, query_words, stem, word_spans
from ingest.index.stage import lexical_text
from ingest.index.vector import RowSelection, VectorIndex
from ingest.records import NodeRecord
from ontology.node_types import DOCUMENT_FILTER, FILTER_TYPES, REFERENCES, ROLLUP_TARGETS
from service.generation import Generation
from service.schemas import (
    Interpretation,
    MatchQuality,
    Mode,
    SearchResponse,
    SearchResult,
)

T = TypeVar("T")

RRF_K = 10
SEMANTIC_WEIGHT = 1.0
"""Weight of the semantic ranking in reciprocal-rank fusion (the keyword ranking's is 1)."""
# e5 cosine similarities are compressed (most texts score 0.80-0.88 against any query), so a descendant
# counts as semantic evidence only when it is within this margin of the query's best similarity.
SEMANTIC_EVIDENCE_MARGIN = 0.025
SEMANTIC_EVIDENCE_MAX = 30
MAX_K = 100
MAX_EVIDENCE = 5
COVERAGE_POWER = 1.0
"""Keyword score = BM25 × coverage ** COVERAGE_POWER (0: plain BM25); measured in docs/evaluation.md."""
TOPIC_WEIGHT = 1.0
"""Weight of topic-map evidence in roll-ups (see :func:`add_topic_evidence`)."""
TOPIC_WEIGHT_NODES = 0.0
"""Weight of topic-map evidence in searches that are not roll-ups (0: off; measured in docs/evaluation.md)."""
ROLLUP_COVERAGE_FLOOR = 0.3
"""Share of a container's roll-up score kept when none of its evidence holds a query word (see _rollup_hits)."""
PHRASE_WEIGHT = 1.0
"""Rank-1 shares a node gains in hybrid fusion when it holds the query's words as a phrase (0: off)."""
PHRASE_CANDIDATES = 50
GOOD_COVERAGE = 0.5
GOOD_DISTINCTNESS_MARGIN = 1.0


class SearchError(ValueError):
    """A search request that cannot be answered as asked; the message says why (HTTP 422)."""


@dataclass(frozen=True)
class SearchParams:
    q: str
    k: int = 10
    types: tuple[str, ...] = ()
    municipality: str | None = None
    document: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    mode: Mode = Mode.hybrid
    topic: str | None = None
    max_query_chars: int = field(default=1000, compare=False)


def check_params(gen: Generation, p: SearchParams) -> None:
    """Refuse bad parameters with a reason a user can act on."""
    if not p.q or not p.q.strip():
        raise SearchError("q must not be empty or only whitespace")
    if len(p.q) > p.max_query_chars:
        raise SearchError(f"q is {len(p.q)} characters; at most {p.max_query_chars} are accepted")
    if not 1 <= p.k <= MAX_K:
        raise SearchError(f"k must be between 1 and {MAX_K}")
    unknown = [t for t in p.types if t not in FILTER_TYPES]
    if unknown:
        raise SearchError(f"unknown type(s) {', '.join(unknown)}; known: {', '.join(sorted(FILTER_TYPES))}")
    munis = gen.municipality_keys
    if p.municipality is not None and p.municipality.lower() not in munis:
        raise SearchError(f"unknown municipality {p.municipality!r}; known: {', '.join(sorted(munis))}")
    if p.document is not None and p.document not in gen.documents:
        raise SearchError(f"unknown document {p.document!r}; known: {', '.join(sorted(gen.documents))}")
    if p.year_from is not None and p.year_to is not None and p.year_from > p.year_to:
        raise SearchError("year_from must not be after year_to")
    if p.topic is not None:
        from service.topics import UnknownTopicError, resolve_topic

        try:
            resolve_topic(gen, p.topic)
        except (UnknownTopicError, RuntimeError) as exc:  # RuntimeError: the build has no topic analysis
            raise SearchError(str(exc)) from exc


def _doc_mask(gen: Generation, p: SearchParams) -> np.ndarray:
    """Boolean mask over nodes for the document-level filters (cached per generation; read-only)."""
    key = (p.municipality, p.document, p.year_from, p.year_to)
    mask = gen.mask_cache.get(key)
    if mask is None:
        keep_docs = np.array([
            (p.municipality is None or d.municipality == p.municipality.lower())
            and (p.document is None or d.id == p.document)
            and (p.year_from is None or d.year >= p.year_from)
            and (p.year_to is None or d.year <= p.year_to)
            for d in gen.doc_list
        ], dtype=bool)
        mask = keep_docs[gen.doc_of]
        mask.flags.writeable = False
        gen.mask_cache.put(key, mask)
    if p.topic is not None:
        from service.topics import topic_mask

        # nodes tagged with the topic (or a narrower one), and every node under a container tagged with it
        return mask & topic_mask(gen, p.topic)
    return mask


def is_rollup(types: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether a type filter asks for containers ranked by their descendants (roll-up)."""
    return bool(types) and frozenset(types) <= ROLLUP_TARGETS


def selection_for(gen: Generation, p: SearchParams) -> RowSelection:
    """The nodes a search ranks: those passing the document-level filters and, unless the types ask for a
    roll-up (whose evidence may be of any type), the type filter. Cached per generation (read-only)."""
    types = frozenset(p.types)
    rollup = is_rollup(types)
    key = ("selection", p.municipality, p.document, p.year_from, p.year_to, p.topic,
           None if rollup or not types else types)
    selection = gen.mask_cache.get(key)
    if selection is None:
        mask = _doc_mask(gen, p)
        if types and not rollup:
            mask = mask & gen.type_mask(types)
        selection = RowSelection(mask)
        gen.mask_cache.put(key, selection)
    return selection


def _fetch_size(n: int, k: int) -> int:
    """How deep each retrieval ranks before fusion: all nodes of a small generation, else 1,000."""
    return n if n <= 5000 else min(n, max(1000, 50 * k))


def vector_ranking(index: VectorIndex, qv: np.ndarray, selection: RowSelection,
                   depth: int) -> tuple[np.ndarray, np.ndarray]:
    """The top ``depth`` selected rows by similarity to ``qv`` and their similarities, best first: a search of
    the selected rows only when some are filtered out (exact; see
    :meth:`~ingest.index.VectorIndex.search_filtered`), else every row scored on a flat index
    (:meth:`~ingest.index.VectorIndex.rank_all`, ties by position as in the filtered search) and the index's own
    search on the others."""
    if not selection.everything:
        return index.search_filtered(qv, depth, selection)
    if index.kind == "flat":
        return index.rank_all(qv, depth)
    scores, ids = index.search(qv, depth)
    keep = ids[0] >= 0
    return ids[0][keep], scores[0][keep]


def bm25_ranking(s: np.ndarray, mask: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """The top ``depth`` nodes in ``mask`` with a positive BM25 score ``s`` and their scores, best first, ties
    by position. Only candidates that can make the top (every score tied with the last one included) are
    sorted."""
    hits = np.flatnonzero((s > 0) & mask)
    if hits.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    if hits.size > depth:
        hs = s[hits]
        kth = np.partition(hs, hits.size - depth)[hits.size - depth]
        hits = hits[hs >= kth]
    ids = hits[np.lexsort((hits, -s[hits]))[:depth]].astype(np.int64)
    return ids, s[ids].astype(np.float32)


async def prefetch_query_vector(gen: Generation, p: SearchParams) -> None:
    """Embed the query of a search that needs it, awaited on the event loop, into the generation's query cache
    (where :func:`retrieve` then finds it). The embedder's worker thread resolves the awaited future
    directly: no thread of the pool waits for the model, and the rest of the search can follow on the loop.
    Parameters are checked by :func:`search` as before; an unusable query is left to it."""
    await after_query_embedding(gen, p, lambda: None)


async def after_query_embedding(gen: Generation, p: SearchParams, finish: Callable[[], T]) -> T | None:
    """Embed the query of a search that needs it and run ``finish`` (the rest of the search) on the embedder's
    thread right after the model call, awaited on the event loop; ``finish``'s result, or None when the query
    needs no embedding (keyword mode, cached, or left to :func:`search` to refuse) or the embedder cannot run
    work after it (the caller then runs ``finish`` itself).

    Why there: under load the work after the embedding, run on the loop, would share the cores with the
    model's next call; run by the thread that made the call, it is done before that thread starts the next one
    (the model's other lanes carry on). A lone request makes the same two thread hand-offs either way."""
    if p.mode is Mode.keyword or not p.q.strip() or len(p.q) > p.max_query_chars:
        return None
    then = getattr(gen.embedder, "embed_queries_then", None)
    if then is None or gen.query_cache.get(p.q) is not None:
        return None

    def with_vector(rows: np.ndarray) -> T:
        gen.query_cache.put(p.q, rows[0])
        return finish()

    result: T = await then([p.q], with_vector)
    return result


def keyword_scores(gen: Generation, q: str) -> tuple[np.ndarray, np.ndarray]:
    """Per node: the keyword score that ranks it, and its coverage of the query (the idf-weighted share of the
    query's words it contains, :meth:`~ingest.index.lexical.LexicalIndex.coverage`). The keyword score is
    BM25 times coverage to the power :data:`COVERAGE_POWER`: BM25 sums its words' weights, so a short text
    repeating one frequent word of the query can beat a longer one holding all of them ("samarbejde med
    andre kommuner": a track titled with "samarbejde" against the statement that "samarbejder med andre
    kommuner"); coverage puts the text that says what was asked first."""
    lexical = gen.indexes.lexical
    bm25 = lexical.scores(q)
    coverage = lexical.coverage(q)
    if COVERAGE_POWER:
        bm25 = (bm25 * coverage ** COVERAGE_POWER).astype(np.float32)
    return bm25, coverage


Ranking = tuple[np.ndarray, np.ndarray]


def fuse(n: int, mode: Mode, semantic: Ranking | None, keyword: Ranking | None) -> tuple[np.ndarray, set[int]]:
    """Per-node scores from the two rankings (similarity, keyword score, or reciprocal-rank fusion of both in
    hybrid mode; 0 where not retrieved) and the nodes that matched strongly enough for evidence."""
    scores = np.zeros(n, dtype=np.float64)
    matched: set[int] = set()
    if semantic is not None:
        ids, sims = semantic
        if mode is Mode.semantic:
            scores[ids] = sims
        else:
            scores[ids] += SEMANTIC_WEIGHT / (RRF_K + np.arange(1, len(ids) + 1))
        if len(sims):
            close = ids[:SEMANTIC_EVIDENCE_MAX][sims[:SEMANTIC_EVIDENCE_MAX] >= sims[0] - SEMANTIC_EVIDENCE_MARGIN]
            matched.update(int(i) for i in close)
    if keyword is not None:
        ids, bm = keyword
        if mode is Mode.keyword:
            scores[ids] = bm
        else:
            scores[ids] += 1.0 / (RRF_K + np.arange(1, len(ids) + 1))
        matched.update(ids.tolist())
    return scores, matched


@dataclass
class Retrieval:
    """What one search retrieved: per-node scores, the nodes matched strongly enough for evidence, and the
    signals that say how good the best match is (:func:`match_quality`)."""

    scores: np.ndarray
    matched: set[int]
    coverage: float
    """The highest coverage of the query's words by one selected node (0: no keyword hit at all)."""
    node_coverage: np.ndarray
    """Per node: its coverage of the query's words (:meth:`~ingest.index.lexical.LexicalIndex.coverage`)."""
    distinctness: float | None
    """How far the best semantic match stands out from meaningless queries
    (:class:`~ingest.index.stage.SimilarityReference`); ``None`` when not measured."""
    threshold: float | None
    """The generation's distinctness threshold; ``None`` when the build has no similarity reference."""


def retrieve(gen: Generation, p: SearchParams, selection: RowSelection) -> Retrieval:
    """Both retrievals of a search within the selection, fused, with the signals of match quality."""
    mode = Mode(p.mode)
    semantic = keyword = None
    distinct = threshold = None
    if mode in (Mode.semantic, Mode.hybrid):
        qv = gen.embed_query(p.q).reshape(1, -1).astype(np.float32)
        semantic = vector_ranking(gen.indexes.vector, qv, selection, _fetch_size(len(gen.nodes), 10))
        reference = gen.indexes.reference
        if reference is not None:
            distinct, threshold = reference.distinctness(qv[0], *semantic), reference.threshold
    kw_scores, coverage = keyword_scores(gen, p.q)
    if mode in (Mode.keyword, Mode.hybrid):
        keyword = bm25_ranking(kw_scores, selection.mask, _fetch_size(len(gen.nodes), 10))
    scores, matched = fuse(len(gen.nodes), mode, semantic, keyword)
    if keyword is not None and mode is Mode.hybrid and PHRASE_WEIGHT > 0:
        add_phrase_evidence(gen, p.q, keyword[0][:PHRASE_CANDIDATES], coverage, scores)
    best_coverage = float(coverage[selection.mask].max(initial=0.0))
    return Retrieval(scores=scores, matched=matched, coverage=best_coverage, node_coverage=coverage,
                     distinctness=distinct, threshold=threshold)


def _phrase_stems(text: str) -> tuple[str, ...]:
    return tuple(st for _, _, _, st in _text_words(text)[1])


def add_phrase_evidence(gen: Generation, q: str, candidates: np.ndarray, coverage: np.ndarray,
                        scores: np.ndarray) -> None:
    """Nodes among the keyword ranking's first ``candidates`` that hold the query's words (two or more,
    stopwords dropped) as a phrase, by stem and in order, gain :data:`PHRASE_WEIGHT` rank-1 shares: the text
    says what was asked in the words asked."""
    phrase = _phrase_stems(q)
    if len(phrase) < 2:
        return
    n = len(phrase)
    for i in candidates.tolist():
        if coverage[i] < 0.999:
            continue
        words = _phrase_stems(lexical_text(gen.nodes[i]))
        if any(words[j:j + n] == phrase for j in range(len(words) - n + 1)):
            scores[i] += PHRASE_WEIGHT / (RRF_K + 1)


def fused_scores(gen: Generation, p: SearchParams, selection: RowSelection) -> tuple[np.ndarray, set[int]]:
    """Per-node scores (0 where not retrieved) and the set of nodes that matched strongly enough for evidence."""
    r = retrieve(gen, p, selection)
    return r.scores, r.matched


def add_topic_evidence(gen: Generation, p: SearchParams, mask: np.ndarray, r: Retrieval, weight: float) -> None:
    """Count the topic map as evidence: nodes (within ``mask``) tagged with a topic the query names
    (:func:`service.topics.query_topics`) gain ``weight`` × the query's weight for the topic × the tag's
    confidence, in units of the best single match of this search (a rank-1 hit on one side in hybrid mode),
    and become matched. This is what makes a type-filtered search find the principles the topic page lists
    for "frivillighed" although none of them uses the word."""
    from service.topics import query_topics, topic_tags

    if weight <= 0:
        return
    topics = query_topics(gen, p.q)
    if not topics:
        return
    unit = 1.0 / (RRF_K + 1) if p.mode is Mode.hybrid else float(r.scores.max(initial=0.0))
    if unit <= 0:  # nothing retrieved (a single mode with no hit): the topic alone is the evidence
        unit = 1.0
    gain = np.zeros(len(gen.nodes), dtype=np.float64)
    for topic, topic_weight in topics.items():
        positions, confidences = topic_tags(gen, topic)
        np.maximum.at(gain, positions, topic_weight * confidences)
    tagged = np.flatnonzero((gain > 0) & mask)
    r.scores[tagged] += weight * unit * gain[tagged]
    r.matched.update(tagged.tolist())


def match_quality(r: Retrieval, n_results: int) -> MatchQuality:
    """'none' when nothing meaningful matched: no selected node holds any of the query's words and the best
    semantic match does not stand out from what meaningless queries get (or there is no result); 'good' when
    one node holds at least half of the query's (idf-weighted) words or the semantic match stands clearly
    out (:data:`GOOD_DISTINCTNESS_MARGIN` above the threshold); 'weak' otherwise."""
    if n_results == 0:
        return "none"
    stands_out = r.distinctness is not None and r.threshold is not None and r.distinctness > r.threshold
    if r.coverage <= 0 and not stands_out:
        return "none"
    if r.coverage >= GOOD_COVERAGE or (stands_out and r.distinctness is not None and r.threshold is not None
                                       and r.distinctness >= r.threshold + GOOD_DISTINCTNESS_MARGIN):
        return "good"
    return "weak"


Ranked = list[tuple[int, float, list[tuple[int, float]]]]


def rank(gen: Generation, p: SearchParams) -> Ranked:
    """(node position, score, evidence positions) best first; documents use position -1 - doc index."""
    return rank_retrieved(gen, p)[0]


def rank_retrieved(gen: Generation, p: SearchParams) -> tuple[Ranked, Retrieval]:
    """As :func:`rank`, with what was retrieved (for :func:`match_quality`)."""
    selection = selection_for(gen, p)
    mask = selection.mask
    r = retrieve(gen, p, selection)
    rollup = is_rollup(p.types)
    add_topic_evidence(gen, p, mask, r, TOPIC_WEIGHT if rollup else TOPIC_WEIGHT_NODES)
    return _ranked(gen, p, mask, r), r


def _ranked(gen: Generation, p: SearchParams, mask: np.ndarray, r: Retrieval) -> Ranked:
    scores, matched = r.scores, r.matched
    # Lexical evidence weighs a container in the modes that use it: scaled by the best coverage of the query
    # by one node among itself and its evidence (see _rollup_hits).
    coverage = r.node_coverage if p.mode is not Mode.semantic else None
    types = set(p.types)
    if not is_rollup(p.types):
        # Only positive scores can be answers: order those by score, ties by position (as a stable
        # argsort over all nodes would), without sorting the whole array. Only selected nodes have a score;
        # without a type filter, opt-in types are left out of the answers (not of the ranking).
        retrieved = np.flatnonzero(scores > 0)
        order = retrieved[np.lexsort((retrieved, -scores[retrieved]))]
        out: Ranked = []
        for i in order:
            if not mask[i] or (not types and gen.nodes[i].type in REFERENCES):
                continue
            out.append((int(i), float(scores[i]), []))
            if len(out) >= p.k:
                break
        return out
    # Roll-up. A container can only be an answer when it matched itself or one of its descendants matched
    # with a positive score, so the candidates are found from the matched nodes upwards instead of by
    # visiting every node. Evidence lists are built in position order, which is the order in which
    # ``descendants`` lists them, so ties are broken by position.
    evidence_of: dict[int, list[int]] = {}
    doc_hits: dict[int, list[int]] = {}
    want_docs = DOCUMENT_FILTER in types
    for j in sorted(matched):
        if scores[j] <= 0:
            continue
        for a in gen.ancestor_positions[j]:
            evidence_of.setdefault(a, []).append(j)
        if want_docs and mask[j]:
            doc_hits.setdefault(int(gen.doc_of[j]), []).append(j)
    ranked: Ranked = []
    for i in sorted(matched.union(evidence_of)):
        node = gen.nodes[i]
        if node.type not in types or not mask[i]:
            continue
        hits = evidence_of.get(i, [])
        pos, score, evidence = _rollup_hits(i, float(scores[i]), scores, hits, coverage)
        if evidence or i in matched:
            ranked.append((pos, score, evidence))
    if want_docs:
        for d in sorted(doc_hits):
            pos, score, evidence = _rollup_hits(-1 - d, 0.0, scores, doc_hits[d], coverage)
            ranked.append((pos, score, evidence))
    ranked = [r for r in ranked if r[1] > 0]
    ranked.sort(key=lambda r: -r[1])
    return ranked[: p.k]


def _rollup_hits(pos: int, own_score: float, scores: np.ndarray, hits: list[int],
                 coverage: np.ndarray | None = None) -> tuple[int, float, list[tuple[int, float]]]:
    """A container's score: its own match plus its best-matching descendant (``hits``: positive score, in
    position order) and a damped share of the next two, and its evidence. With ``coverage``, the score is
    scaled by ``ROLLUP_COVERAGE_FLOOR + (1 - floor) × c``, ``c`` the highest coverage of the query's words by
    one node among the container and its evidence: a statement that says all of what was asked outweighs a
    title and a bullet that each repeat one word of it."""
    hits = sorted(hits, key=lambda i: -scores[i])
    top = [float(scores[i]) for i in hits[:3]]
    score = own_score + (top[0] if top else 0.0) + 0.3 * sum(top[1:])
    if coverage is not None and ROLLUP_COVERAGE_FLOOR < 1.0:
        best = max([float(coverage[i]) for i in hits[:MAX_EVIDENCE]] + ([float(coverage[pos])] if pos >= 0 else []),
                   default=0.0)
        score *= ROLLUP_COVERAGE_FLOOR + (1.0 - ROLLUP_COVERAGE_FLOOR) * best
    return pos, score, [(i, float(scores[i])) for i in hits[:MAX_EVIDENCE]]


# ------------------------------------------------------------------------------------------ highlighting
# Same result as ingest.index.lexical.highlight_spans(query, text), computed with two caches: the words of a
# text (node texts recur across queries) and whether a text word matches a query's words.

TextWords = tuple[str, tuple[tuple[int, int, str, str], ...], tuple[int, ...], dict[str, tuple[int, ...]]]


@lru_cache(maxsize=65_536)
def _text_words(text: str) -> TextWords:
    """The words of ``text`` that highlighting considers, as ``(start, end, word, stem)``, those words joined by
    spaces (to find the query's forms in a whole text at once), where each word starts in the joined text, and
    the positions of the words of each stem (so that a query's stems are looked up, not every word compared)."""
    words = tuple((start, end, w, stem(w)) for start, end, w in word_spans(text) if _keep(w))
    offsets = tuple(accumulate((len(w[2]) + 1 for w in words[:-1]), initial=0)) if words else ()
    by_stem: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        by_stem.setdefault(w[3], []).append(i)
    return " ".join(w[2] for w in words), words, offsets, {st: tuple(ix) for st, ix in by_stem.items()}


def highlighter(query: str) -> Callable[[str], list[tuple[int, int]]]:
    """A function ``text → highlight_spans(query, text)`` for one query, with the query analysed once.

    A word matches by stem, or as a compound part. The part test (``_part_match``) can only succeed when the
    query word or its stem (of at least ``MIN_PART`` letters) occurs inside the word, so only the words in
    which such a form is found (by searching the text's joined words, a form holding no space) get it, each
    distinct word once per query; the others are settled by the stem test alone. The words and stems of a
    text are cached across queries.
    """
    terms = frozenset((w, stem(w)) for w in query_words(query))
    stems = frozenset(s for _, s in terms)
    forms = tuple({f for pair in terms for f in pair if len(f) >= MIN_PART})
    decided: dict[str, bool] = {}

    def part(word: str) -> bool:
        hit = decided.get(word)
        if hit is None:
            hit = any(_part_match(word, w, s) for w, s in terms)
            decided[word] = hit
        return hit

    def holding_a_form(joined: str, offsets: tuple[int, ...]) -> set[int]:
        """Positions of the words in which a form occurs."""
        found: set[int] = set()
        for form in forms:
            at = joined.find(form)
            while at != -1:
                i = bisect_right(offsets, at) - 1
                found.add(i)
                at = joined.find(form, offsets[i + 1]) if i + 1 < len(offsets) else -1
        return found

    def spans(text: str) -> list[tuple[int, int]]:
        if not terms:
            return []
        joined, words, offsets, by_stem = _text_words(text)
        hits = {i for st in stems for i in by_stem.get(st, ())}
        hits.update(i for i in holding_a_form(joined, offsets) if part(words[i][2]))
        return [(words[i][0], words[i][1]) for i in sorted(hits)]

    return spans


RowParts = tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]


def _node_ref(gen: Generation, node: NodeRecord) -> RowParts:
    """The document, ancestors and source of a result row, as the response's JSON values (built once per node
    and generation; shared, never modified)."""
    cached: RowParts | None = gen.row_cache.get(node.id)
    if cached is None:
        doc = gen.documents[node.doc]
        cached = ({"id": doc.id, "title": doc.title, "municipality": doc.municipality, "year": doc.year},
                  [{"id": a.id, "type": a.type, "label": a.label} for a in node.ancestors],
                  {"file": node.source.file, "start": node.source.start, "end": node.source.end})
        gen.row_cache.put(node.id, cached)
    return cached


def search(gen: Generation, p: SearchParams) -> SearchResponse:
    """Answer one search; results cached per generation, keyed by the parameters."""
    check_params(gen, p)
    cached = gen.result_cache.get(p)
    if cached is not None:
        return cached
    ranked, retrieval = rank_retrieved(gen, p)
    response = SearchResponse.model_construct(query=p.q, mode=Mode(p.mode), results=results_for(gen, p, ranked),
                                              match=match_quality(retrieval, len(ranked)))
    gen.result_cache.put(p, response)
    return response


def search_body(gen: Generation, p: SearchParams, query: str, interpreted: Interpretation | None) -> bytes:
    """The JSON of ``search(gen, p)`` with ``query`` and ``interpreted`` set, byte for byte what
    ``SearchResponse.model_dump_json(by_alias=True)`` writes, made without building the response models: the
    rows as plain values (:func:`result_rows`) serialised by pydantic's own serializer (``pydantic_core.to_json``:
    the same float and string formatting). Not kept in the result cache (the caller caches the bytes)."""
    check_params(gen, p)
    cached: SearchResponse | None = gen.result_cache.get(p)
    if cached is not None:
        response = cached.model_copy(update={"query": query, "interpreted": interpreted})
        return response.model_dump_json(by_alias=True).encode()
    ranked, retrieval = rank_retrieved(gen, p)
    head = to_json({"query": query, "mode": Mode(p.mode).value, "interpreted": interpreted,
                    "match": match_quality(retrieval, len(ranked))})
    return head[:-1] + b',"results":' + result_json(gen, p, ranked) + b"}"


RowJson = tuple[bytes, bytes, bytes]


def _row_json(gen: Generation, node: NodeRecord) -> RowJson:
    """The JSON of a node's result rows around what each search puts in (built once per node and generation):
    ``{"id":…,"type":…,"label":…,"text":…,"score":`` (also the opening of an evidence entry), then
    ``,"document":…,"ancestors":…,"evidence":`` and ``,"source":…,"highlights":``."""
    cached: RowJson | None = gen.json_rows.get(node.id)
    if cached is None:
        document, ancestors, source = _node_ref(gen, node)
        own = to_json({"id": node.id, "type": node.type, "label": node.label, "text": node.text})
        cached = (own[:-1] + b',"score":', b',"document":' + to_json(document) + b',"ancestors":'
                  + to_json(ancestors) + b',"evidence":', b',"source":' + to_json(source) + b',"highlights":')
        gen.json_rows.put(node.id, cached)
    return cached


def _spans_json(spans: list[tuple[int, int]]) -> bytes:
    """``to_json(spans)`` for (start, end) pairs of ints, without a call into the serializer per list."""
    return b"[" + b",".join(b"[%d,%d]" % span for span in spans) + b"]"


def result_json(gen: Generation, p: SearchParams, ranked: Ranked) -> bytes:
    """``to_json(result_rows(gen, p, ranked))``, byte for byte, from per-node pieces (:func:`_row_json`): a node's
    text, label, document, ancestors and source are serialised once per generation, not in every response that
    shows it. All scores of the response are formatted by one serializer call."""
    scores = [round(score, 6) for _, score, _ in ranked] + [round(float(s), 6) for _, _, ev in ranked for _, s in ev]
    formatted = to_json(scores)[1:-1].split(b",") if scores else []
    row_scores, evidence_scores = formatted[:len(ranked)], iter(formatted[len(ranked):])
    spans = highlighter(p.q)
    nodes = gen.nodes
    rows: list[bytes] = []
    for (pos, score, ev), row_score in zip(ranked, row_scores, strict=True):
        evidence = []
        for i, _ in ev:
            n = nodes[i]
            evidence.append(_row_json(gen, n)[0] + next(evidence_scores) + b',"highlights":'
                            + _spans_json(spans(n.text)) + b"}")
        if pos < 0:  # a document's row (roll-up to documents): rare, written whole
            doc = gen.doc_list[-1 - pos]
            row = to_json({"id": doc.iri, "type": "StrategyDocument", "label": doc.title, "text": doc.title,
                           "score": round(score, 6),
                           "document": {"id": doc.id, "title": doc.title, "municipality": doc.municipality,
                                        "year": doc.year},
                           "ancestors": [], "evidence": [], "source": {"file": doc.file, "start": 0, "end": 0},
                           "highlights": spans(doc.title)})
            rows.append(row.replace(b',"evidence":[]', b',"evidence":[' + b",".join(evidence) + b"]", 1))
            continue
        head, middle, tail = _row_json(gen, nodes[pos])
        rows.append(head + row_score + middle + b"[" + b",".join(evidence) + b"]" + tail
                    + _spans_json(spans(nodes[pos].text)) + b"}")
    return b"[" + b",".join(rows) + b"]"


def results_for(gen: Generation, p: SearchParams, ranked: Ranked) -> list[SearchResult]:
    """The response rows for ranked positions (:func:`result_rows`) as models."""
    return [SearchResult.model_validate(row) for row in result_rows(gen, p, ranked)]


def result_rows(gen: Generation, p: SearchParams, ranked: Ranked) -> list[dict[str, Any]]:
    """The response rows for ranked positions as the JSON values of :class:`~service.schemas.SearchResult`, in
    its field order: the graph context (document, ancestors, source, evidence) and highlights."""
    spans = highlighter(p.q)
    rows: list[dict[str, Any]] = []
    nodes = gen.nodes
    for pos, score, ev in ranked:
        evidence = []
        for i, s in ev:
            n = nodes[i]
            evidence.append({"id": n.id, "type": n.type, "label": n.label, "text": n.text,
                             "score": round(float(s), 6), "highlights": spans(n.text)})
        if pos < 0:
            doc = gen.doc_list[-1 - pos]
            rows.append({
                "id": doc.iri, "type": "StrategyDocument", "label": doc.title, "text": doc.title,
                "score": round(score, 6),
                "document": {"id": doc.id, "title": doc.title, "municipality": doc.municipality, "year": doc.year},
                "ancestors": [], "evidence": evidence, "source": {"file": doc.file, "start": 0, "end": 0},
                "highlights": spans(doc.title)})
            continue
        node = nodes[pos]
        document, ancestors, source = _node_ref(gen, node)
        rows.append({"id": node.id, "type": node.type, "label": node.label, "text": node.text,
                     "score": round(score, 6), "document": document, "ancestors": ancestors, "evidence": evidence,
                     "source": source, "highlights": spans(node.text)})
    return rows

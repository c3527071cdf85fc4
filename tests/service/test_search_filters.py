"""Filtered search is exact: the service's answer under a filter equals the exhaustive filtered search (every
selected node scored by numpy on the vector side and by its keyword score on the keyword side, each ranking cut
at the fetch depth, fused), at 100k nodes and on the real bundled build."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.index.vector import RowSelection
from ontology.node_types import REFERENCES
from service.generation import Generation
from service.schemas import Mode
from service.search import (
    PHRASE_CANDIDATES,
    RRF_K,
    SEMANTIC_WEIGHT,
    SearchParams,
    _fetch_size,
    add_phrase_evidence,
    bm25_ranking,
    fuse,
    fused_scores,
    keyword_scores,
    rank,
    selection_for,
    vector_ranking,
)
from tests.national import N, exhaustive_filtered, narrow_masks, national, random_unit

Ranking = tuple[np.ndarray, np.ndarray]


def exhaustive_keyword(bm25: np.ndarray, mask: np.ndarray, depth: int) -> Ranking:
    """Every selected node with a positive BM25 score, best first, ties by position, cut at ``depth``."""
    hits = np.flatnonzero(mask & (bm25 > 0))
    order = np.lexsort((hits, -bm25[hits]))[:depth]
    return hits[order], bm25[hits[order]]


def exhaustive_fused(n: int, mode: Mode, semantic: Ranking, keyword: Ranking) -> np.ndarray:
    """Per-node scores as the service defines them: similarity, BM25, or reciprocal-rank fusion of both."""
    scores = np.zeros(n, dtype=np.float64)
    if mode is Mode.semantic:
        scores[semantic[0]] = semantic[1]
    elif mode is Mode.keyword:
        scores[keyword[0]] = keyword[1]
    else:
        for ids, weight in ((semantic[0], SEMANTIC_WEIGHT), (keyword[0], 1.0)):
            for rank_, i in enumerate(ids.tolist(), start=1):
                scores[i] += weight / (RRF_K + rank_)
    return scores


def top(scores: np.ndarray, allowed: np.ndarray, k: int) -> list[int]:
    """The ``k`` best allowed positions with a positive score, by score then position."""
    hits = np.flatnonzero((scores > 0) & allowed)
    return hits[np.lexsort((hits, -scores[hits]))][:k].tolist()


# ------------------------------------------------------------------------------------------ 100k nodes

@pytest.mark.parametrize("mode", [Mode.hybrid, Mode.semantic, Mode.keyword])
def test_filtered_search_at_100k_nodes_equals_the_exhaustive_filtered_top_10(mode: Mode) -> None:
    data = national()
    depth = _fetch_size(N, 10)
    assert depth == 1000 and data.index.kind == "hnsw"
    queries = random_unit(12, seed=11)
    words = ["netværk", "ensomhed blandt ældre", "sundhed og trivsel", "biodiversitet", "borger",
             "digitalisering af velfærd", "tilgængelighed", "foreningsliv i landdistrikter", "klima energi",
             "demens pårørende", "skole", "musik kunst museum"]
    for name, mask in narrow_masks(seed=8).items():
        selection = RowSelection(mask)
        for qv, text in zip(queries, words, strict=True):
            bm25 = data.lexical.scores(text)
            assert np.count_nonzero(bm25 > 0) > depth  # more keyword hits than the cut: filter before it
            semantic = vector_ranking(data.index, qv[None, :], selection, depth) if mode is not Mode.keyword else None
            keyword = bm25_ranking(bm25, selection.mask, depth) if mode is not Mode.semantic else None
            scores, _ = fuse(N, mode, semantic, keyword)
            want = exhaustive_fused(N, mode, exhaustive_filtered(data.vectors, qv, mask, depth),
                                    exhaustive_keyword(bm25, mask, depth))
            got_top, want_top = top(scores, mask, 10), top(want, mask, 10)
            assert got_top == want_top, f"{name}, {text!r}"
            if mode is Mode.hybrid:  # every selected row is ranked on the vector side: never fewer than 10
                assert len(got_top) == min(10, int(mask.sum()))
            # a swap of two similarities closer than float32 resolves, deep in the ranking, moves their
            # reciprocal ranks by about 1e-6
            np.testing.assert_allclose(scores, want, rtol=0, atol=1e-5)


# ------------------------------------------------------------------------------------------ bundled build

QUERIES = ["netværk", "fællesskaber", "velfærdsteknologi", "inddragelse af pårørende", "ensomhed",
           "frivillige foreninger", "mennesker med handicap", "bolig"]


def _reference_mask(gen: Generation, p: SearchParams) -> np.ndarray:
    """The nodes a filter keeps, computed from the records (independently of the service's masks)."""
    keep = []
    for node in gen.nodes:
        doc = gen.documents[node.doc]
        keep.append((p.municipality is None or doc.municipality == p.municipality.lower())
                    and (p.document is None or doc.id == p.document)
                    and (p.year_from is None or doc.year >= p.year_from)
                    and (p.year_to is None or doc.year <= p.year_to)
                    and (not p.types or set(p.types) <= {"Track", "Bearing", "Principle", "FocusArea", "Goal",
                                                         "Vision", "Section", "Activity", "Document"}
                         or node.type in p.types))
    return np.array(keep, dtype=bool)


def _reference_scores(gen: Generation, p: SearchParams) -> np.ndarray:
    mask = _reference_mask(gen, p)
    depth = _fetch_size(len(gen.nodes), 10)
    qv = gen.embed_query(p.q).astype(np.float32)
    semantic = exhaustive_filtered(gen.vectors.astype(np.float32), qv, mask, depth)
    kw, coverage = keyword_scores(gen, p.q)
    keyword = exhaustive_keyword(kw, mask, depth)
    scores = exhaustive_fused(len(gen.nodes), Mode(p.mode), semantic, keyword)
    if Mode(p.mode) is Mode.hybrid:  # phrase evidence among the first keyword candidates of the selection
        add_phrase_evidence(gen, p.q, keyword[0][:PHRASE_CANDIDATES], coverage, scores)
    return scores


def _narrow_filters(gen: Generation) -> list[dict[str, object]]:
    """The smallest document; the rarest non-container type; the rarest type within one municipality;
    the earliest year; two leaf types."""
    sizes = np.bincount(gen.doc_of, minlength=len(gen.doc_list))
    smallest = gen.doc_list[int(np.argmin(np.where(sizes > 0, sizes, 1 << 30)))]
    counts: dict[str, int] = {}
    for node in gen.nodes:
        if node.type not in {"Track", "Bearing", "Principle", "FocusArea", "Goal", "Vision", "Section",
                             "Activity"} | REFERENCES:
            counts[node.type] = counts.get(node.type, 0) + 1
    rarest = min(counts, key=lambda t: (counts[t], t))
    first_year = min(d.year for d in gen.doc_list)
    municipality = gen.doc_list[0].municipality
    return [{"document": smallest.id}, {"types": (rarest,)}, {"municipality": municipality, "types": (rarest,)},
            {"year_to": first_year}, {"types": ("Statement", "Passage"), "document": smallest.id}]


@pytest.mark.parametrize("mode", [Mode.hybrid, Mode.semantic, Mode.keyword])
def test_narrow_filters_on_the_bundled_build_equal_the_exhaustive_filtered_ranking(generation: Generation,
                                                                                  mode: Mode) -> None:
    for filters in _narrow_filters(generation):
        for q in QUERIES:
            p = SearchParams(q=q, k=10, mode=mode, **filters)  # type: ignore[arg-type]
            want = _reference_scores(generation, p)
            allowed = _reference_mask(generation, p)
            if not p.types:
                allowed &= np.array([n.type not in REFERENCES for n in generation.nodes])
            got = [pos for pos, _, _ in rank(generation, p)]
            assert got == top(want, allowed, p.k), (filters, q)
            assert all(allowed[pos] for pos in got)


def test_a_narrow_type_is_filtered_before_ranking(generation: Generation) -> None:
    """Every node of a rare type in the filter has a similarity, so semantic search returns all of them
    (up to k): none is pushed out of the ranking by nodes of other types."""
    filters = _narrow_filters(generation)[1]
    wanted = _reference_mask(generation, SearchParams(q="x", **filters))  # type: ignore[arg-type]
    response = rank(generation, SearchParams(q="netværk", k=100, mode=Mode.semantic, **filters))  # type: ignore[arg-type]
    assert len(response) == min(100, int(wanted.sum())) > 0


@pytest.mark.parametrize("types", [("Track",), ("Principle", "FocusArea")])
def test_rollup_under_a_document_filter_scores_as_the_exhaustive_search(generation: Generation,
                                                                        types: tuple[str, ...]) -> None:
    """Roll-up ranks containers by their own and their descendants' scores: those scores equal the
    exhaustive filtered ones (descendants of every type, within the document filter)."""
    for doc in generation.doc_list:
        for q in QUERIES[:4]:
            for mode in Mode:
                p = SearchParams(q=q, types=types, document=doc.id, mode=mode)
                scores, _ = fused_scores(generation, p, selection_for(generation, p))
                np.testing.assert_allclose(scores, _reference_scores(generation, p), rtol=0, atol=1e-6)


def test_selections_are_cached_per_filter(generation: Generation) -> None:
    p = SearchParams(q="netværk", types=("Statement",), municipality=generation.doc_list[0].municipality)
    first = selection_for(generation, p)
    assert selection_for(generation, SearchParams(q="bolig", types=("Statement",),
                                                  municipality=p.municipality)) is first
    assert not first.mask.flags.writeable
    rollup = selection_for(generation, SearchParams(q="netværk", types=("Track",)))
    assert rollup.everything  # roll-up ranks descendants of every type

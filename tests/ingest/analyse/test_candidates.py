"""Overlap candidates from the vector index: on the bundled build, aligning only the candidate pairs gives
exactly the alignments, listed overlaps and container scores of scoring every pair of documents (the
reference below is the analysis's former all-pairs alignment, kept here only as the yardstick)."""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from ingest.analyse import candidates as cand
from ingest.analyse import overlap_detection as ov
from ingest.analyse.topic_tagging import TopicTag, analyse_text, by_node, load_topics, tag_nodes
from ingest.index.lexical import CompoundSplitter
from ingest.records import NodeRecord

if TYPE_CHECKING:
    from service.generation import Generation


# --------------------------------------------------------------------------- the all-pairs reference
def _topic_matrix(nodes: Sequence[NodeRecord], tags: Mapping[str, Mapping[str, TopicTag]],
                  rows_a: Sequence[int], rows_b: Sequence[int]) -> np.ndarray:
    topics = sorted({t for n in (*rows_a, *rows_b) for t in ov._own_tags(tags, nodes[n])})
    if not topics:
        return np.zeros((len(rows_a), len(rows_b)))
    ca = np.array([[ov._own_tags(tags, nodes[n]).get(t, 0.0) for t in topics] for n in rows_a])
    cb = np.array([[ov._own_tags(tags, nodes[n]).get(t, 0.0) for t in topics] for n in rows_b])
    return np.asarray(np.minimum(ca[:, None, :], cb[None, :, :]).max(axis=2))


def align_all_pairs(nodes: Sequence[NodeRecord], units: Sequence[ov.Unit], unit_vectors: np.ndarray,
                    tags: Mapping[str, Mapping[str, TopicTag]], splitter: CompoundSplitter | None,
                    params: ov.OverlapParams, scored: list[tuple[int, int, float]] | None = None) -> list[ov.Alignment]:
    """Every cross-document pair of unit nodes scored, for every pair of documents (the analysis before
    candidates; cosines in float64 as the candidate scoring computes them); with ``scored``, every node pair's
    score is appended to it."""
    terms = ov._TermTable([analyse_text(u.text, splitter) for u in units])
    doc_order = list(dict.fromkeys(n.doc for n in nodes))
    unit_doc = np.array([doc_order.index(nodes[u.node].doc) for u in units], dtype=np.int64)
    unit_node = np.array([u.node for u in units], dtype=np.int64)
    vectors = np.asarray(unit_vectors, dtype=np.float64)
    out: list[ov.Alignment] = []
    for da in range(len(doc_order)):
        for db in range(da + 1, len(doc_order)):
            ua, ub = np.flatnonzero(unit_doc == da), np.flatnonzero(unit_doc == db)
            if ua.size == 0 or ub.size == 0:
                continue
            cos = vectors[ua] @ vectors[ub].T
            emb = np.clip((cos - params.cos_low) / (params.cos_high - params.cos_low), 0.0, 1.0)
            lex = terms.overlap(ua, ub)
            na, nb = sorted(set(unit_node[ua].tolist())), sorted(set(unit_node[ub].tolist()))
            row_a, row_b = {n: k for k, n in enumerate(na)}, {n: k for k, n in enumerate(nb)}
            ia = np.array([row_a[n] for n in unit_node[ua]])
            ib = np.array([row_b[n] for n in unit_node[ub]])
            top = _topic_matrix(nodes, tags, na, nb)[np.ix_(ia, ib)]
            unit_score = params.w_embedding * emb + params.w_lexical * lex + params.w_topic * top
            score = np.full((len(na), len(nb)), -1.0)
            best = np.zeros((len(na), len(nb), 2), dtype=np.int64)
            for x in range(len(ua)):
                for y in range(len(ub)):
                    if unit_score[x, y] > score[ia[x], ib[y]]:
                        score[ia[x], ib[y]] = unit_score[x, y]
                        best[ia[x], ib[y]] = (x, y)
            best_of_a, best_of_b = score.argmax(axis=1), score.argmax(axis=0)
            for r in range(len(na)):
                for c in range(len(nb)):
                    s = float(score[r, c])
                    if scored is not None:
                        scored.append((na[r], nb[c], min(1.0, s)))
                    mutual = bool(best_of_a[r] == c and best_of_b[c] == r)
                    if not (s >= params.threshold or (mutual and s >= params.mnn_floor)):
                        continue
                    x, y = best[r, c]
                    out.append(ov.Alignment(a=na[r], b=nb[c], score=round(min(1.0, s), 4),
                                            cosine=round(float(cos[x, y]), 4), lexical=round(float(lex[x, y]), 4),
                                            topic=round(float(top[x, y]), 4), mutual=mutual,
                                            unit_a=int(ua[x]), unit_b=int(ub[y])))
    return out


# --------------------------------------------------------------------------- fixtures
class Inputs:
    def __init__(self, generation: Generation, cache_file: Path) -> None:
        from ingest.embed.cache import EmbeddingCache, embed_queries_cached
        from ingest.index.stage import lexical_text

        self.nodes = generation.nodes
        self.splitter = CompoundSplitter.from_texts([lexical_text(n) for n in self.nodes])
        scheme = load_topics()
        with EmbeddingCache(cache_file) as cache:
            topic_vectors, _ = embed_queries_cached(generation.embedder, [t.embedding_text() for t in scheme], cache)
            self.units = ov.alignment_units(self.nodes)
            self.unit_vectors, computed = ov.embed_units(self.units, generation.vectors, generation.embedder, cache)
        assert computed == 0, "the build's cache holds every sentence already"
        self.tags = by_node(tag_nodes(self.nodes, generation.vectors, scheme, topic_vectors, self.splitter))


@pytest.fixture(scope="module")
def inputs(generation: Generation, build_dir: Path) -> Inputs:
    return Inputs(generation, build_dir / "cache" / "embeddings.sqlite")


def _key(al: ov.Alignment) -> tuple[int, int]:
    return al.a, al.b


# --------------------------------------------------------------------------- equivalence on the bundled build
def test_candidate_alignments_equal_the_all_pairs_alignments_on_the_bundled_build(inputs: Inputs) -> None:
    p = ov.DEFAULT_PARAMS
    got = ov.align(inputs.nodes, inputs.units, inputs.unit_vectors, inputs.tags, inputs.splitter, p)
    want = align_all_pairs(inputs.nodes, inputs.units, inputs.unit_vectors, inputs.tags, inputs.splitter, p)
    assert len(want) > 300, "the bundled build aligns a few hundred pairs"
    assert [_key(al) for al in got.alignments] == [_key(al) for al in want], "same pairs, same order"
    assert got.alignments == want, "same scores, parts, mutual flags and matching sentences"
    per_doc = Counter(inputs.nodes[n].doc for n in {u.node for u in inputs.units})
    all_pairs = sum(per_doc[x] * per_doc[y] for x in per_doc for y in per_doc if x < y)
    assert got.candidates["node_pairs"] < all_pairs / 2, "the candidates are a fraction of all pairs"


def test_candidate_overlaps_and_container_scores_equal_the_all_pairs_ones(inputs: Inputs,
                                                                         generation: Generation) -> None:
    """Container coverage takes each unit's best match from the candidate pairs only; scoring every pair
    gives the same listed overlaps and container scores (a unit's best match in a container is among its
    nearest units in that document whenever it counts)."""
    p = ov.DEFAULT_PARAMS
    got = ov.align(inputs.nodes, inputs.units, inputs.unit_vectors, inputs.tags, inputs.splitter, p)
    every: list[tuple[int, int, float]] = []
    reference = ov.AlignmentResult(units=got.units, terms=got.terms, alignments=align_all_pairs(
        inputs.nodes, inputs.units, inputs.unit_vectors, inputs.tags, inputs.splitter, p, every),
        scored=np.array(every, dtype=np.float64))
    listed, scores = ov.build_overlaps(inputs.nodes, got, inputs.tags, generation.vectors, p)
    listed_ref, scores_ref = ov.build_overlaps(inputs.nodes, reference, inputs.tags, generation.vectors, p)
    assert [o.as_dict() for o in listed] == [o.as_dict() for o in listed_ref]
    assert scores == scores_ref
    assert sum(1 for o in listed if o.kind == ov.KIND_CONTAINER) > 50


def test_candidates_hold_every_pair_that_reaches_the_mutual_neighbour_floor(inputs: Inputs) -> None:
    """The condition under which candidate alignment is exact: no node pair scoring at least
    ``min(threshold, mnn_floor)`` is missing from the candidates (else a node's best partner could be
    missed, and a weaker pair taken for a mutual nearest neighbour)."""
    p = ov.DEFAULT_PARAMS
    floor = replace(p, threshold=min(p.threshold, p.mnn_floor))
    got = ov.align(inputs.nodes, inputs.units, inputs.unit_vectors, inputs.tags, inputs.splitter, floor)
    want = align_all_pairs(inputs.nodes, inputs.units, inputs.unit_vectors, inputs.tags, inputs.splitter, floor)
    assert {_key(al) for al in want} <= {_key(al) for al in got.alignments}


def test_cosine_alone_would_miss_kept_pairs(inputs: Inputs) -> None:
    """Why the proxy vector carries terms and topics: the embedding's own nearest neighbours at the same
    ``k`` do not hold every kept pair of the bundled build."""
    layout = ov._Layout.of(inputs.nodes, inputs.units)
    near = cand.nearest_in_other_documents(np.asarray(inputs.unit_vectors), layout.node_doc[layout.unit_node],
                                           ov.DEFAULT_PARAMS.candidates_k)
    a, b = ov._node_pairs(near, layout)
    by_cosine = set(zip(a.tolist(), b.tolist(), strict=True))
    kept = align_all_pairs(inputs.nodes, inputs.units, inputs.unit_vectors, inputs.tags, inputs.splitter,
                           ov.DEFAULT_PARAMS)
    assert {_key(al) for al in kept} - by_cosine


# --------------------------------------------------------------------------- the candidate index itself
def _unit_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return np.asarray(v / np.linalg.norm(v, axis=1, keepdims=True), dtype=np.float32)


def test_nearest_in_other_documents_is_the_exact_top_k_below_the_threshold() -> None:
    vectors = _unit_vectors(300, 16, seed=1)
    doc = np.repeat(np.arange(6), 50)
    got = cand.nearest_in_other_documents(vectors, doc, 5)
    sims = vectors @ vectors.T
    sims[doc[:, None] == doc[None, :]] = -np.inf
    want = np.argsort(-sims, axis=1, kind="stable")[:, :5]
    assert got.shape == (300 * 5, 2)
    for unit in range(300):
        found = got[got[:, 0] == unit, 1]
        assert set(found.tolist()) == set(want[unit].tolist())


def test_nearest_in_other_documents_never_returns_the_own_document_on_hnsw() -> None:
    vectors = _unit_vectors(400, 16, seed=2)
    doc = np.repeat(np.arange(4), 100)
    got = cand.nearest_in_other_documents(vectors, doc, 10, threshold=0)  # threshold 0: HNSW
    assert got.shape[0] == 400 * 10
    assert not np.any(doc[got[:, 0]] == doc[got[:, 1]])


def test_a_single_document_has_no_candidates() -> None:
    got = cand.nearest_in_other_documents(_unit_vectors(20, 8, seed=3), np.zeros(20, dtype=np.int64), 5)
    assert got.shape == (0, 2)


def test_term_buckets_are_stable_across_processes() -> None:
    """A CRC-32 of the term, not Python's per-process salted ``hash``."""
    bucket, sign = cand.term_bucket("borger", 512)
    assert bucket == zlib.crc32(b"borger") % 512 and sign in (1.0, -1.0)

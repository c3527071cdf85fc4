"""Persistent embedding cache: sqlite3 file keyed by sha256(embedder name, role, text).

Rebuilding a graph whose texts barely changed then embeds only the new or edited passages. The file is
in WAL mode, so any number of readers (other processes included) can read while one writer writes;
within a process one connection is shared under a lock. Vectors are stored as raw float32 bytes.

The key includes the embedder's ``name`` (model and prompting) and the role ("query"/"passage"), so
switching models never returns stale vectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from ingest.embed.base import Embedder, check_texts
from ingest.sqlitecache import SqliteCache

__all__ = ["EmbeddingCache", "cache_key", "embed_passages_cached", "embed_queries_cached"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    key BLOB PRIMARY KEY,
    dim INTEGER NOT NULL,
    vec BLOB NOT NULL
) WITHOUT ROWID
"""


def cache_key(embedder_name: str, role: str, text: str) -> bytes:
    """sha256 over the three fields, NUL-separated (a NUL cannot occur in the name or role)."""
    h = hashlib.sha256()
    h.update(embedder_name.encode("utf-8"))
    h.update(b"\0")
    h.update(role.encode("utf-8"))
    h.update(b"\0")
    h.update(text.encode("utf-8"))
    return h.digest()


class EmbeddingCache(SqliteCache):
    """A sqlite3-backed map from :func:`cache_key` to a float32 vector."""

    what = "embedding cache"

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, _SCHEMA)

    def get_many(self, keys: Sequence[bytes], dim: int | None = None) -> dict[bytes, np.ndarray]:
        """Cached vectors for those ``keys`` that are present (and, if given, of dimension ``dim``)."""
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for key, d, blob in self._select_in("SELECT key, dim, vec FROM embeddings WHERE key IN ({marks})", unique):
            if dim is not None and d != dim:
                continue
            vec = np.frombuffer(blob, dtype=np.float32)
            if vec.shape[0] == d:
                found[bytes(key)] = vec
        return found

    def put_many(self, items: Mapping[bytes, np.ndarray] | Iterable[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors (overwriting existing keys) in one transaction."""
        pairs = items.items() if isinstance(items, Mapping) else items
        rows = []
        for key, vec in pairs:
            arr = np.ascontiguousarray(vec, dtype=np.float32).reshape(-1)
            rows.append((key, int(arr.shape[0]), arr.tobytes()))
        if not rows:
            return
        with self._lock, self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO embeddings (key, dim, vec) VALUES (?, ?, ?)", rows)

    def __len__(self) -> int:
        with self._lock:
            (n,) = self._conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()
        return int(n)


STORE_EVERY = 4096
"""Misses are embedded and written to the cache in chunks of this many texts (each chunk is one model call,
which batches internally, so the chunking costs nothing measurable beside the model)."""


def _embed_cached(embedder: Embedder, texts: Sequence[str], cache: EmbeddingCache, role: str) -> tuple[np.ndarray, int]:
    items = check_texts(texts)
    dim = embedder.dim
    keys = [cache_key(embedder.name, role, t) for t in items]
    hits = cache.get_many(keys, dim=dim)
    # unique misses, in first-occurrence order; each is embedded once even if repeated in ``texts``
    misses: dict[bytes, str] = {}
    for key, text in zip(keys, items, strict=True):
        if key not in hits and key not in misses:
            misses[key] = text
    # Embedded and stored a chunk at a time: an interrupted build of a large corpus keeps what it computed.
    miss_keys = list(misses)
    for start in range(0, len(miss_keys), STORE_EVERY):
        chunk = miss_keys[start:start + STORE_EVERY]
        batch = [misses[k] for k in chunk]
        vecs = embedder.embed_queries(batch) if role == "query" else embedder.embed_passages(batch)
        new = dict(zip(chunk, vecs, strict=True))
        cache.put_many(new)
        hits.update(new)
    out = np.empty((len(items), dim), dtype=np.float32)
    for i, key in enumerate(keys):
        out[i] = hits[key]
    return out, len(misses)


def embed_passages_cached(embedder: Embedder, texts: Sequence[str], cache: EmbeddingCache) -> tuple[np.ndarray, int]:
    """Embed passages, computing only the cache misses (in chunks of ``STORE_EVERY``, each stored as it is done).

    Returns ``(vectors, n_computed)`` where ``n_computed`` counts distinct texts actually embedded.
    """
    return _embed_cached(embedder, texts, cache, "passage")


def embed_queries_cached(embedder: Embedder, texts: Sequence[str], cache: EmbeddingCache) -> tuple[np.ndarray, int]:
    """As :func:`embed_passages_cached`, for queries (a separate role in the key)."""
    return _embed_cached(embedder, texts, cache, "query")

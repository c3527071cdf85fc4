"""The similarity reference of the index stage: built from random-letter queries, saved, loaded, and telling a
meaningful query from a meaningless one on the bundled build."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest.index.stage import REFERENCE_FILE, SimilarityReference, reference_queries


def test_reference_queries_are_deterministic_random_letters() -> None:
    queries = reference_queries(20)
    assert queries == reference_queries(20) and len(set(queries)) == 20
    assert all(q.replace(" ", "").isalpha() for q in queries)


def test_reference_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    reference = rng.normal(size=(40, 8)).astype(np.float32)
    ref = SimilarityReference.build(vectors, reference)
    ref.save(tmp_path / REFERENCE_FILE)
    loaded = SimilarityReference.load(tmp_path / REFERENCE_FILE)
    assert loaded is not None and loaded.threshold == ref.threshold and loaded.offset == ref.offset
    np.testing.assert_array_equal(loaded.std, ref.std)
    assert SimilarityReference.load(tmp_path / "missing.npz") is None


def test_distinctness_separates_a_real_query_from_nonsense(generation) -> None:  # type: ignore[no-untyped-def]
    ref = generation.indexes.reference
    assert ref is not None and len(ref.mean) == len(generation.nodes)
    rows = np.arange(len(generation.nodes))

    def distinctness(q: str) -> float:
        qv = generation.embed_query(q).astype(np.float32)
        return ref.distinctness(qv, rows, generation.vectors @ qv)

    assert distinctness("xqzvbrtl") < ref.threshold < distinctness("bostøtte efter serviceloven")

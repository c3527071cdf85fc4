"""VectorIndex over real FAISS."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from ingest.errors import BuildError
from ingest.index import DEFAULT_THRESHOLD, VectorIndex


def _clustered(n: int, d: int, n_queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((200, d)).astype(np.float32)
    x = centers[rng.integers(0, 200, n)] + 0.8 * rng.standard_normal((n, d)).astype(np.float32)
    q = centers[rng.integers(0, 200, n_queries)] + 0.8 * rng.standard_normal((n_queries, d)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return x, q


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return _clustered(DEFAULT_THRESHOLD, 384, 200)


@pytest.fixture(scope="module")
def flat(data: tuple[np.ndarray, np.ndarray]) -> VectorIndex:
    return VectorIndex.build(data[0], kind="flat")


@pytest.fixture(scope="module")
def auto_large(data: tuple[np.ndarray, np.ndarray]) -> VectorIndex:
    return VectorIndex.build(data[0])  # 20 000 vectors: at the threshold, so hnsw


def _recall(approx: np.ndarray, exact: np.ndarray) -> float:
    return float(np.mean([len(set(a) & set(e)) / len(e) for a, e in zip(approx, exact, strict=True)]))


def test_hnsw_recall_at_10_against_flat(data: tuple[np.ndarray, np.ndarray], flat: VectorIndex,
                                        auto_large: VectorIndex) -> None:
    _, q = data
    assert auto_large.kind == "hnsw" and flat.kind == "flat"
    _, exact = flat.search(q, 10)
    _, approx = auto_large.search(q, 10)
    assert _recall(approx, exact) >= 0.95


def test_flat_is_exact(data: tuple[np.ndarray, np.ndarray], flat: VectorIndex) -> None:
    x, q = data
    scores, ids = flat.search(q[:5], 3)
    brute = q[:5] @ x.T
    np.testing.assert_array_equal(ids[:, 0], brute.argmax(axis=1))
    np.testing.assert_allclose(scores[:, 0], brute.max(axis=1), rtol=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first


def test_ivf_recall(data: tuple[np.ndarray, np.ndarray], flat: VectorIndex) -> None:
    x, q = data
    ivf = VectorIndex.build(x[:5000], kind="ivf")
    assert ivf.kind == "ivf" and ivf.ntotal == 5000
    _, exact = VectorIndex.build(x[:5000], kind="flat").search(q, 10)
    _, approx = ivf.search(q, 10)
    assert _recall(approx, exact) >= 0.9


def test_auto_picks_kind_by_size() -> None:
    x, _ = _clustered(300, 32, 1)
    assert VectorIndex.build(x[:99], threshold=100).kind == "flat"
    assert VectorIndex.build(x[:100], threshold=100).kind == "hnsw"
    assert VectorIndex.build(x).kind == "flat"  # default threshold 20 000
    assert VectorIndex.choose_kind(DEFAULT_THRESHOLD - 1) == "flat"
    assert VectorIndex.choose_kind(DEFAULT_THRESHOLD) == "hnsw"
    with pytest.raises(ValueError, match="unknown index kind"):
        VectorIndex.build(x, kind="lsh")


def test_missing_slots_are_minus_one() -> None:
    x, q = _clustered(5, 16, 2)
    for kind in ("flat", "hnsw"):
        index = VectorIndex.build(x, kind=kind)
        scores, ids = index.search(q, 8)
        assert ids.shape == (2, 8) and scores.shape == (2, 8)
        assert (ids[:, 5:] == -1).all() and (ids[:, :5] >= 0).all()
        hits = index.search_one(q[0], 8)
        assert len(hits) == 5 and all(i >= 0 for i, _ in hits)
    empty = VectorIndex.build(np.empty((0, 16), dtype=np.float32))
    assert empty.ntotal == 0 and empty.search_one(q[0], 3) == []


def test_dimension_mismatch_is_refused() -> None:
    x, _ = _clustered(10, 16, 1)
    index = VectorIndex.build(x)
    with pytest.raises(ValueError, match="dimension 8"):
        index.search(np.ones((1, 8), dtype=np.float32), 3)
    with pytest.raises(ValueError, match="NaN"):
        VectorIndex.build(np.full((2, 4), np.nan, dtype=np.float32))


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_save_load_roundtrip(tmp_path: Path, kind: str) -> None:
    x, q = _clustered(2000, 64, 20)
    index = VectorIndex.build(x, kind=kind)
    path = tmp_path / "sub" / "vectors.faiss"
    index.save(path)
    loaded = VectorIndex.load(path, expected_dim=64)
    assert loaded.kind == kind and loaded.ntotal == 2000 and loaded.dim == 64
    s1, i1 = index.search(q, 5)
    s2, i2 = loaded.search(q, 5)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_allclose(s1, s2)


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    x, _ = _clustered(500, 32, 1)
    good = tmp_path / "good.faiss"
    VectorIndex.build(x, kind="hnsw").save(good)
    data = good.read_bytes()

    with pytest.raises(BuildError, match=r"missing\.faiss.*missing"):
        VectorIndex.load(tmp_path / "missing.faiss")
    for name, content in (("half.faiss", data[: len(data) // 2]), ("short.faiss", data[:10]),
                          ("empty.faiss", b""), ("garbage.faiss", b"not a faiss index" * 50)):
        (tmp_path / name).write_bytes(content)
        with pytest.raises(BuildError, match=name.replace(".", r"\.")):
            VectorIndex.load(tmp_path / name)
    with pytest.raises(BuildError, match="dimension 32, expected 384"):
        VectorIndex.load(good, expected_dim=384)


def test_concurrent_searches_agree(data: tuple[np.ndarray, np.ndarray], auto_large: VectorIndex,
                                   flat: VectorIndex) -> None:
    _, q = data
    expected = {name: idx.search(q[:50], 10)[1] for name, idx in (("hnsw", auto_large), ("flat", flat))}
    errors: list[str] = []

    def work(name: str, index: VectorIndex) -> None:
        for i in range(50):
            ids = index.search(q[i], 10)[1][0]
            if not np.array_equal(ids, expected[name][i]):
                errors.append(f"{name} query {i}")

    threads = [threading.Thread(target=work, args=(n, i)) for n, i in (("hnsw", auto_large), ("flat", flat)) * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors

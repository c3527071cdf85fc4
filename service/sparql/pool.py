"""Worker processes that run SPARQL queries with a time limit, and one pool of them per loaded generation.

Each worker holds its own copy of the store and runs one query at a time. The parent waits at most the
time limit for an answer and then kills the worker, so a runaway query is stopped at the limit and never
holds a thread, a core or the GIL of the service. :class:`GenerationPools` keeps one
:class:`SparqlPool` per loaded generation: the app starts a generation's pool when it is swapped in (a
hook on the service state) and the pool stops when the generation is dropped (its last request ended).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph

from service.sparql.errors import SparqlError
from service.sparql.execution import QueryJob, QueryResult, execute
from service.sparql.guard import QueryForm

log = logging.getLogger("strategigraf.sparql")


def dump_store(store: pyoxigraph.Store) -> bytes:
    """The whole store as N-Quads, to give each worker an identical copy."""
    data = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    assert data is not None
    return data


def _exit_with_parent(parent: int) -> None:
    """Watchdog thread of a worker: end the process when the service that started it is gone."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def worker_main(fd: int, parent: int) -> None:
    """Entry point of a worker process: receive the store, report ready, then answer jobs one at a time.

    pyoxigraph releases the GIL while it evaluates, so the watchdog thread runs even during a long query.
    """
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    conn = Connection(fd)
    try:
        source = conn.recv_bytes()
    except (EOFError, OSError):
        return
    store = pyoxigraph.Store()
    if source:
        store.bulk_load(source, format=pyoxigraph.RdfFormat.N_QUADS)
    del source
    conn.send(("ready", len(store)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", execute(store, job))
        except SparqlError as exc:
            reply = ("error", exc.as_tuple())
        except Exception as exc:  # noqa: BLE001 - reported to the caller, the worker stays up
            reply = ("error", (500, "Query failed", f"{type(exc).__name__}: {exc}", "query-failed"))
        conn.send(reply)


DEFAULT_WORKERS = 2
# Queries beyond the workers wait (bounded by the time limit) rather than fail: 16 per worker keeps a burst
# of concurrent clients answered while leaving most of the (enlarged) thread pool to other routes.
PENDING_PER_WORKER = 16
"""Queries that may run or wait per worker before more are refused with 503 (keeps service threads free)."""
START_GRACE_S = 60.0
"""How long a request may wait for a worker beyond the query time limit (covers a worker's start-up)."""

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass(eq=False)
class _Worker:
    """One worker process and the parent's end of its socket."""

    process: subprocess.Popen[bytes]
    conn: Connection


def _start_worker() -> _Worker:
    """A fresh interpreter running :func:`worker_main`, connected by a socket pair.

    A plain subprocess (not multiprocessing's spawn) so the service's ``__main__`` is never re-imported,
    in its own session so a Ctrl-C at the terminal reaches the service, which then stops its workers.
    """
    ours, theirs = socket.socketpair()
    code = f"from service.sparql.pool import worker_main; worker_main({theirs.fileno()}, {os.getpid()})"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH"))
                                                       if p)}
    try:
        process = subprocess.Popen([sys.executable, "-c", code], pass_fds=[theirs.fileno()], env=env,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    finally:
        theirs.close()
    return _Worker(process, Connection(ours.detach()))


class SparqlPool:
    """Worker processes, each with its own copy of the store, running one query at a time.

    ``run`` hands a job to an idle worker and waits at most ``timeout_s`` for the answer; past that the
    worker is killed (SIGKILL: a query inside Oxigraph cannot be interrupted any other way) and a fresh
    one is started in the background. Other requests keep being served by the other workers meanwhile.
    """

    def __init__(self, source: bytes, expected_triples: int | None = None, size: int = DEFAULT_WORKERS,
                 start_timeout_s: float = START_GRACE_S, max_pending: int | None = None) -> None:
        self._max_pending = max_pending if max_pending is not None else PENDING_PER_WORKER * max(1, size)
        self._pending = 0
        self._source = source
        self._expected = expected_triples
        self._start_timeout = start_timeout_s
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.start_error: str | None = None
        self.killed = 0
        for _ in range(max(1, size)):
            self._spawn()

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._workers)

    @property
    def pending(self) -> int:
        """Calls of :meth:`run` now running or waiting for a worker."""
        with self._lock:
            return self._pending

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers]

    def _spawn(self) -> None:
        worker = _start_worker()
        with self._lock:
            if self._closed:
                self._stop(worker)
                return
            self._workers.add(worker)
        threading.Thread(target=self._start, args=(worker,), daemon=True, name="sparql-worker-start").start()

    def _start(self, worker: _Worker) -> None:
        message: Any = None
        try:
            worker.conn.send_bytes(self._source)
            if worker.conn.poll(self._start_timeout):
                message = worker.conn.recv()
        except (EOFError, OSError, TypeError) as exc:  # TypeError: close() shut the connection mid-send
            message = exc
        if self._closed:  # the pool stopped while this worker started (its generation was dropped): no error
            self._stop(worker)
            return
        if (isinstance(message, tuple) and message[0] == "ready"
                and (self._expected is None or message[1] == self._expected)):
            self.start_error = None
            self._idle.put(worker)
            return
        self.start_error = f"a SPARQL worker failed to start: {message!r}"
        log.error("%s (expected %s triples)", self.start_error, self._expected)
        with self._lock:
            self._workers.discard(worker)
        self._stop(worker)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(timeout=5)
        with contextlib.suppress(OSError):
            worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
            closed = self._closed
        self._stop(worker)
        if not closed:
            self._spawn()

    def _acquire(self, wait_s: float) -> _Worker:
        deadline = time.monotonic() + wait_s
        while True:
            if self._closed:
                raise SparqlError(503, "Service unavailable", "the SPARQL workers are shutting down",
                                  "sparql-unavailable")
            if self.size == 0 and self.start_error:
                raise SparqlError(503, "Service unavailable", self.start_error, "sparql-unavailable")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SparqlError(503, "Service busy", "every SPARQL worker is busy; try again shortly",
                                  "sparql-busy", headers={"Retry-After": "2"})
            try:
                worker = self._idle.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if worker.process.poll() is None:
                return worker
            self._replace(worker)

    def run(self, job: QueryJob, timeout_s: float, wait_s: float | None = None) -> QueryResult:
        """Run ``job`` on an idle worker: its result, or SparqlError (including 503 at the time limit).

        At most ``max_pending`` calls run or wait at once (each holds a thread of the service's thread
        pool); more are refused at once with 503, so queries can never tie up every thread of the service.
        """
        with self._lock:
            if self._pending >= self._max_pending:
                raise SparqlError(503, "Service busy", f"{self._pending} SPARQL queries are already running or "
                                  "waiting; try again shortly", "sparql-busy", headers={"Retry-After": "2"})
            self._pending += 1
        try:
            return self._run(job, timeout_s, timeout_s + self._start_timeout if wait_s is None else wait_s)
        finally:
            with self._lock:
                self._pending -= 1

    def _run(self, job: QueryJob, timeout_s: float, wait_s: float) -> QueryResult:
        worker = self._acquire(wait_s)
        try:
            worker.conn.send(job)
            answered = worker.conn.poll(timeout_s)
            reply = worker.conn.recv() if answered else None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise SparqlError(500, "Query failed", f"the SPARQL worker stopped unexpectedly ({exc!r})",
                              "query-failed") from None
        if reply is None:
            self.killed += 1
            with contextlib.suppress(OSError):
                worker.process.kill()  # at once; reaping and the replacement happen in the background
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise SparqlError(503, "Query timeout",
                              f"the query exceeded the time limit of {timeout_s:g} s and was stopped; "
                              "make it more selective (or add LIMIT) and try again", "query-timeout")
        self._idle.put(worker)
        status, payload = reply
        if status == "ok":
            assert isinstance(payload, QueryResult)
            return payload
        raise SparqlError(*payload)

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            self._stop(worker)


class HasStore(Protocol):
    """What a pool needs of a generation: its store and the number of triples in it
    (service.generation.Generation has both)."""

    @property
    def store(self) -> pyoxigraph.Store: ...

    @property
    def triple_count(self) -> int: ...


class GenerationPools:
    """One :class:`SparqlPool` per loaded generation, keyed by the generation object.

    :meth:`start` is the hook the app registers on the service state, so a new generation's workers
    start before it goes live; a request keeps the generation it started with, so its query runs on
    that generation's workers. A pool stops when its generation is garbage (its last request ended), or
    at :meth:`close`.
    """

    def __init__(self, size: int = DEFAULT_WORKERS) -> None:
        self.size = size
        self._pools: dict[int, SparqlPool] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._pools)

    def start(self, gen: HasStore) -> SparqlPool:
        """The pool holding copies of ``gen``'s store, started now if it has none."""
        key = id(gen)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                weakref.finalize(gen, self._retire, key)  # first: a generation that cannot be tracked gets none
                pool = SparqlPool(dump_store(gen.store), expected_triples=gen.triple_count, size=self.size)
                self._pools[key] = pool
        return pool

    def run(self, gen: HasStore, job: QueryJob, form: QueryForm | None, timeout_s: float) -> QueryResult:
        """Run ``job`` on ``gen``'s workers (``form`` is the guard's; the workers find it again)."""
        return self.start(gen).run(job, timeout_s)

    def _retire(self, key: int) -> None:
        with self._lock:
            pool = self._pools.pop(key, None)
        if pool is not None:
            pool.close()

    def close(self) -> None:
        """Stop the workers of every generation (e.g. at shut-down); a later :meth:`start` starts new ones."""
        with self._lock:
            keys = list(self._pools)
        for key in keys:
            self._retire(key)

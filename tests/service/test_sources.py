"""service/sources.py: a node page reads only source texts the build names, preferring the text the build stored
(what node offsets point into), falling back to the corpus file for text files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from service.generation import Generation
from service.settings import ServiceSettings
from service.sources import source_text_for


def _with_corpora(generation: Generation, corpora: dict[str, dict[str, str]]) -> Generation:
    return replace(generation, manifest={**generation.manifest, "corpora": corpora})


def test_each_source_the_build_names_is_the_text_it_stored(settings: ServiceSettings, generation: Generation) -> None:
    corpora = generation.manifest["corpora"]
    assert corpora
    for entry in corpora.values():
        text = source_text_for(settings, generation, entry["file"])
        assert text is not None and text == (generation.path / entry["text"]).read_text(encoding="utf-8")


def test_node_offsets_point_into_the_text(settings: ServiceSettings, generation: Generation) -> None:
    for node in generation.nodes[:200]:
        text = source_text_for(settings, generation, node.source.file)
        assert text is not None and text[node.source.start:node.source.end].strip()


def test_a_file_the_build_does_not_name_is_not_read(settings: ServiceSettings, generation: Generation) -> None:
    assert source_text_for(settings, generation, "manifest.toml") is None
    assert source_text_for(settings, generation, "../pyproject.toml") is None


def test_a_stored_text_outside_the_generation_is_refused(settings: ServiceSettings, generation: Generation) -> None:
    file = next(iter(generation.manifest["corpora"].values()))["file"]
    for stored in ("../../pyproject.toml", "/etc/hostname"):
        forged = _with_corpora(generation, {"x": {"file": file, "text": stored, "sha256": "0" * 64}})
        assert source_text_for(settings, forged, file) is None


def test_without_a_stored_text_a_text_file_is_read_from_the_corpus(settings: ServiceSettings, generation: Generation,
                                                                    corpora_dir: Path) -> None:
    file = next(e["file"] for e in generation.manifest["corpora"].values() if e["file"].endswith(".txt"))
    older = _with_corpora(generation, {"x": {"file": file, "sha256": "1" * 64}})  # a build before sources/
    text = source_text_for(settings, older, file)
    assert text is not None and text.replace("\r\n", "\n").strip() == \
        (corpora_dir / file).read_text(encoding="utf-8").replace("\r\n", "\n").strip()


def test_a_stored_text_that_is_gone_falls_back_to_the_corpus(settings: ServiceSettings,
                                                             generation: Generation) -> None:
    file = next(e["file"] for e in generation.manifest["corpora"].values() if e["file"].endswith(".txt"))
    gone = _with_corpora(generation, {"x": {"file": file, "text": "sources/missing.txt", "sha256": "2" * 64}})
    assert source_text_for(settings, gone, file) is not None

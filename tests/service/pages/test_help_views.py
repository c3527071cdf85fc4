"""service/pages/help_views.py: the help page and the page about the data state what the loaded build holds (its
documents, its topics, its overlap thresholds), read from the build and the corpus manifest, not written for one
corpus."""

from __future__ import annotations

from dataclasses import replace
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from service.generation import Generation
from service.pages.help_views import citation_example, corpus_sources, score_bands
from service.settings import ServiceSettings


def test_the_score_bands_are_the_builds_thresholds_in_danish_numbers(generation: Generation) -> None:
    params = generation.analysis["parameters"]["overlaps"]
    bands = score_bands(generation)
    assert [b.name for b in bands] == ["Stærk", "Middel", "Svag"]
    strong = f"{params['strong']:.2f}".replace(".", ",")
    listed = f"{params['threshold']:.2f}".replace(".", ",")
    assert bands[0].text_pairs == f"{strong} eller mere"
    assert bands[1].text_pairs == f"fra {listed} til under {strong}"
    assert bands[2].text_pairs.startswith(f"under {listed}")


def test_without_thresholds_no_bands_are_claimed(generation: Generation) -> None:
    assert score_bands(replace(generation, analysis={})) == []


def test_the_citation_example_is_a_real_principle_of_the_build(generation: Generation) -> None:
    example = citation_example(generation)
    assert example is not None
    assert example["node"].type == "Principle" and example["doc"].id == example["node"].doc


def test_an_unreadable_corpus_manifest_leaves_the_sources_out(settings: ServiceSettings, tmp_path: Path) -> None:
    assert set(corpus_sources(settings)) >= {"faxe-strategi", "slagelse-2024-2030"}
    assert corpus_sources(settings.model_copy(update={"corpora_dir": tmp_path})) == {}


def test_the_help_page_names_the_builds_counts_and_topics(client: TestClient, generation: Generation) -> None:
    text = unescape(client.get("/hjaelp").text)
    for topic in generation.analysis["topics"][:3]:
        assert str(topic["label"]) in text
    bands = score_bands(generation)
    assert bands[0].text_pairs in text


def test_the_about_page_lists_every_document_with_its_node_count(client: TestClient, generation: Generation) -> None:
    response = client.get("/om-data")
    assert response.status_code == 200
    text = unescape(response.text)
    for doc in generation.documents.values():
        assert doc.title in text, doc.id

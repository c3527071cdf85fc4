"""ingest/graph.py: IRIs, and the stems that link a follow-up report's focus areas to the ones it follows up."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ingest.build import parse_corpus
from ingest.graph import link_followed_up_focus_areas, slug, stems
from ingest.language.words import stem
from ingest.manifest import load_manifest
from ontology import ID, SG

CORPORA = Path(__file__).resolve().parents[2] / "corpora"


def test_stems_read_every_letter_of_a_word() -> None:
    found = stems("Bedre trivsel i Malmö, Härnösand og på Ærø")
    assert {stem("malmö"), stem("härnösand"), stem("ærø"), stem("trivsel")} <= found
    assert "malm" not in found  # ö no longer ends the word


def test_stems_leave_out_short_ones() -> None:
    assert stems("at en og i på") == set()


def test_slug_spells_danish_letters_in_ascii() -> None:
    assert slug("Handicap- og Socialpsykiatriudvalget") == "handicap-og-socialpsykiatriudvalget"
    assert slug("Ældre- og Sundhedsudvalget på Ærø") == "aeldre-og-sundhedsudvalget-paa-aeroe"


def test_follow_up_themes_link_to_the_focus_areas_they_name() -> None:
    manifest = load_manifest(CORPORA / "manifest.toml")
    docs = parse_corpus(manifest)
    graph = Graph()
    added = link_followed_up_focus_areas(graph, docs)
    links = sorted((str(s).removeprefix(str(ID)), str(o).removeprefix(str(ID)))
                   for s, o in graph.subject_objects(SG.followsUp))
    assert added == len(links) == 3
    assert all(s.startswith("slagelse-2015-opfoelgning/") and o.startswith("slagelse-2014/focus-area/")
               for s, o in links)
    assert len({o for _, o in links}) == 3  # each theme names another focus area

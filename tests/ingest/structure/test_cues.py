"""ingest/structure/cues.py: cue words matched as whole words in folded text, and the cue file read into cues
whose classes are the ontology's (how the recogniser uses them: test_recognise.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ingest.model import NodeKind
from ingest.structure.cues import CUES_FILE, find_phrase, fold, has_phrase, load_cues, parse_cues
from ontology.node_types import HEADED_ELEMENTS, THEMATIC


def test_folding_lowers_case_and_collapses_whitespace() -> None:
    assert fold("  Politiske \n PEJLEMÆRKER ") == "politiske pejlemærker"


@pytest.mark.parametrize(("text", "phrase", "found"), [
    ("spor 5: netværk", "spor", True),
    ("sporet er lagt", "spor", False),  # part of a longer word
    ("hovedspor 1", "spor", False),
    ("et tvær-spor", "spor", False),  # a hyphen binds the word to the one before
    ("vores   vision er", "vores vision", True),  # a phrase of several words, any whitespace between
    ("visionen for området", "vores vision", False),
])
def test_phrases_match_whole_words_only(text: str, phrase: str, found: bool) -> None:
    assert has_phrase(text, phrase) is found


def test_the_longest_phrase_found_wins() -> None:
    assert find_phrase("politiske pejlemærker 2024", ("pejlemærker", "politiske pejlemærker")) == \
        "politiske pejlemærker"
    assert find_phrase("forord", ("pejlemærker",)) is None


def test_the_bundled_cue_file_names_ontology_classes_with_unique_keys() -> None:
    cues = load_cues()
    assert cues.classes and all(isinstance(kind, NodeKind) for kind in cues.classes)
    keys = [c.key for c in cues.classes.values()]
    assert len(keys) == len(set(keys)), keys


def test_which_cues_are_containers_comes_from_the_ontology() -> None:
    cues = load_cues()
    assert {c.kind for c in cues.classes.values() if c.container} == set(cues.classes) & set(HEADED_ELEMENTS)
    assert {c.kind for c in cues.container_classes()} == set(cues.classes) & set(THEMATIC)


def test_words_are_folded_as_they_are_read() -> None:
    data = tomllib.loads(CUES_FILE.read_text(encoding="utf-8"))
    data["class"]["Track"]["words"] = ["  HOVEDSPOR "]
    data["class"]["Track"]["key_words"] = {"Hovedspor": "main-track"}
    cue = parse_cues(data).cue(NodeKind.TRACK)
    assert cue.words == ("hovedspor",)
    assert cue.key_for("hovedspor") == "main-track" and cue.key_for(None) == cue.key == "track"


def test_a_cue_for_a_class_the_ontology_lacks_is_refused() -> None:
    data = tomllib.loads(CUES_FILE.read_text(encoding="utf-8"))
    data["class"]["Spaceship"] = {"key": "spaceship", "words": ["rumskib"]}
    with pytest.raises(ValueError, match="Spaceship"):
        parse_cues(data)


def test_a_cue_file_is_read_once(tmp_path: Path) -> None:
    copy = tmp_path / "cues.toml"
    copy.write_bytes(CUES_FILE.read_bytes())
    assert load_cues(copy) is load_cues(copy)
    assert load_cues(copy) == load_cues()

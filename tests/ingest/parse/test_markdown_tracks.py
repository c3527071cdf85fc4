"""Tests for the markdown-tracks layout parser (Slagelse 2024-2030 and a made-up municipality)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.manifest import read_source
from ingest.model import NodeKind, ParsedDocument, normalize_ws
from ingest.parse.markdown_tracks import find_date, parse

CORPORA = Path(__file__).resolve().parents[3] / "corpora"
FILE = "slagelse-2024-2030-politisk-strategi.txt"


@pytest.fixture(scope="module")
def tracks_source() -> str:
    return read_source(CORPORA / FILE).text


@pytest.fixture(scope="module")
def tracks_doc(tracks_source: str) -> ParsedDocument:
    return parse(tracks_source, FILE)


def _kinds(doc: ParsedDocument) -> Counter[NodeKind]:
    return Counter(n.kind for n in doc.all_nodes())


def test_counts(tracks_doc: ParsedDocument) -> None:
    kinds = _kinds(tracks_doc)
    assert kinds[NodeKind.VISION] == 1
    assert kinds[NodeKind.TRACK] == 8
    assert kinds[NodeKind.STATEMENT] == 20
    assert kinds[NodeKind.SECTION] == 1


def test_vision(tracks_doc: ParsedDocument) -> None:
    vision = tracks_doc.nodes[0]
    assert vision.kind is NodeKind.VISION
    assert vision.key == "vision"
    assert vision.label == "Vores vision er"
    assert vision.text == "Vores vision er"
    assert [c.kind for c in vision.children] == [NodeKind.PASSAGE, NodeKind.PASSAGE]
    assert [c.key for c in vision.children] == ["vision/passage/1", "vision/passage/2"]
    assert vision.children[0].text.startswith("At vi med udgangspunkt")
    assert vision.children[1].text.startswith("Vi ønsker, at vores støtte")


def test_section_with_intro(tracks_doc: ParsedDocument) -> None:
    section = next(n for n in tracks_doc.nodes if n.kind is NodeKind.SECTION)
    assert section.key == "section/1"
    assert section.label == "Strategispor for det specialiserede voksenområde"
    assert len(section.children) == 1
    assert section.children[0].kind is NodeKind.PASSAGE
    assert section.children[0].text.startswith("I Socialudvalget vil vi med 8 strategispor")


def test_tracks(tracks_doc: ParsedDocument) -> None:
    tracks = [n for n in tracks_doc.nodes if n.kind is NodeKind.TRACK]
    assert [t.key for t in tracks] == [f"track/{i}" for i in range(1, 9)]
    assert [t.attrs["number"] for t in tracks] == [str(i) for i in range(1, 9)]
    assert tracks[0].label == "KVALITET OPSTÅR I MØDET"
    assert tracks[4].label == "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    assert tracks[4].text == tracks[4].label
    assert tracks[7].label == "GODE OVERGANGE GENNEM HELE LIVET"
    assert [len(t.children) for t in tracks] == [3, 2, 2, 2, 3, 3, 3, 2]
    assert all(c.kind is NodeKind.STATEMENT for t in tracks for c in t.children)
    assert tracks[4].children[1].key == "track/5/statement/2"
    assert tracks[4].children[2].text == "Vi samarbejder med borgerens netværk."


def test_back_page_gives_publisher_and_date(tracks_doc: ParsedDocument) -> None:
    assert tracks_doc.attrs == {"publisher": "Socialudvalget", "date": "2024-04-22"}
    texts = " ".join(n.text for n in tracks_doc.all_nodes())
    assert "Torvegade" not in texts
    assert "Redaktion" not in texts
    assert "Politisk strategi for det" not in texts  # the bold cover title is not a node


def test_keys_unique(tracks_doc: ParsedDocument) -> None:
    keys = [n.key for n in tracks_doc.all_nodes()]
    assert len(keys) == len(set(keys))


def test_no_markup_in_text(tracks_doc: ParsedDocument) -> None:
    for node in tracks_doc.all_nodes():
        assert "<b>" not in node.text and "**" not in node.text and "▶" not in node.text, node.key
        assert not node.text.startswith("- "), node.key
        assert not node.text.startswith("#"), node.key


def test_provenance_round_trip(tracks_source: str, tracks_doc: ParsedDocument) -> None:
    for node in tracks_doc.all_nodes():
        assert node.segments, node.key
        for s, e in node.segments:
            assert 0 <= s < e <= len(tracks_source), node.key
        assert normalize_ws(" ".join(tracks_source[s:e] for s, e in node.segments)) == node.text, node.key


OTHER = """\
**Strategi for handicap og psykiatri
2025-2028**

# Vores vision

Alle borgere skal have et godt liv.

# Vores spor

Byrådet har vedtaget tre spor.

## Spor 1

### BORGEREN I CENTRUM

- ▶ Vi lytter til borgeren.
- ▶ Vi planlægger sammen med borgeren
  og hendes pårørende.

## Spor 2

### ET GODT ARBEJDSMILJØ

- ▶ Vi passer på medarbejderne.

## Spor 3

### NÆRE TILBUD

- ▶ Vi udvikler tilbud tæt på borgeren.

# Social- og Sundhedsudvalget

Eksempel Kommune
Rådhuspladsen 1

3. marts 2025
"""


def test_other_municipality() -> None:
    doc = parse(OTHER, "eksempel.txt")
    kinds = _kinds(doc)
    assert kinds[NodeKind.TRACK] == 3
    assert kinds[NodeKind.STATEMENT] == 4
    assert kinds[NodeKind.VISION] == 1
    assert doc.nodes[0].label == "Vores vision"
    tracks = [n for n in doc.nodes if n.kind is NodeKind.TRACK]
    assert [t.label for t in tracks] == ["BORGEREN I CENTRUM", "ET GODT ARBEJDSMILJØ", "NÆRE TILBUD"]
    assert tracks[0].children[1].text == "Vi planlægger sammen med borgeren og hendes pårørende."
    assert doc.attrs == {"publisher": "Social- og Sundhedsudvalget", "date": "2025-03-03"}
    for node in doc.all_nodes():
        assert normalize_ws(" ".join(OTHER[s:e] for s, e in node.segments)) == node.text


def test_no_tracks_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="notrack.txt") as info:
        parse("# Vision\n\nEt godt liv.\n\n## Indsatser\n\n- Vi hjælper.\n", "notrack.txt")
    assert info.value.file == "notrack.txt"
    assert info.value.line is not None


@pytest.mark.parametrize(("text", "expected"), [
    ("22.04.2024", "2024-04-22"),
    ("Den 9. november 2020 blev", "2020-11-09"),
    ("31.02.2024", None),
    ("ingen dato", None),
])
def test_find_date(text: str, expected: str | None) -> None:
    assert find_date(text) == expected

"""Tests for the plain-bearings layout parser (Slagelse 2019 and a made-up municipality)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.manifest import read_source
from ingest.model import Node, NodeKind, ParsedDocument, normalize_ws
from ingest.parse.plain_bearings import parse, split_themes

CORPORA = Path(__file__).resolve().parents[3] / "corpora"
FILE = "slagelse-2019-politiske-pejlemaerker.txt"


@pytest.fixture(scope="module")
def plain_source() -> str:
    return read_source(CORPORA / FILE).text


@pytest.fixture(scope="module")
def plain_doc(plain_source: str) -> ParsedDocument:
    return parse(plain_source, FILE)


def _kinds(doc: ParsedDocument) -> Counter[NodeKind]:
    return Counter(n.kind for n in doc.all_nodes())


def _bearings(doc: ParsedDocument) -> list[Node]:
    return [n for n in doc.nodes if n.kind is NodeKind.BEARING]


def test_counts(plain_doc: ParsedDocument) -> None:
    kinds = _kinds(plain_doc)
    assert kinds[NodeKind.VISION] == 1
    assert kinds[NodeKind.BEARING] == 5
    assert kinds[NodeKind.STATEMENT] == 24
    assert kinds[NodeKind.SECTION] == 1


def test_vision(plain_doc: ParsedDocument) -> None:
    vision = next(n for n in plain_doc.nodes if n.kind is NodeKind.VISION)
    assert vision.key == "vision"
    assert vision.label == "Visionen for det specialiserede borgerområde"
    assert vision.text.startswith("At vi med udgangspunkt i de drømme og ressourcer")
    assert vision.text.endswith("tilfredsstillende liv.")


def test_intro_section(plain_doc: ParsedDocument) -> None:
    section = plain_doc.nodes[0]
    assert section.kind is NodeKind.SECTION and section.key == "section/1"
    assert section.label == "Med visionen som drivkraft"
    assert all(c.kind is NodeKind.PASSAGE for c in section.children)
    assert len(section.children) == 8
    assert section.children[0].key == "section/1/passage/1"
    assert section.children[0].text.startswith("Udvalget for Specialiserede Borgerindsatser har den politiske")
    # The vision lead-in and statement are not passages.
    assert not any(c.text.startswith(("Visionen for", "At vi med")) for c in section.children)


def test_bearings(plain_doc: ParsedDocument) -> None:
    bearings = _bearings(plain_doc)
    assert [b.label for b in bearings] == [
        "Recovery og rehabilitering", "Udsathed og hjemløshed", "Rusmiddelområdet",
        "Social trivsel og mental sundhed", "Slagelse som sælgerkommune"]
    assert [b.attrs.get("subtitle") for b in bearings] == [
        "Mødet imellem borgeren og kommunen", "Nye identiteter og aktive fællesskaber",
        "Forebyggelse og aftabuisering", "Sammenhængende borgerindsatser på tværs", None]
    statements = [[c for c in b.children if c.kind is NodeKind.STATEMENT] for b in bearings]
    assert [len(s) for s in statements] == [3, 6, 4, 5, 6]
    passages = [[c for c in b.children if c.kind is NodeKind.PASSAGE] for b in bearings]
    assert [len(p) for p in passages] == [4, 3, 2, 2, 2]
    assert statements[4][2].key == "bearing/5/statement/3"
    assert statements[4][2].text == "Kompetenceudvikling."
    assert passages[1][0].key == "bearing/2/passage/1"
    texts = {n.text for n in plain_doc.all_nodes()}
    assert "Udvalget har særligt fokus på:" not in texts


def test_document_attrs_and_themes(plain_doc: ParsedDocument) -> None:
    assert plain_doc.attrs["publisher"] == "Udvalget for Specialiserede Borgerindsatser"
    assert plain_doc.themes == ["frivillighed", "netværksinddragelse", "boliger til udsatte og sårbare borgere"]
    statements = {n.text for n in plain_doc.all_nodes() if n.kind is NodeKind.STATEMENT}
    assert not statements & set(plain_doc.themes)


def test_keys_unique(plain_doc: ParsedDocument) -> None:
    keys = [n.key for n in plain_doc.all_nodes()]
    assert len(keys) == len(set(keys))


def test_no_markup_in_text(plain_doc: ParsedDocument) -> None:
    for node in plain_doc.all_nodes():
        assert "<b>" not in node.text and "**" not in node.text and "▶" not in node.text, node.key
        assert not node.text.startswith("- "), node.key


def test_provenance_round_trip(plain_source: str, plain_doc: ParsedDocument) -> None:
    for node in plain_doc.all_nodes():
        assert node.segments, node.key
        for s, e in node.segments:
            assert 0 <= s < e <= len(plain_source), node.key
        assert normalize_ws(" ".join(plain_source[s:e] for s, e in node.segments)) == node.text, node.key


@pytest.mark.parametrize(("items", "expected"), [
    ("frivillighed, netværksinddragelse og boliger til udsatte og sårbare borgere",
     ["frivillighed", "netværksinddragelse", "boliger til udsatte og sårbare borgere"]),
    ("bevægelse og kost", ["bevægelse og kost"]),
    ("ensomhed, bevægelse, kost og søvn", ["ensomhed", "bevægelse", "kost", "søvn"]),
])
def test_split_themes(items: str, expected: list[str]) -> None:
    assert split_themes(items) == expected


OTHER = """\
Social- og Arbejdsmarkedsudvalget

Politiske pejlemærker

2022

Indledning

Udvalget har fastlagt en retning for de kommende år.

Visionen for socialområdet er:

At alle borgere lever et aktivt liv.

Udvalget har udpeget nogle gennemgående temaer, som ensomhed, bevægelse og mad.

Tidlig indsats

Hjælp før problemerne vokser

Jo tidligere vi hjælper, jo bedre går det.

Udvalget vil især arbejde med:

- Opsøgende arbejde i boligområderne.
- Hurtig sagsbehandling, så borgeren
  ikke venter.

Beskæftigelse

Et job giver mening og fællesskab.

Udvalget vil især arbejde med:

- Flere fleksjob.
"""


def test_other_municipality() -> None:
    doc = parse(OTHER, "eksempel.txt")
    kinds = _kinds(doc)
    assert kinds[NodeKind.BEARING] == 2
    assert kinds[NodeKind.STATEMENT] == 3
    assert kinds[NodeKind.VISION] == 1
    bearings = _bearings(doc)
    assert [b.label for b in bearings] == ["Tidlig indsats", "Beskæftigelse"]
    assert bearings[0].attrs == {"subtitle": "Hjælp før problemerne vokser"}
    assert bearings[1].attrs == {}
    assert bearings[0].children[-1].text == "Hurtig sagsbehandling, så borgeren ikke venter."
    vision = next(n for n in doc.nodes if n.kind is NodeKind.VISION)
    assert vision.label == "Visionen for socialområdet"
    assert vision.text == "At alle borgere lever et aktivt liv."
    assert doc.nodes[0].label == "Indledning"
    assert doc.attrs == {"publisher": "Social- og Arbejdsmarkedsudvalget"}
    assert doc.themes == ["ensomhed", "bevægelse", "mad"]
    for node in doc.all_nodes():
        assert normalize_ws(" ".join(OTHER[s:e] for s, e in node.segments)) == node.text


def test_no_bearings_is_a_parse_error() -> None:
    text = "Indledning\n\nEn tekst uden pejlemærker og uden punktlister.\n\nAfslutning\n\nTak.\n"
    with pytest.raises(ParseError, match="noplain.txt") as info:
        parse(text, "noplain.txt")
    assert info.value.line is not None

"""Tests for the markdown-bearings layout parser (Faxe and a made-up municipality)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.manifest import read_source
from ingest.model import Node, NodeKind, ParsedDocument, normalize_ws
from ingest.parse.markdown_bearings import parse

CORPORA = Path(__file__).resolve().parents[3] / "corpora"
FILE = "faxe-strategi-voksensocialomraadet.txt"


@pytest.fixture(scope="module")
def bearings_source() -> str:
    return read_source(CORPORA / FILE).text


@pytest.fixture(scope="module")
def bearings_doc(bearings_source: str) -> ParsedDocument:
    return parse(bearings_source, FILE)


def _kinds(doc: ParsedDocument) -> Counter[NodeKind]:
    return Counter(n.kind for n in doc.all_nodes())


def _bearings(doc: ParsedDocument) -> list[Node]:
    return [n for n in doc.nodes if n.kind is NodeKind.BEARING]


def test_counts(bearings_doc: ParsedDocument) -> None:
    kinds = _kinds(bearings_doc)
    assert kinds[NodeKind.BEARING] == 4
    assert kinds[NodeKind.MOTTO] == 4
    assert kinds[NodeKind.PRINCIPLE] == 13
    assert kinds[NodeKind.STATEMENT] == 77
    assert kinds[NodeKind.RELATED_DOCUMENT] == 5
    assert kinds[NodeKind.SECTION] == 3
    assert kinds[NodeKind.VISION] == 0


def test_bearings_from_detailed_sections(bearings_doc: ParsedDocument) -> None:
    bearings = _bearings(bearings_doc)
    assert [b.label for b in bearings] == [
        "Medborgerskab og ansvar", "Sammen og på tværs", "Økonomisk bæredygtighed", "Dialog og tillid"]
    assert [b.key for b in bearings] == [f"bearing/{i}" for i in range(1, 5)]
    assert [b.text for b in bearings] == [b.label for b in bearings]
    # Passages are the narrative paragraphs of each bearing's own chapter.
    passages = [[c for c in b.children if c.kind is NodeKind.PASSAGE] for b in bearings]
    assert [len(p) for p in passages] == [4, 4, 2, 3]
    assert passages[0][0].text.startswith("Vi tager i Faxe Kommune udgangspunkt i")
    assert passages[0][0].key == "bearing/1/passage/1"


def test_exactly_one_motto_per_bearing(bearings_doc: ParsedDocument) -> None:
    mottos = [[c for c in b.children if c.kind is NodeKind.MOTTO] for b in _bearings(bearings_doc)]
    assert [len(m) for m in mottos] == [1, 1, 1, 1]
    assert [m[0].text for m in mottos] == [
        "FOR ALLE SKAL HAVE CHANCER OG MULIGHEDER!",  # only on the overview page
        "FOR SAMMEN KAN VI MERE!",
        "FOR EN SUND OG BALANCERET ØKONOMI!",
        "FOR ALLE SKAL HØRES, SES OG FORSTÅS!",
    ]
    assert [m[0].key for m in mottos] == [f"bearing/{i}/motto" for i in range(1, 5)]
    # Bearing 2 has its own motto; it is preferred over the overview's copy (line 190, not 75).
    own = mottos[1][0]
    assert own.label == own.text
    texts = {n.text for n in bearings_doc.all_nodes()}
    assert "MENINGEN MED DET HELE" not in texts


def test_motto_from_overview_joins_lines(bearings_source: str, bearings_doc: ParsedDocument) -> None:
    motto = next(c for c in _bearings(bearings_doc)[0].children if c.kind is NodeKind.MOTTO)
    assert len(motto.segments) == 3  # three lines of the bold block, without the ** marks
    assert bearings_source[motto.segments[0][0]:motto.segments[0][1]] == "FOR ALLE SKAL"


def test_own_motto_is_preferred(bearings_source: str, bearings_doc: ParsedDocument) -> None:
    motto = next(c for c in _bearings(bearings_doc)[1].children if c.kind is NodeKind.MOTTO)
    assert bearings_source.count("\n", 0, motto.start) + 1 == 190


def test_principles(bearings_doc: ParsedDocument) -> None:
    principles = [[c for c in b.children if c.kind is NodeKind.PRINCIPLE] for b in _bearings(bearings_doc)]
    assert [len(p) for p in principles] == [4, 3, 3, 3]
    assert [p.label for p in principles[0]] == [
        "Vi understøtter mulighederne for at udleve sit fulde potentiale",
        "Vi understøtter og opfordrer til selvhjulpenhed",
        "Vi understøtter ansvar for eget liv",
        "Vi understøtter bidraget til fællesskabet",
    ]
    assert principles[3][2].label == "Vi skaber sammenhæng gennem helhedssyn, forståelse og respekt"
    assert all(p.text == p.label and not p.text.endswith(":") for ps in principles for p in ps)
    assert [len(p.children) for ps in principles for p in ps] == [5, 9, 7, 6, 4, 5, 4, 5, 4, 6, 9, 6, 7]
    third = principles[0][2]
    assert third.key == "bearing/1/principle/3"
    assert third.children[3].key == "bearing/1/principle/3/statement/4"
    assert third.children[3].text == "ved at være tilgængelige for borgeren"


def test_overview_and_toc_give_no_duplicates(bearings_doc: ParsedDocument) -> None:
    labels = [n.label for n in bearings_doc.all_nodes() if n.label]
    folded = [label.casefold() for label in labels]
    assert folded.count("medborgerskab og ansvar") == 1
    assert "vi understøtter" not in folded
    assert "indhold" not in folded
    assert "principper" not in folded
    assert not any(label.startswith("Pejlemærke") for label in labels)
    statements = [n.text for n in bearings_doc.all_nodes() if n.kind is NodeKind.STATEMENT]
    assert "og opfordrer til selvhjulpethed" not in statements  # an overview bullet


def test_foreword_sections_and_related_documents(bearings_doc: ParsedDocument) -> None:
    foreword = bearings_doc.nodes[0]
    assert foreword.kind is NodeKind.SECTION and foreword.key == "section/1" and foreword.label == "Forord"
    passages = [c for c in foreword.children if c.kind is NodeKind.PASSAGE]
    subsections = [c for c in foreword.children if c.kind is NodeKind.SECTION]
    assert len(passages) == 4
    assert [s.label for s in subsections] == ["Tilblivelse", "Læsevejledning"]
    assert [len(s.children) for s in subsections] == [2, 3]
    assert all(c.kind is NodeKind.PASSAGE for s in subsections for c in s.children)
    related = [n for n in bearings_doc.all_nodes() if n.kind is NodeKind.RELATED_DOCUMENT]
    assert [r.key for r in related] == [f"related/{i}" for i in range(1, 6)]
    assert [r.label for r in related] == [
        "Udsattepolitikken", "Handicappolitikken", "Sundhedspolitikken",
        "Fælles om Forebyggelse på børne- og ungeområdet",
        "Internationale og nationale visioner og aftaler som Verdensmålene, Handicapkonventionen mv.",
    ]
    assert related[2].text == "Sundhedspolitikken (for eksempel: mental sundhed og meningsfulde fællesskaber)"


def test_document_attrs(bearings_doc: ParsedDocument) -> None:
    assert bearings_doc.attrs["publisher"] == "Socialudvalget"
    assert bearings_doc.attrs["workshop_date"] == "2020-11-09"
    assert "date" not in bearings_doc.attrs  # the workshop is not the document's date


def test_keys_unique(bearings_doc: ParsedDocument) -> None:
    keys = [n.key for n in bearings_doc.all_nodes()]
    assert len(keys) == len(set(keys))


def test_no_markup_in_text(bearings_doc: ParsedDocument) -> None:
    for node in bearings_doc.all_nodes():
        assert "<b>" not in node.text and "**" not in node.text and "▶" not in node.text, node.key
        assert not node.text.startswith("- "), node.key
        assert not node.text.startswith("#"), node.key


def test_provenance_round_trip(bearings_source: str, bearings_doc: ParsedDocument) -> None:
    for node in bearings_doc.all_nodes():
        assert node.segments, node.key
        for s, e in node.segments:
            assert 0 <= s < e <= len(bearings_source), node.key
        assert normalize_ws(" ".join(bearings_source[s:e] for s, e in node.segments)) == node.text, node.key


def test_children_in_document_order(bearings_doc: ParsedDocument) -> None:
    for node in bearings_doc.all_nodes():
        starts = [c.start for c in node.children]
        assert starts == sorted(starts), node.key
    tops = [n.start for n in bearings_doc.nodes]
    assert tops == sorted(tops)


OTHER = """\
# Socialstrategi

# Indhold

<b>Indledning</b> .....	<b>2</b>
<b>Trivsel</b> .....	<b>3</b>
<b>Fællesskab</b> .....	<b>4</b>

# Indledning

Strategien er vedtaget med Ældre- og Socialudvalget som det ansvarlige fagudvalg.

Den bygger på disse politikker:

- Sundhedspolitikken (2022)
- Frivillighedspolitikken

# Vores strategi på en side

## TRIVSEL

### Vi sikrer

- trivsel

**TRIVSEL\x20\x20
FOR ALLE!**

## FÆLLESSKAB

### Vi skaber

- fællesskaber

**SAMMEN!**

**OVERSIGT**

# Trivsel

Trivsel er grundlaget for et godt liv.

## Principper

Vi sikrer trivsel i hverdagen:

- når vi lytter
- ved at handle tidligt

## Pejlemærke:

# Fællesskab

Ingen skal stå alene.

## Principper

Vi skaber fællesskaber for alle:

- i samarbejde med foreningerne

**VI STÅR SAMMEN!**
"""


def test_other_municipality() -> None:
    doc = parse(OTHER, "eksempel.txt")
    kinds = _kinds(doc)
    assert kinds[NodeKind.BEARING] == 2
    assert kinds[NodeKind.PRINCIPLE] == 2
    assert kinds[NodeKind.STATEMENT] == 3
    assert kinds[NodeKind.MOTTO] == 2
    assert kinds[NodeKind.RELATED_DOCUMENT] == 2
    assert kinds[NodeKind.SECTION] == 1
    bearings = _bearings(doc)
    assert [b.label for b in bearings] == ["Trivsel", "Fællesskab"]
    mottos = [c.text for b in bearings for c in b.children if c.kind is NodeKind.MOTTO]
    assert mottos == ["TRIVSEL FOR ALLE!", "VI STÅR SAMMEN!"]
    assert [c.label for c in bearings[0].children if c.kind is NodeKind.PRINCIPLE] == [
        "Vi sikrer trivsel i hverdagen"]
    assert [r.label for r in doc.nodes if r.kind is NodeKind.RELATED_DOCUMENT] == [
        "Sundhedspolitikken", "Frivillighedspolitikken"]
    assert doc.attrs["publisher"] == "Ældre- og Socialudvalget"
    for node in doc.all_nodes():
        assert "<b>" not in node.text and "**" not in node.text
        assert normalize_ws(" ".join(OTHER[s:e] for s, e in node.segments)) == node.text


def test_no_bearings_is_a_parse_error() -> None:
    text = "# Forord\n\nEn tekst uden pejlemærker.\n\n## Baggrund\n\nMere tekst.\n"
    with pytest.raises(ParseError, match="nobearings.txt") as info:
        parse(text, "nobearings.txt")
    assert info.value.line is not None

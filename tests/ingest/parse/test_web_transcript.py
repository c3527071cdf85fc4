"""Tests for the web-transcript layout parser (Slagelse "Strategi 2014" and a made-up municipality)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.manifest import read_source
from ingest.model import Node, NodeKind, ParsedDocument, normalize_ws
from ingest.parse.web_transcript import find_issuer, parse

CORPORA = Path(__file__).resolve().parents[3] / "corpora"
FILE = "slagelse-2014-strategi.txt"


@pytest.fixture(scope="module")
def source() -> str:
    return read_source(CORPORA / FILE).text


@pytest.fixture(scope="module")
def doc(source: str) -> ParsedDocument:
    return parse(source, FILE)


def _kinds(doc: ParsedDocument) -> Counter[NodeKind]:
    return Counter(n.kind for n in doc.all_nodes())


def _by_key(doc: ParsedDocument) -> dict[str, Node]:
    return {n.key: n for n in doc.all_nodes()}


def _related(doc: ParsedDocument) -> list[Node]:
    return [n for n in doc.nodes if n.key.startswith("related/")]


def _references(doc: ParsedDocument) -> list[Node]:
    return [n for n in doc.nodes if n.key.startswith("reference/")]


def _assert_provenance(src: str, doc: ParsedDocument) -> None:
    for node in doc.all_nodes():
        assert node.segments, node.key
        assert normalize_ws(" ".join(src[s:e] for s, e in node.segments)) == node.text, node.key
        previous_end = 0
        for s, e in node.segments:
            assert 0 <= s < e <= len(src), node.key
            assert s >= previous_end, f"{node.key}: segments overlap or are out of order"
            previous_end = e


# ------------------------------------------------------------------------------------------ the real text


def test_counts(doc: ParsedDocument) -> None:
    kinds = _kinds(doc)
    assert kinds[NodeKind.VISION] == 3
    assert kinds[NodeKind.FOCUS_AREA] == 3
    assert kinds[NodeKind.GOAL] == 6
    assert kinds[NodeKind.STATEMENT] == 26
    assert kinds[NodeKind.SECTION] == 4
    assert len(_related(doc)) == 92
    assert len(_references(doc)) == 4
    assert kinds[NodeKind.RELATED_DOCUMENT] == 96


def test_keys_unique_and_readable(doc: ParsedDocument) -> None:
    keys = [n.key for n in doc.all_nodes()]
    assert len(keys) == len(set(keys))
    pattern = re.compile(r"^(related/\d+|reference/\d+|section/\d+(/passage/\d+)?|vision/\d+(/passage/\d+)?"
                         r"|focus-area/\d+(/passage/\d+|/goal/\d+(/statement/\d+)?)?)$")
    for key in keys:
        assert pattern.match(key), key
    assert [n.key for n in _related(doc)] == [f"related/{i}" for i in range(1, 93)]


def test_provenance_round_trip(source: str, doc: ParsedDocument) -> None:
    _assert_provenance(source, doc)


def test_document_attrs(doc: ParsedDocument) -> None:
    assert doc.attrs["publisher"] == "Handicap- og Socialpsykiatriudvalget"
    assert doc.attrs["title"] == "Strategi 2014"


def test_top_level_order(doc: ParsedDocument) -> None:
    starts = [n.start for n in doc.nodes]
    assert starts == sorted(starts)
    sections = [n for n in doc.nodes if n.kind is NodeKind.SECTION]
    assert [(s.label, s.attrs.get("number")) for s in sections] == [
        ("Strategi 2014", None),
        ("Indledning", "1."),
        ("Visioner", "2."),
        ("Forslag til strategiske indsatsområder", "3."),
    ]
    for section in sections:
        assert section.text == section.label


def test_visions(doc: ParsedDocument) -> None:
    visions = [n for n in doc.all_nodes() if n.kind is NodeKind.VISION]
    assert [v.label for v in visions] == [
        "Vi vil bidrage til at skabe sammenhæng og kvalitet i handicappede og udsatte borgeres liv",
        "Vi vil være fagligt i front med den enkelte borger i fokus",
        "Vi vil have handlekraft, mangfoldighed og specialviden til at levere det bedste",
    ]
    assert [v.key for v in visions] == ["vision/1", "vision/2", "vision/3"]
    assert [len(v.children) for v in visions] == [1, 4, 6]
    assert visions[0].children[0].text.startswith("Borgerens ansvar for eget liv optimeres")
    for vision in visions:
        assert vision.text == vision.label
        assert all(c.kind is NodeKind.PASSAGE for c in vision.children)
    section = _by_key(doc)["section/3"]
    assert section.children == visions


def test_focus_areas(doc: ParsedDocument) -> None:
    areas = [n for n in doc.all_nodes() if n.kind is NodeKind.FOCUS_AREA]
    assert [(a.key, a.attrs["number"]) for a in areas] == [
        ("focus-area/1", "3.1"), ("focus-area/2", "3.2"), ("focus-area/3", "3.3")]
    assert areas[0].label == ("Alle medborgeres resurser skal have mulighed for at blive brugt gennem et "
                              "aktivt medborgerskab")
    assert areas[1].label == "Fremtidens marked for køb og salg"
    assert areas[2].label == "Velfærdsledelse veje til omstilling og udvikling"
    for area in areas:
        assert area.text == area.label
        passages = [c for c in area.children if c.kind is NodeKind.PASSAGE]
        goals = [c for c in area.children if c.kind is NodeKind.GOAL]
        assert passages and goals
        # narrative first, then the goal box
        assert [c.kind for c in area.children] == [NodeKind.PASSAGE] * len(passages) + [NodeKind.GOAL] * len(goals)
    assert areas[0].children[0].text == ("Medborgerskab handler om at opleve sig selv som en del af samfundet "
                                         "på lige fod med alle andre.")


def test_goal_groups(doc: ParsedDocument) -> None:
    areas = [n for n in doc.all_nodes() if n.kind is NodeKind.FOCUS_AREA]
    groups = [[(g.label, len(g.children)) for g in a.children if g.kind is NodeKind.GOAL] for a in areas]
    assert groups == [
        [("Motivation af borgerne til et aktivt medborgerskab", 3),
         ("Rammer for et stærkere og mere aktivt medborgerskab", 4),
         ("Indsatser til et aktivt medborgerskab", 4)],
        [("Fremtidens marked for køb og salg Hvad vil vi?", 10)],
        [("Styrkelse af samarbejdet om specialtilbud", 2),
         ("Tillid og relationer mellem borger og kommune", 3)],
    ]
    by_key = _by_key(doc)
    assert by_key["focus-area/1/goal/1"].attrs["box"] == "Aktivt medborgerskab: Hvad vil vi?"
    assert by_key["focus-area/1/goal/1/statement/1"].text == (
        "Borgerne skal have indflydelse på indholdet af de sociale ydelser gennem inddragelse og dialog")
    assert by_key["focus-area/1/goal/3/statement/4"].text == "Velfærdsteknologiske løsninger"
    assert by_key["focus-area/3/goal/2/statement/2"].text == (
        "Tillid og gensidig respekt skal være omdrejningspunktet for samtalen mellem borger og kommune")
    # a sentence opening with "Og" continues the item before it; a place name does not split an item
    assert by_key["focus-area/2/goal/1/statement/3"].text.endswith("der er målrettet de enkelte målgrupper.")
    assert by_key["focus-area/2/goal/1/statement/8"].text.endswith("dækkende Syd - og Vestsjælland.")
    for node in doc.all_nodes():
        if node.kind is NodeKind.GOAL:
            assert all(c.kind is NodeKind.STATEMENT for c in node.children)
            assert node.text == node.label


def test_related_documents_deduplicated(doc: ParsedDocument) -> None:
    related = _related(doc)
    folded = [normalize_ws(n.text).casefold() for n in related]
    assert len(folded) == len(set(folded))
    texts = [n.text for n in related]
    assert texts.count("Esbjerg Kommunes BØRN & UNGE POLITIK") == 1
    assert texts.count("God ledelse og styring i Region Midtjylland") == 1
    assert texts.count("Temaplan for psykisk sundhed") == 1
    assert texts[0] == "Strategi 2015 Handicap og Psykiatriudvalget Forår 2014"
    assert texts[-1] == "INTEGRATIONSPOLITIK"
    # the first occurrence wins: the Esbjerg title keeps its first place in the list (line 30)
    esbjerg = next(n for n in related if n.text == "Esbjerg Kommunes BØRN & UNGE POLITIK")
    assert esbjerg.key == "related/13"
    # sentences the page listed are kept as they are
    assert ("Det er et faktum, at vejen til bedre tilgængelighed og mere rummelighed i høj grad handler om at "
            "nedbryde barrierer i det omgivende samfund.") in texts
    for node in related:
        assert node.label == node.text
        assert node.attrs["role"] == "related"


def test_related_issuers(doc: ParsedDocument) -> None:
    issuers = {n.text: n.attrs.get("issuer") for n in _related(doc)}
    assert issuers["Strategi for frivillighed og civilsamfund. Lemvig Kommune"] == "Lemvig Kommune"
    assert issuers["Politik for socialt udsatte i Odsherred Kommune"] == "Odsherred Kommune"
    assert issuers["God ledelse og styring i Region Midtjylland"] == "Region Midtjylland"
    assert issuers[
        "FÆLLES MÅL FOR DET TVÆRGÅENDE HØJT SPECIALISEREDE SOCIALOMRÅDE OG SPECIALUNDERVISNINGS- OMRÅDET. "
        "Kommunerne i hovedstadsregionen og Region Hovedstaden"] == "Region Hovedstaden"
    assert issuers["Service og kvalitet. Politik for administration og service for borgerne i Randers Kommune"] \
        == "Randers Kommune"
    assert issuers["POLITIK FOR ADMINISTRation OG SERVICE FOR BORGERNE I RANDERS KOMMUNE. "
                   "Vi sætter os i borgerens sted..."] == "Randers Kommune"
    assert issuers["Esbjerg Kommunes BØRN & UNGE POLITIK"] == "Esbjerg Kommune"
    assert issuers["HOLBÆK KOMMUNES STRATEGI FOR VELFÆRDSTEKNOLOGI. Version 1 (2013)"] == "Holbæk Kommune"
    assert issuers["Ikast-Brande Kommune Vision for digitalisering og velfærdsteknologi"] == "Ikast-Brande Kommune"
    assert issuers["Frivillighedspolitik"] is None
    assert issuers["Danske Regioners arbejdsgiverpolitik"] is None
    assert sum(1 for v in issuers.values() if v) == 31


def test_references(doc: ParsedDocument) -> None:
    refs = _references(doc)
    assert [r.text for r in refs] == [
        "Evaluering af Kommunalreformen, marts 2013",
        "Byrådets visioner i Slagelse Kommune",
        "Vækstvilkår 2012-13 Slagelse, Vækstforum Sjælland og Væksthus Sjælland",
        "Velfærdsledelse, red. Sløk & Villadsen (2008)",
    ]
    assert refs[1].attrs["issuer"] == "Slagelse Kommune"
    assert all(r.kind is NodeKind.RELATED_DOCUMENT and r.attrs["role"] == "reference" for r in refs)


def _covered(doc: ParsedDocument, start: int, end: int) -> list[str]:
    return [n.key for n in doc.all_nodes() for s, e in n.segments if s < end and start < e]


def test_page_numbers_headers_and_toc_left_out(source: str, doc: ParsedDocument) -> None:
    lines = source.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    transcript = lines.index("Transkript:")
    page_numbers = []
    for i in range(transcript + 1, len(lines)):
        m = re.search(r"\s(\d{1,2})$", lines[i])
        if m:
            page_numbers.append(int(m.group(1)))
            assert not _covered(doc, offsets[i] + m.start(1), offsets[i] + m.end(1)), f"page number line {i + 1}"
        if lines[i].startswith("Visioner "):  # the running header
            assert not _covered(doc, offsets[i], offsets[i] + len("Visioner")), f"running header line {i + 1}"
    assert page_numbers == list(range(2, 13))
    # the two tables of contents make no nodes
    for i, line in enumerate(lines):
        if "Indledning... 4" in line:
            assert not _covered(doc, offsets[i], offsets[i] + len(line)), f"table of contents line {i + 1}"
    for node in doc.all_nodes():
        assert "\t" not in node.text
        assert not re.search(r"<\s*/?\s*[A-Za-z]", node.text)
        assert "..." not in node.text or node.key.startswith("related/")
        assert not node.text.startswith("Visioner ")
    # a sentence cut by a page break is one passage whose segments skip the page number
    by_text = {n.text: n for n in doc.all_nodes()}
    bridged = by_text["Herfra skal blikket rettes tilbage mod systemet, og på, hvordan den borgerrettede indsats "
                      "bedst muligt kan tilrettelægges."]
    assert len(bridged.segments) == 2
    assert source[bridged.segments[0][1]:bridged.segments[1][0]].split() == ["6"]


def test_passages_are_sentences(doc: ParsedDocument) -> None:
    intro = _by_key(doc)["section/2"]
    assert [p.text for p in intro.children][:2] == [
        "Handicap- og Socialpsykiatriudvalget har i foråret 2013 arbejdet med et forslag til Strategioplæg for "
        "handicap-, socialpsykiatri- og udsatteområdet gældende for 2014.",
        "Oplægget er baseret på udvalgets tre visioner.",
    ]
    assert len(intro.children) == 6
    assert len([n for n in doc.all_nodes() if n.kind is NodeKind.PASSAGE]) == 78


# ------------------------------------------------------------------------------------------ made-up text

MADE_UP = """Relaterede dokumenter
Handicappolitik for Testby Kommune

Strategi for REGION NORDJYLLAND

Handicappolitik  for Testby Kommune

Transkript:

Indhold 1. Indledning... 3 2. Visioner... 4 3. Indsatsområder... 5 3.1 Et godt liv... 5 2

Plan 2020 Planen er lavet af Testudvalget. Den gælder i to år. 3

Overskrift 1. Indledning Testudvalget har skrevet denne plan. Den er kort. 4

Overskrift 2. Visioner Vi vil skabe trivsel Borgerne skal trives. Vi vil være nytænkende Vi prøver nyt. 5

3. Indsatsområder 3.1 Et godt liv Et godt liv er vigtigt. Det kræver 6

samarbejde. Et godt liv: Hvad vil vi? Trivsel for alle borgere Borgerne skal have det godt Alle skal have \
et hjem Fællesskab for alle borgere Der skal være foreninger 7

Referencer: Lov om social service, 2015 Testby Kommunes handicappolitik 8
"""


@pytest.mark.parametrize("with_toc", [True, False])
def test_made_up_document(with_toc: bool) -> None:
    text = MADE_UP if with_toc else "\n".join(ln for ln in MADE_UP.split("\n") if not ln.startswith("Indhold"))
    doc = parse(text, "testby.txt")
    _assert_provenance(text, doc)
    kinds = _kinds(doc)
    assert kinds[NodeKind.VISION] == 2
    assert kinds[NodeKind.FOCUS_AREA] == 1
    assert kinds[NodeKind.GOAL] == 2
    assert kinds[NodeKind.STATEMENT] == 3
    related = _related(doc)
    assert [(n.text, n.attrs.get("issuer")) for n in related] == [
        ("Handicappolitik for Testby Kommune", "Testby Kommune"),
        ("Strategi for REGION NORDJYLLAND", "Region Nordjylland"),
    ]
    assert [n.text for n in _references(doc)] == ["Lov om social service, 2015", "Testby Kommunes handicappolitik"]
    by_key = _by_key(doc)
    assert [by_key[f"vision/{i}"].label for i in (1, 2)] == ["Vi vil skabe trivsel", "Vi vil være nytænkende"]
    assert by_key["focus-area/1"].label == "Et godt liv"
    assert by_key["focus-area/1/goal/1"].label == "Trivsel for alle borgere"
    assert by_key["focus-area/1/goal/2/statement/1"].text == "Der skal være foreninger"
    assert by_key["focus-area/1/passage/2"].text == "Det kræver samarbejde."
    assert by_key["section/2"].children[-1].text == "Den er kort."  # running header and page number left out
    assert doc.attrs == {"title": "Plan 2020", "publisher": "Testudvalget"}
    for node in doc.all_nodes():
        assert not re.search(r"(?<!\S)[2-8](?!\S)", node.text), node.key
        assert "Overskrift" not in node.text


def test_no_structure_raises_naming_the_file() -> None:
    text = "Relaterede dokumenter\nEn politik\n\nTranskript:\n\nBare lidt tekst uden overskrifter. 2\n"
    with pytest.raises(ParseError) as excinfo:
        parse(text, "ingen-struktur.txt")
    assert "ingen-struktur.txt" in str(excinfo.value)
    assert excinfo.value.line is not None


def test_other_layout_is_refused() -> None:
    text = read_source(CORPORA / "slagelse-2015-opfoelgning-udviklingsaftale-2014.txt").text
    with pytest.raises(ParseError, match="opfoelgning"):
        parse(text, "slagelse-2015-opfoelgning-udviklingsaftale-2014.txt")


@pytest.mark.parametrize(("title", "issuer"), [
    ("Politik for socialt udsatte i Odsherred Kommune", "Odsherred Kommune"),
    ("Esbjerg Kommunes. BØRN - og UNGEPOLITIK", "Esbjerg Kommune"),
    ("BØRNE- OG UNGEPOLITIK DRAGØR KOMMUNE", "Dragør Kommune"),
    ("God ledelse og styring i Region Midtjylland", "Region Midtjylland"),
    ("Strategi for REGION SJÆLLAND", "Region Sjælland"),
    ("Alle Kommuner og regioner", None),
    ("Danske Regioners arbejdsgiverpolitik", None),
])
def test_find_issuer(title: str, issuer: str | None) -> None:
    assert find_issuer(title) == issuer

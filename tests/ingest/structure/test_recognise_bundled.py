"""The five bundled texts through the one reader (``ingest.document.load_document``: format detection, the
format's reader, the structure recogniser, the document's date): what the document-fitted parsers they replaced
were tested for, checked on the new pipeline in readable form.

tests/ingest/structure/test_recognise_five_texts.py compares every node with the golden structure; these tests name
the behaviours: running headers, page numbers and contents pages left out, overview pages not counted twice,
mottos, principles, goal boxes, table rows with their status, related documents with their issuers, themes,
the document's date, and exact provenance of every node.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.document import LoadedDocument, load_document
from ingest.metadata import infer_metadata
from ingest.model import Node, NodeKind, ParsedDocument, line_of_offset, segment_text
from ingest.structure.cues import load_cues
from ingest.structure.recognise import split_items

CORPORA = Path(__file__).resolve().parents[3] / "corpora"
TRACKS = "slagelse-2024-2030-politisk-strategi.txt"
BEARINGS = "faxe-strategi-voksensocialomraadet.txt"
TRANSCRIPT = "slagelse-2014-strategi.txt"
FOLLOW_UP = "slagelse-2015-opfoelgning-udviklingsaftale-2014.txt"
PLAIN = "slagelse-2019-politiske-pejlemaerker.txt"
FILES = (TRACKS, BEARINGS, TRANSCRIPT, FOLLOW_UP, PLAIN)


@pytest.fixture(scope="module")
def loaded() -> dict[str, LoadedDocument]:
    return {name: load_document(CORPORA / name) for name in FILES}


def _doc(loaded: dict[str, LoadedDocument], name: str) -> ParsedDocument:
    return loaded[name].parsed


def _kinds(doc: ParsedDocument) -> Counter[NodeKind]:
    return Counter(n.kind for n in doc.all_nodes())


def _of(doc: ParsedDocument, kind: NodeKind) -> list[Node]:
    return [n for n in doc.all_nodes() if n.kind is kind]


def _by_key(doc: ParsedDocument) -> dict[str, Node]:
    return {n.key: n for n in doc.all_nodes()}


# ------------------------------------------------------------------------------------------ all five texts


@pytest.mark.parametrize(("name", "fmt"), [
    (TRACKS, "markdown"), (BEARINGS, "markdown"), (TRANSCRIPT, "web-transcript"), (FOLLOW_UP, "text"),
    (PLAIN, "text")])
def test_format_is_detected_from_the_content(loaded: dict[str, LoadedDocument], name: str, fmt: str) -> None:
    assert loaded[name].format == fmt
    assert loaded[name].source.text == (CORPORA / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FILES)
def test_provenance_round_trip(loaded: dict[str, LoadedDocument], name: str) -> None:
    source = loaded[name].source.text
    for node in _doc(loaded, name).all_nodes():
        assert node.segments, node.key
        previous_end = 0
        for s, e in node.segments:
            assert 0 <= s < e <= len(source), node.key
            assert s >= previous_end, f"{node.key}: segments overlap or are out of order"
            previous_end = e
        assert segment_text(source, node.segments) == node.text, node.key


@pytest.mark.parametrize("name", FILES)
def test_keys_unique_and_no_markup_in_text(loaded: dict[str, LoadedDocument], name: str) -> None:
    nodes = _doc(loaded, name).all_nodes()
    keys = [n.key for n in nodes]
    assert len(keys) == len(set(keys))
    for node in nodes:
        assert "**" not in node.text and "▶" not in node.text and "\t" not in node.text, node.key
        assert not re.search(r"<\s*/?\s*[A-Za-z]", node.text), node.key
        assert not node.text.startswith(("- ", "#")), node.key


@pytest.mark.parametrize("name", FILES)
def test_children_in_document_order(loaded: dict[str, LoadedDocument], name: str) -> None:
    doc = _doc(loaded, name)
    for node in doc.all_nodes():
        starts = [c.start for c in node.children]
        assert starts == sorted(starts), node.key
    if name != TRANSCRIPT:  # the transcript's related documents and references are listed first
        tops = [n.start for n in doc.nodes]
        assert tops == sorted(tops)


def test_date_only_from_a_dateline(loaded: dict[str, LoadedDocument]) -> None:
    """The follow-up report's "Januar 2015" under its title is its date; the Faxe strategy's workshop "Den
    9. november 2020" is an event the text tells of, so the document gets no date from it."""
    assert _doc(loaded, FOLLOW_UP).attrs["date"] == "2015-01"
    assert "date" not in _doc(loaded, BEARINGS).attrs
    assert "date" not in _doc(loaded, PLAIN).attrs


@pytest.mark.parametrize(("name", "committee"), [
    (TRACKS, "Socialudvalget"), (BEARINGS, "Socialudvalget"),
    (FOLLOW_UP, "Center for Handicap, Socialpsykiatri og Misbrug")])
def test_publisher_is_the_inferred_committee(loaded: dict[str, LoadedDocument], name: str, committee: str) -> None:
    """The publisher the old parsers read from a back page or a title page, now from metadata inference."""
    doc = loaded[name]
    assert doc.read is not None
    assert infer_metadata(doc.read, doc.parsed, file_name=name).committee.value == committee


def test_pages_only_where_the_text_has_them(loaded: dict[str, LoadedDocument]) -> None:
    """The transcript's inline page numbers (2 … 12) give pages; Markdown and plain text have none."""
    starts = loaded[TRANSCRIPT].page_starts
    assert [page for _, page in starts] == list(range(3, 13))
    source = loaded[TRANSCRIPT].source.text
    assert starts[0][0] > source.index("Transkript:")  # the list of related documents before it has no page
    for name in (TRACKS, BEARINGS, FOLLOW_UP, PLAIN):
        assert loaded[name].page_starts == ()


# ------------------------------------------------------------------------------------------ 2024-2030: tracks


def test_tracks_counts(loaded: dict[str, LoadedDocument]) -> None:
    kinds = _kinds(_doc(loaded, TRACKS))
    assert (kinds[NodeKind.VISION], kinds[NodeKind.TRACK], kinds[NodeKind.STATEMENT], kinds[NodeKind.SECTION]) \
        == (1, 8, 20, 1)


def test_tracks_vision_and_section(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, TRACKS)
    vision = doc.nodes[0]
    assert (vision.kind, vision.key, vision.label) == (NodeKind.VISION, "vision", "Vores vision er")
    assert [c.key for c in vision.children] == ["vision/passage/1", "vision/passage/2"]
    assert vision.children[0].text.startswith("At vi med udgangspunkt")
    section = next(n for n in doc.nodes if n.kind is NodeKind.SECTION)
    assert section.label == "Strategispor for det specialiserede voksenområde"
    assert [c.kind for c in section.children] == [NodeKind.PASSAGE]
    assert section.children[0].text.startswith("I Socialudvalget vil vi med 8 strategispor")


def test_tracks(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, TRACKS)
    tracks = [n for n in doc.nodes if n.kind is NodeKind.TRACK]
    assert [t.key for t in tracks] == [f"track/{i}" for i in range(1, 9)]
    assert [t.attrs["number"] for t in tracks] == [str(i) for i in range(1, 9)]
    assert tracks[0].label == "KVALITET OPSTÅR I MØDET"
    assert tracks[4].label == tracks[4].text == "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    assert [len(t.children) for t in tracks] == [3, 2, 2, 2, 3, 3, 3, 2]
    assert all(c.kind is NodeKind.STATEMENT for t in tracks for c in t.children)
    assert tracks[4].children[2].text == "Vi samarbejder med borgerens netværk."


def test_tracks_cover_title_and_back_page_are_not_nodes(loaded: dict[str, LoadedDocument]) -> None:
    texts = " ".join(n.text for n in _doc(loaded, TRACKS).all_nodes())
    assert "Torvegade" not in texts and "Redaktion" not in texts
    assert "Politisk strategi for det" not in texts


# ------------------------------------------------------------------------------------------ Faxe: bearings


def _bearings(doc: ParsedDocument) -> list[Node]:
    return [n for n in doc.nodes if n.kind is NodeKind.BEARING]


def test_bearings_counts(loaded: dict[str, LoadedDocument]) -> None:
    kinds = _kinds(_doc(loaded, BEARINGS))
    assert kinds[NodeKind.BEARING] == 4 and kinds[NodeKind.MOTTO] == 4 and kinds[NodeKind.PRINCIPLE] == 13
    assert kinds[NodeKind.STATEMENT] == 77 and kinds[NodeKind.RELATED_DOCUMENT] == 5
    assert kinds[NodeKind.SECTION] == 3 and kinds[NodeKind.VISION] == 0


def test_bearings_from_their_own_chapters(loaded: dict[str, LoadedDocument]) -> None:
    bearings = _bearings(_doc(loaded, BEARINGS))
    assert [b.label for b in bearings] == [
        "Medborgerskab og ansvar", "Sammen og på tværs", "Økonomisk bæredygtighed", "Dialog og tillid"]
    passages = [[c for c in b.children if c.kind is NodeKind.PASSAGE] for b in bearings]
    assert [len(p) for p in passages] == [4, 4, 2, 3]
    assert passages[0][0].text.startswith("Vi tager i Faxe Kommune udgangspunkt i")


def test_one_motto_per_bearing_own_preferred_over_the_overview(loaded: dict[str, LoadedDocument]) -> None:
    source = loaded[BEARINGS].source.text
    mottos = [[c for c in b.children if c.kind is NodeKind.MOTTO] for b in _bearings(_doc(loaded, BEARINGS))]
    assert [len(m) for m in mottos] == [1, 1, 1, 1]
    assert [m[0].text for m in mottos] == [
        "FOR ALLE SKAL HAVE CHANCER OG MULIGHEDER!",  # only on the overview page
        "FOR SAMMEN KAN VI MERE!", "FOR EN SUND OG BALANCERET ØKONOMI!", "FOR ALLE SKAL HØRES, SES OG FORSTÅS!"]
    first = mottos[0][0]
    assert len(first.segments) == 3  # three lines of the bold block, without the ** marks
    assert source[first.segments[0][0]:first.segments[0][1]] == "FOR ALLE SKAL"
    assert line_of_offset(source, mottos[1][0].start) == 190  # the bearing's own motto, not the overview's copy


def test_principles(loaded: dict[str, LoadedDocument]) -> None:
    principles = [[c for c in b.children if c.kind is NodeKind.PRINCIPLE] for b in _bearings(_doc(loaded, BEARINGS))]
    assert [len(p) for p in principles] == [4, 3, 3, 3]
    assert principles[0][0].label == "Vi understøtter mulighederne for at udleve sit fulde potentiale"
    assert principles[3][2].label == "Vi skaber sammenhæng gennem helhedssyn, forståelse og respekt"
    assert all(p.text == p.label and not p.text.endswith(":") for ps in principles for p in ps)
    assert [len(p.children) for ps in principles for p in ps] == [5, 9, 7, 6, 4, 5, 4, 5, 4, 6, 9, 6, 7]
    assert principles[0][2].children[3].text == "ved at være tilgængelige for borgeren"


def test_overview_and_contents_give_no_duplicates(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, BEARINGS)
    folded = [n.label.casefold() for n in doc.all_nodes() if n.label]
    assert folded.count("medborgerskab og ansvar") == 1
    assert not {"vi understøtter", "indhold", "principper"} & set(folded)
    assert not any(label.startswith("pejlemærke") for label in folded)
    assert "og opfordrer til selvhjulpethed" not in {n.text for n in _of(doc, NodeKind.STATEMENT)}


def test_foreword_sections_and_related_documents(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, BEARINGS)
    foreword = doc.nodes[0]
    assert (foreword.kind, foreword.label) == (NodeKind.SECTION, "Forord")
    subsections = [c for c in foreword.children if c.kind is NodeKind.SECTION]
    assert [s.label for s in subsections] == ["Tilblivelse", "Læsevejledning"]
    related = _of(doc, NodeKind.RELATED_DOCUMENT)
    assert [r.label for r in related][:3] == ["Udsattepolitikken", "Handicappolitikken", "Sundhedspolitikken"]
    assert related[2].text == "Sundhedspolitikken (for eksempel: mental sundhed og meningsfulde fællesskaber)"


# ------------------------------------------------------------------------------------------ 2014: transcript


def test_transcript_counts(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, TRANSCRIPT)
    kinds = _kinds(doc)
    assert (kinds[NodeKind.VISION], kinds[NodeKind.FOCUS_AREA], kinds[NodeKind.GOAL]) == (3, 3, 6)
    assert (kinds[NodeKind.STATEMENT], kinds[NodeKind.SECTION], kinds[NodeKind.PASSAGE]) == (26, 4, 78)
    roles = Counter(n.attrs.get("role") for n in _of(doc, NodeKind.RELATED_DOCUMENT))
    assert roles == {"related": 92, "reference": 4}


def test_transcript_sections_visions_and_focus_areas(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, TRANSCRIPT)
    sections = [n for n in doc.nodes if n.kind is NodeKind.SECTION]
    assert [(s.label, s.attrs.get("number")) for s in sections] == [
        ("Strategi 2014", None), ("Indledning", "1."), ("Visioner", "2."),
        ("Forslag til strategiske indsatsområder", "3.")]
    visions = _of(doc, NodeKind.VISION)
    assert [v.label for v in visions] == [
        "Vi vil bidrage til at skabe sammenhæng og kvalitet i handicappede og udsatte borgeres liv",
        "Vi vil være fagligt i front med den enkelte borger i fokus",
        "Vi vil have handlekraft, mangfoldighed og specialviden til at levere det bedste"]
    assert [len(v.children) for v in visions] == [1, 4, 6]
    areas = _of(doc, NodeKind.FOCUS_AREA)
    assert [(a.key, a.attrs["number"]) for a in areas] == [
        ("focus-area/1", "3.1"), ("focus-area/2", "3.2"), ("focus-area/3", "3.3")]
    assert areas[2].label == "Velfærdsledelse veje til omstilling og udvikling"
    for area in areas:  # narrative first, then the goal boxes
        kinds = [c.kind for c in area.children]
        assert kinds == sorted(kinds, key=lambda k: k is NodeKind.GOAL) and NodeKind.GOAL in kinds


def test_transcript_goal_boxes(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, TRANSCRIPT)
    groups = [[(g.label, len(g.children)) for g in a.children if g.kind is NodeKind.GOAL]
              for a in _of(doc, NodeKind.FOCUS_AREA)]
    assert groups == [
        [("Motivation af borgerne til et aktivt medborgerskab", 3),
         ("Rammer for et stærkere og mere aktivt medborgerskab", 4),
         ("Indsatser til et aktivt medborgerskab", 4)],
        [("Fremtidens marked for køb og salg Hvad vil vi?", 10)],
        [("Styrkelse af samarbejdet om specialtilbud", 2), ("Tillid og relationer mellem borger og kommune", 3)]]
    by_key = _by_key(doc)
    assert by_key["focus-area/1/goal/1"].attrs["box"] == "Aktivt medborgerskab: Hvad vil vi?"
    assert by_key["focus-area/2/goal/1/statement/3"].text.endswith("der er målrettet de enkelte målgrupper.")
    assert by_key["focus-area/2/goal/1/statement/8"].text.endswith("dækkende Syd - og Vestsjælland.")


def test_transcript_related_documents_deduplicated_with_issuers(loaded: dict[str, LoadedDocument]) -> None:
    related = [n for n in _doc(loaded, TRANSCRIPT).nodes if n.attrs.get("role") == "related"]
    texts = [n.text for n in related]
    assert len({t.casefold() for t in texts}) == len(texts) == 92
    assert texts[0] == "Strategi 2015 Handicap og Psykiatriudvalget Forår 2014"
    assert texts[-1] == "INTEGRATIONSPOLITIK"
    esbjerg = next(n for n in related if n.text == "Esbjerg Kommunes BØRN & UNGE POLITIK")
    assert esbjerg.key == "related/13" and esbjerg.attrs["issuer"] == "Esbjerg Kommune"
    issuers = {n.text: n.attrs.get("issuer") for n in related}
    assert issuers["Politik for socialt udsatte i Odsherred Kommune"] == "Odsherred Kommune"
    assert issuers["God ledelse og styring i Region Midtjylland"] == "Region Midtjylland"
    assert issuers["HOLBÆK KOMMUNES STRATEGI FOR VELFÆRDSTEKNOLOGI. Version 1 (2013)"] == "Holbæk Kommune"
    assert issuers["Ikast-Brande Kommune Vision for digitalisering og velfærdsteknologi"] == "Ikast-Brande Kommune"
    assert issuers["Frivillighedspolitik"] is None and issuers["Danske Regioners arbejdsgiverpolitik"] is None
    assert sum(1 for v in issuers.values() if v) == 31


def test_transcript_references(loaded: dict[str, LoadedDocument]) -> None:
    refs = [n for n in _doc(loaded, TRANSCRIPT).nodes if n.attrs.get("role") == "reference"]
    assert [r.text for r in refs] == [
        "Evaluering af Kommunalreformen, marts 2013", "Byrådets visioner i Slagelse Kommune",
        "Vækstvilkår 2012-13 Slagelse, Vækstforum Sjælland og Væksthus Sjælland",
        "Velfærdsledelse, red. Sløk & Villadsen (2008)"]
    assert refs[1].attrs["issuer"] == "Slagelse Kommune"


def test_transcript_page_numbers_running_headers_and_contents_left_out(loaded: dict[str, LoadedDocument]) -> None:
    source = loaded[TRANSCRIPT].source.text
    doc = _doc(loaded, TRANSCRIPT)
    covered = [(s, e) for n in doc.all_nodes() for s, e in n.segments]

    def is_covered(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in covered)

    lines = source.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    page_numbers = []
    for i in range(lines.index("Transkript:") + 1, len(lines)):
        m = re.search(r"\s(\d{1,2})$", lines[i])
        if m:
            page_numbers.append(int(m.group(1)))
            assert not is_covered(offsets[i] + m.start(1), offsets[i] + m.end(1)), f"page number, line {i + 1}"
        if lines[i].startswith("Visioner "):
            assert not is_covered(offsets[i], offsets[i] + len("Visioner")), f"running header, line {i + 1}"
        if "Indledning... 4" in lines[i]:
            assert not is_covered(offsets[i], offsets[i] + len(lines[i])), f"contents, line {i + 1}"
    assert page_numbers == list(range(2, 13))
    bridged = next(n for n in doc.all_nodes() if n.text == (
        "Herfra skal blikket rettes tilbage mod systemet, og på, hvordan den borgerrettede indsats bedst muligt "
        "kan tilrettelægges."))
    assert source[bridged.segments[0][1]:bridged.segments[1][0]].split() == ["6"]


# ------------------------------------------------------------------------------------------ 2015: follow-up table


def test_follow_up_counts_and_keys(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, FOLLOW_UP)
    kinds = _kinds(doc)
    assert (kinds[NodeKind.FOCUS_AREA], kinds[NodeKind.GOAL], kinds[NodeKind.ACTIVITY],
            kinds[NodeKind.STATUS_REPORT], kinds[NodeKind.SECTION]) == (4, 7, 11, 11, 2)
    assert sum(kinds.values()) == 35
    pattern = re.compile(r"^(section/\d+|theme/\d+(/goal/\d+(/activity/\d+(/status)?)?)?)$")
    assert all(pattern.match(n.key) for n in doc.all_nodes())


def test_follow_up_sections_and_themes(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, FOLLOW_UP)
    assert [(n.key, n.label) for n in doc.nodes] == [
        ("section/1", "Udviklingsmål koblet til Byrådets Vision"),
        ("section/2", "Udvalgets egne drifts- og udviklingsmål")]
    themes = _of(doc, NodeKind.FOCUS_AREA)
    assert [t.label for t in themes] == [
        "Klog, Sund, Vækst", "Aktivt medborgerskab", "Fremtidens marked for køb og salg af specialiserede tilbud",
        "Velfærdsledelse -veje til omstilling"]
    assert [[len(g.children) for g in t.children] for t in themes] == [[1], [1, 1], [3, 2], [2, 1]]


def test_follow_up_rows_link_activities_to_goals_and_status(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, FOLLOW_UP)
    source = loaded[FOLLOW_UP].source.text
    by_key = _by_key(doc)
    for activity in _of(doc, NodeKind.ACTIVITY):
        links = dict(activity.links)
        assert set(links) == {"forGoal", "hasStatus"}
        assert activity in by_key[links["forGoal"]].children
        assert [c.key for c in activity.children] == [links["hasStatus"]] == [f"{activity.key}/status"]
    assert [a.attrs.get("number") for a in _of(doc, NodeKind.ACTIVITY)] == [
        "1)", "1)", "2)", "A.", "B.", "C.", "A.", "B.", "A.", "B.", "A."]
    assert by_key["theme/2/goal/2"].attrs["number"] == "2)"
    assert "number" not in by_key["theme/4/goal/2"].attrs
    continued = by_key["theme/2/goal/2/activity/1"]  # an activity cell continued on a later row
    assert len(continued.segments) == 2
    assert continued.text.endswith("fritidskonsulent som døråbner og facilitator.")
    status = by_key["theme/2/goal/2/activity/1/status"]
    assert status.text.startswith("Borgernes deltagelse i det almene forenings- og kulturliv er styrket.")
    assert " - " not in status.text
    assert len(by_key["theme/3/goal/1/activity/1/status"].segments) == 2  # two <p> paragraphs
    assert "køber - kommunerne" in by_key["theme/3/goal/2/activity/1"].text  # a hyphen in a cell is no bullet
    for report in _of(doc, NodeKind.STATUS_REPORT):
        for s, e in report.segments:
            assert "<" not in source[s:e] and "\t" not in source[s:e]


# ------------------------------------------------------------------------------------------ 2019: plain bearings


def test_plain_bearings(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, PLAIN)
    kinds = _kinds(doc)
    assert (kinds[NodeKind.VISION], kinds[NodeKind.BEARING], kinds[NodeKind.STATEMENT], kinds[NodeKind.SECTION]) \
        == (1, 5, 24, 1)
    vision = next(n for n in doc.nodes if n.kind is NodeKind.VISION)
    assert vision.label == "Visionen for det specialiserede borgerområde"
    assert vision.text.startswith("At vi med udgangspunkt i de drømme og ressourcer")
    intro = doc.nodes[0]
    assert (intro.label, len(intro.children)) == ("Med visionen som drivkraft", 8)
    assert not any(c.text.startswith(("Visionen for", "At vi med")) for c in intro.children)
    bearings = [n for n in doc.nodes if n.kind is NodeKind.BEARING]
    assert [b.attrs.get("subtitle") for b in bearings] == [
        "Mødet imellem borgeren og kommunen", "Nye identiteter og aktive fællesskaber",
        "Forebyggelse og aftabuisering", "Sammenhængende borgerindsatser på tværs", None]
    assert [len([c for c in b.children if c.kind is NodeKind.STATEMENT]) for b in bearings] == [3, 6, 4, 5, 6]
    assert "Udvalget har særligt fokus på:" not in {n.text for n in doc.all_nodes()}


def test_plain_themes_are_on_the_document_not_nodes(loaded: dict[str, LoadedDocument]) -> None:
    doc = _doc(loaded, PLAIN)
    assert doc.themes == ["frivillighed", "netværksinddragelse", "boliger til udsatte og sårbare borgere"]
    assert not {n.text for n in _of(doc, NodeKind.STATEMENT)} & set(doc.themes)


@pytest.mark.parametrize(("items", "expected"), [
    ("frivillighed, netværksinddragelse og boliger til udsatte og sårbare borgere",
     ["frivillighed", "netværksinddragelse", "boliger til udsatte og sårbare borgere"]),
    ("bevægelse og kost", ["bevægelse og kost"]),
    ("ensomhed, bevægelse, kost og søvn", ["ensomhed", "bevægelse", "kost", "søvn"]),
])
def test_theme_lists_split_on_commas_and_the_last_joiner(items: str, expected: list[str]) -> None:
    assert split_items(items, load_cues().theme_joiners) == expected

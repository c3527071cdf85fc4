"""The recogniser on strategies unlike the five bundled texts (Markdown, plain text, pdftotext output).

Each document is a realistic Danish municipal text written for these tests; what it should become is stated in
the test. Nothing here is a near-copy of the bundled texts' structure.
"""

from __future__ import annotations

from pathlib import Path

from ingest.model import Node, NodeKind, ParsedDocument, segment_text
from ingest.read.text import read_text_document
from ingest.structure.cues import CUES_FILE, load_cues
from ingest.structure.recognise import recognise
from tests.ingest.structure.pdftext import pdftotext_pages


def _parse(text: str, file: str = "test.md") -> ParsedDocument:
    return recognise(read_text_document(text), file=file)


def _tree(doc: ParsedDocument) -> list[tuple[str, str, str | None]]:
    return [(str(n.kind), n.key, n.label) for n in doc.all_nodes()]


def _containers(doc: ParsedDocument) -> list[tuple[str, str | None]]:
    return [(str(n.kind), n.label) for n in doc.all_nodes()
            if n.kind not in (NodeKind.PASSAGE, NodeKind.STATEMENT)]


def _provenance_holds(doc: ParsedDocument, text: str) -> None:
    for node in doc.all_nodes():
        assert segment_text(text, node.segments) == node.text, node.key


KOEGE = """\
# Handicappolitik 2024-2028

Køge Kommune

## Forord

Køge Byråd har vedtaget en ny handicappolitik, der bygger på FN's handicapkonvention.

## Tema 1: Et selvstændigt liv

Borgere med handicap skal have de samme muligheder som andre.

Mål i 2028:

- Flere borgere med handicap bor i egen bolig.
- Ventetiden på bostøtte er under fire uger.

### Det gør vi

- Vi indfører digital bostøtte som et tilbud til alle.
- Vi laver en boligplan sammen med boligforeningerne.

## Tema 2: Fællesskab og fritid

Alle skal kunne være med i foreningslivet.

Mål i 2028:

- Alle botilbud samarbejder med mindst én forening.

### Det gør vi

- Vi giver foreningerne tilskud til ledsagere.

## Kontakt

Køge Kommune, Torvet 1, 4600 Køge
Tlf. 56 67 67 67
"""


def test_themes_with_goals_and_activities_from_list_labels() -> None:
    doc = _parse(KOEGE)
    _provenance_holds(doc, KOEGE)
    assert _containers(doc) == [
        ("Section", "Forord"),
        ("FocusArea", "Et selvstændigt liv"),
        ("Goal", "Flere borgere med handicap bor i egen bolig."),
        ("Goal", "Ventetiden på bostøtte er under fire uger."),
        ("Activity", None), ("Activity", None),
        ("FocusArea", "Fællesskab og fritid"),
        ("Goal", "Alle botilbud samarbejder med mindst én forening."),
        ("Activity", None),
    ]
    theme = doc.nodes[1]
    # "Tema" gives the key segment "theme" (a cue entry), the heading's number goes to attrs.
    assert theme.key == "theme/1" and theme.attrs["number"] == "1"
    assert [c.key for c in theme.children] == ["theme/1/passage/1", "theme/1/goal/1", "theme/1/goal/2",
                                               "theme/1/activity/1", "theme/1/activity/2"]
    # The title, its cover line and the contact box at the end are no nodes.
    assert not any(n.label in ("Handicappolitik 2024-2028", "Kontakt") for n in doc.all_nodes())
    assert not any(n.text == "Køge Kommune" for n in doc.all_nodes())


ROSKILDE = """\
SUNDHEDS- OG OMSORGSSTRATEGI

Roskilde Kommune

Indhold

1. Indledning ........................ 2
2. Visioner ........................ 3
3. Indsatsområder ........................ 4

1. Indledning

Strategien gælder for voksne borgere med behov for støtte. Den er vedtaget af Social-, Sundheds- og
Omsorgsudvalget i juni 2023.

2. Visioner

Vi vil være en kommune, hvor borgeren er i centrum. Vi vil give hjælp, der gør en forskel.

3. Indsatsområder

Udvalget har valgt to indsatsområder for perioden.

3.1 Tidlig forebyggelse

Jo tidligere vi hjælper, jo bedre går det.

Det vil vi:

- Vi opsporer ensomhed blandt ældre.
- Vi tilbyder forebyggende hjemmebesøg fra 70 år.

3.2 Rehabilitering

Borgeren skal kunne klare mest muligt selv.

Det vil vi:

- Vi tilbyder træning i eget hjem.
"""


def test_numbered_plain_text_nests_focus_areas_under_their_numbered_chapter() -> None:
    doc = _parse(ROSKILDE, "roskilde.txt")
    _provenance_holds(doc, ROSKILDE)
    tree = _tree(doc)
    assert [t for t in tree if t[0] != "Passage"] == [
        ("Section", "section/1", "Indledning"),
        ("Section", "section/2", "Visioner"),
        ("Section", "section/3", "Indsatsområder"),
        ("FocusArea", "focus-area/1", "Tidlig forebyggelse"),
        ("Statement", "focus-area/1/statement/1", None),
        ("Statement", "focus-area/1/statement/2", None),
        ("FocusArea", "focus-area/2", "Rehabilitering"),
        ("Statement", "focus-area/2/statement/1", None),
    ]
    chapter = next(n for n in doc.nodes if n.label == "Indsatsområder")
    assert [c.key for c in chapter.children] == ["section/3/passage/1", "focus-area/1", "focus-area/2"]
    # The contents page names the chapters once more: none of its lines is a node.
    assert sum(1 for n in doc.all_nodes() if n.label == "Indledning") == 1
    # "Det vil vi:" only introduces the list.
    assert not any(n.text == "Det vil vi:" for n in doc.all_nodes())


GULDBORGSUND = """\
Politiske pejlemærker for Social- og Sundhedsudvalget

Guldborgsund Kommune 2023

Udvalget har drøftet området på tre temamøder og har på den baggrund vedtaget tre pejlemærker, som skal styre
arbejdet frem mod 2026.

Et trygt hjem

Ingen skal sove på gaden i Guldborgsund. Vi arbejder efter Housing First.

- At der etableres ti skæve boliger i Nykøbing F.
- At bostøtten følger borgeren ved flytning.

Job før ydelse

Alle, der kan arbejde, skal have tilbud om job eller praktik.

- At jobcentret og socialområdet laver én fælles plan.

Sammen med de frivillige

Frivillige foreninger løfter en stor opgave. Det skal vi bakke op om.

- At foreningerne får et fast kontaktpunkt i kommunen.
"""


def test_an_announced_number_of_chapters_makes_them_bearings() -> None:
    doc = _parse(GULDBORGSUND, "guldborgsund.txt")
    _provenance_holds(doc, GULDBORGSUND)
    bearings = [n for n in doc.nodes if n.kind is NodeKind.BEARING]
    assert [(b.key, b.label) for b in bearings] == [
        ("bearing/1", "Et trygt hjem"), ("bearing/2", "Job før ydelse"), ("bearing/3", "Sammen med de frivillige")]
    assert [len([c for c in b.children if c.kind is NodeKind.STATEMENT]) for b in bearings] == [2, 1, 1]


def test_an_announcement_whose_number_does_not_fit_classifies_nothing() -> None:
    text = GULDBORGSUND.replace("tre pejlemærker", "fire pejlemærker")
    doc = _parse(text, "guldborgsund.txt")
    assert not any(n.kind is NodeKind.BEARING for n in doc.all_nodes())
    assert [n.label for n in doc.nodes if n.kind is NodeKind.SECTION] == [
        "Et trygt hjem", "Job før ydelse", "Sammen med de frivillige"]


SUMMARY = """\
# Udviklingsplan for botilbud 2025

## Overblik

### Pejlemærke 1: Trivsel

Beboerne trives.

### Pejlemærke 2: Sundhed

Beboerne er sunde.

## Pejlemærke 1: Trivsel

Trivsel handler om relationer, aktiviteter og tryghed i hverdagen.

- Vi holder beboermøder hver måned.

## Pejlemærke 2: Sundhed

Beboerne skal have samme adgang til sundhed som andre borgere.

- Vi indfører årlige sundhedstjek.

## Baggrund

Planen bygger på Slagelse Kommunes tilsynsrapporter fra 2024.
"""


def test_an_overview_that_repeats_later_chapters_is_not_counted_twice() -> None:
    doc = _parse(SUMMARY)
    assert _containers(doc) == [("Bearing", "Trivsel"), ("Bearing", "Sundhed"), ("Section", "Baggrund")]
    assert [n.attrs.get("number") for n in doc.nodes[:2]] == ["1", "2"]


ODSHERRED = """\
# Opfølgning på handleplan for socialpsykiatri 2024

| Indsatsområde | Mål | Aktivitet | Status |
|---|---|---|---|
| Bolig | Flere bor i egen bolig | Bostøtte om aftenen | Gennemført i marts |
|  |  | Udslusningsboliger | Forsinket til 2025 |
| Beskæftigelse | Flere i job | Virksomhedsmentorer | I gang |
"""


def test_a_table_whose_columns_name_classes_becomes_focus_areas_goals_activities_and_status() -> None:
    doc = _parse(ODSHERRED)
    _provenance_holds(doc, ODSHERRED)
    kinds = [(str(n.kind), n.text) for n in doc.all_nodes()]
    assert ("FocusArea", "Bolig") in kinds and ("FocusArea", "Beskæftigelse") in kinds
    assert sum(1 for k, _ in kinds if k == "Activity") == 3
    assert sum(1 for k, _ in kinds if k == "StatusReport") == 3
    assert not any(t in ("Indsatsområde", "Mål", "Aktivitet", "Status") for _, t in kinds), "header row as nodes"


def test_a_text_without_recognisable_structure_still_gives_sections_and_passages_with_a_warning() -> None:
    text = """\
Referat af dialogmøde

Mødet blev holdt på rådhuset. Der deltog 40 borgere og pårørende.

Der blev talt om ventetider, bostøtte og transport til aktivitetscentret.

Næste møde

Næste møde holdes i september. Alle er velkomne.
"""
    read = read_text_document(text)
    doc = recognise(read, file="referat.txt")
    assert {n.kind for n in doc.all_nodes()} <= {NodeKind.SECTION, NodeKind.PASSAGE}
    assert any(n.kind is NodeKind.PASSAGE for n in doc.all_nodes())
    assert "warning" in doc.attrs and "referat.txt" in doc.attrs["warning"]
    assert read.warnings and "no strategy structure" in read.warnings[0]


def _pdftotext(tmp_path: Path) -> str:
    """A PDF with a contents page, a running header and page numbers, through ``pdftotext -layout``."""
    pages = [
        [("Helvetica-Bold", 18, "Misbrugsplan 2025-2027"), ("Helvetica", 11, "Lolland Kommune")],
        [("Helvetica-Bold", 14, "Indhold"),
         ("Helvetica", 11, "Indledning . . . . . . . . . . . . . . . . . . . . 3"),
         ("Helvetica", 11, "Indsatsområde 1: Unge og rusmidler . . . . . . . 3"),
         ("Helvetica", 11, "Indsatsområde 2: Behandling og job . . . . . . . . 4")],
        [("Helvetica-Bold", 14, "Indledning"),
         ("Helvetica", 11, "Planen beskriver, hvordan Lolland Kommune vil hjælpe borgere med et misbrug."),
         ("Helvetica-Bold", 14, "Indsatsområde 1: Unge og rusmidler"),
         ("Helvetica", 11, "Flere unge eksperimenterer med rusmidler. Vi vil møde dem tidligt."),
         ("Helvetica-Bold", 12, "Mål"),
         ("Helvetica", 11, "• Færre unge under 18 år bruger hash."),
         ("Helvetica", 11, "• Alle unge i behandling har en uddannelsesplan.")],
        [("Helvetica-Bold", 14, "Indsatsområde 2: Behandling og job"),
         ("Helvetica", 11, "Behandling og beskæftigelse skal gå hånd i hånd."),
         ("Helvetica-Bold", 12, "Mål"),
         ("Helvetica", 11, "• Flere borgere i behandling er i job eller uddannelse.")],
    ]
    return pdftotext_pages(tmp_path / "misbrugsplan.pdf", pages, header="Lolland Kommune · Misbrugsplan 2025-2027",
                           numbers_from=2)


def test_pdftotext_output_without_contents_running_headers_or_page_numbers(tmp_path: Path) -> None:
    text = _pdftotext(tmp_path)
    doc = recognise(read_text_document(text), file="misbrugsplan.txt")
    _provenance_holds(doc, text)
    assert _containers(doc) == [
        ("Section", "Indledning"),
        ("FocusArea", "Unge og rusmidler"),
        ("Goal", "Færre unge under 18 år bruger hash."),
        ("Goal", "Alle unge i behandling har en uddannelsesplan."),
        ("FocusArea", "Behandling og job"),
        ("Goal", "Flere borgere i behandling er i job eller uddannelse."),
    ]
    texts = " ".join(n.text for n in doc.all_nodes())
    assert "Side " not in texts and "· Misbrugsplan" not in texts
    focus = [n for n in doc.all_nodes() if n.kind is NodeKind.FOCUS_AREA]
    assert all(text[n.start:n.end] == n.label for n in focus), "a label's span is the title, not the class word"


def test_cues_are_data_a_new_word_in_the_cue_file_changes_the_class(tmp_path: Path) -> None:
    text = """\
# Strategi for voksenområdet

## Hovedspor 1: Bolig

Vi vil have flere i egen bolig.

- Vi bygger 20 nye boliger.
"""
    before = _parse(text)
    assert not any(n.kind is NodeKind.TRACK for n in before.all_nodes())
    cue_file = tmp_path / "cues.toml"
    cue_file.write_text(CUES_FILE.read_text(encoding="utf-8").replace(
        'words = ["spor", "strategispor",', 'words = ["hovedspor", "spor", "strategispor",'), encoding="utf-8")
    after = recognise(read_text_document(text), file="test.md", cues=load_cues(cue_file))
    tracks: list[Node] = [n for n in after.all_nodes() if n.kind is NodeKind.TRACK]
    assert [(t.key, t.label, t.attrs.get("number")) for t in tracks] == [("track/1", "Bolig", "1")]
    assert [c.kind for c in tracks[0].children] == [NodeKind.PASSAGE, NodeKind.STATEMENT]


LEJRE = """\
# Plan for handicapområdet 2025

## 1. Baggrund

Planen er vedtaget af Lejre Byråd i januar 2025.

## 2. Indsatsområder

Der er to indsatsområder i planen.

## 2.1 Bolig

Flere borgere med handicap skal bo i egen bolig.

## 2.2 Beskæftigelse

Flere skal have et job på særlige vilkår.

## 3. Opfølgning

Udvalget følger op hvert år.
"""


def test_numbering_depth_nests_headings_a_conversion_flattened_to_one_level() -> None:
    doc = _parse(LEJRE)
    assert [(n.key, n.label, [c.key for c in n.children if c.kind is not NodeKind.PASSAGE]) for n in doc.nodes] == [
        ("section/1", "Baggrund", []),
        ("section/2", "Indsatsområder", ["focus-area/1", "focus-area/2"]),
        ("section/3", "Opfølgning", []),
    ]
    assert [n.attrs["number"] for n in doc.all_nodes() if n.kind is NodeKind.FOCUS_AREA] == ["2.1", "2.2"]


def test_a_lead_in_naming_its_own_class_ends_a_list_label_of_another() -> None:
    """Under "### Mål" the bullets are Goals; "Det gør vi:" that follows starts Activities, not a Goal."""
    text = ("# Handicappolitik 2025-2028\n\nLejre Kommune\n\n## Indsatsområde 1: Bolig\n\nEt trygt hjem er "
            "grundlaget.\n\n### Mål\n\n- Flere bor i egen bolig.\n- Kortere ventetid.\n\nDet gør vi:\n\n"
            "- Vi bygger 20 boliger.\n- Vi ansætter en koordinator.\n")
    parsed = recognise(read_text_document(text), file="lejre.md")
    focus = parsed.nodes[0]
    assert focus.kind is NodeKind.FOCUS_AREA and focus.label == "Bolig"
    assert [(c.kind, c.text) for c in focus.children if c.kind is not NodeKind.PASSAGE] == [
        (NodeKind.GOAL, "Flere bor i egen bolig."), (NodeKind.GOAL, "Kortere ventetid."),
        (NodeKind.ACTIVITY, "Vi bygger 20 boliger."), (NodeKind.ACTIVITY, "Vi ansætter en koordinator.")]

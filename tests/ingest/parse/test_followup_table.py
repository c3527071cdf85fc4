"""Tests for the followup-table layout parser (Slagelse "Opfølgning på Udviklingsaftalen 2014" and a made-up
municipality)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.manifest import read_source
from ingest.model import Node, NodeKind, ParsedDocument, normalize_ws
from ingest.parse.followup_table import parse

CORPORA = Path(__file__).resolve().parents[3] / "corpora"
FILE = "slagelse-2015-opfoelgning-udviklingsaftale-2014.txt"


@pytest.fixture(scope="module")
def source() -> str:
    return read_source(CORPORA / FILE).text


@pytest.fixture(scope="module")
def doc(source: str) -> ParsedDocument:
    return parse(source, FILE)


def _of(doc: ParsedDocument, kind: NodeKind) -> list[Node]:
    return [n for n in doc.all_nodes() if n.kind is kind]


def _by_key(doc: ParsedDocument) -> dict[str, Node]:
    return {n.key: n for n in doc.all_nodes()}


def _assert_provenance(src: str, doc: ParsedDocument) -> None:
    for node in doc.all_nodes():
        assert node.segments, node.key
        assert normalize_ws(" ".join(src[s:e] for s, e in node.segments)) == node.text, node.key
        previous_end = 0
        for s, e in node.segments:
            assert 0 <= s < e <= len(src), node.key
            assert s >= previous_end, f"{node.key}: segments overlap or are out of order"
            previous_end = e


def _assert_clean(doc: ParsedDocument) -> None:
    for node in doc.all_nodes():
        assert "\t" not in node.text, node.key
        assert not re.search(r"<\s*/?\s*(p|ul|ol|li|br|div|span|strong|em|b|i)\b", node.text, re.I), node.key
        assert "<" not in node.text and ">" not in node.text, node.key


def _assert_links(doc: ParsedDocument) -> None:
    by_key = _by_key(doc)
    for activity in _of(doc, NodeKind.ACTIVITY):
        links = dict(activity.links)
        assert set(links) == {"forGoal", "hasStatus"}
        assert all(target in by_key for target in links.values())
        goal = by_key[links["forGoal"]]
        assert goal.kind is NodeKind.GOAL and activity in goal.children
        assert links["hasStatus"] == f"{activity.key}/status"
        assert [c.key for c in activity.children] == [links["hasStatus"]]
        assert by_key[links["hasStatus"]].kind is NodeKind.STATUS_REPORT


# ------------------------------------------------------------------------------------------ the real text


def test_counts(doc: ParsedDocument) -> None:
    kinds = Counter(n.kind for n in doc.all_nodes())
    assert kinds[NodeKind.FOCUS_AREA] == 4
    assert kinds[NodeKind.GOAL] == 7
    assert kinds[NodeKind.ACTIVITY] == 11
    assert kinds[NodeKind.STATUS_REPORT] == 11
    assert kinds[NodeKind.SECTION] == 2
    assert sum(kinds.values()) == 35


def test_document_attrs(doc: ParsedDocument) -> None:
    assert doc.attrs["date"] == "2015-01"
    assert doc.attrs["publisher"] == "Center for Handicap, Socialpsykiatri og Misbrug"
    assert doc.attrs["title"] == "Opfølgning på Udviklingsaftalen 2014"


def test_keys_unique(doc: ParsedDocument) -> None:
    keys = [n.key for n in doc.all_nodes()]
    assert len(keys) == len(set(keys))
    pattern = re.compile(r"^(section/\d+|theme/\d+(/goal/\d+(/activity/\d+(/status)?)?)?)$")
    assert all(pattern.match(k) for k in keys), keys


def test_provenance_round_trip(source: str, doc: ParsedDocument) -> None:
    _assert_provenance(source, doc)


def test_no_tags_or_tabs_in_text(doc: ParsedDocument) -> None:
    _assert_clean(doc)


def test_links(doc: ParsedDocument) -> None:
    _assert_links(doc)


def test_sections_and_themes(doc: ParsedDocument) -> None:
    assert [(n.key, n.label) for n in doc.nodes] == [
        ("section/1", "Udviklingsmål koblet til Byrådets Vision"),
        ("section/2", "Udvalgets egne drifts- og udviklingsmål"),
    ]
    themes = _of(doc, NodeKind.FOCUS_AREA)
    assert [(t.key, t.label) for t in themes] == [
        ("theme/1", "Klog, Sund, Vækst"),
        ("theme/2", "Aktivt medborgerskab"),
        ("theme/3", "Fremtidens marked for køb og salg af specialiserede tilbud"),
        ("theme/4", "Velfærdsledelse -veje til omstilling"),
    ]
    assert [t.key for t in doc.nodes[0].children] == ["theme/1"]
    assert [t.key for t in doc.nodes[1].children] == ["theme/2", "theme/3", "theme/4"]
    for theme in themes:
        assert theme.text == theme.label
        assert all(c.kind is NodeKind.GOAL for c in theme.children)


def test_goals(doc: ParsedDocument) -> None:
    themes = _of(doc, NodeKind.FOCUS_AREA)
    assert [[len(g.children) for g in t.children] for t in themes] == [[1], [1, 1], [3, 2], [2, 1]]
    by_key = _by_key(doc)
    goal = by_key["theme/2/goal/2"]
    assert goal.label == goal.text == "Udvikle rammer for et stærkere og mere aktivt medborgerskab."
    assert goal.attrs["number"] == "2)"
    # a row lacking its theme cell (a shorter row starting with a numbered goal) still lands under its theme
    goal = by_key["theme/3/goal/2"]
    assert goal.text.startswith("Markedsføringen af Slagelse Kommunes tilbud indenfor")
    assert goal.attrs["number"] == "2)"
    # an unnumbered goal
    goal = by_key["theme/4/goal/2"]
    assert goal.text.startswith("Dialog og et tillidsbaseret samarbejde")
    assert "number" not in goal.attrs
    assert by_key["theme/1/goal/1"].text.startswith("Centre for handicappede, sindslidende og udsatte vil bidrage")


def test_activities_and_status(source: str, doc: ParsedDocument) -> None:
    by_key = _by_key(doc)
    numbers = [a.attrs.get("number") for a in _of(doc, NodeKind.ACTIVITY)]
    assert numbers == ["1)", "1)", "2)", "A.", "B.", "C.", "A.", "B.", "A.", "B.", "A."]
    # an activity cell continued on a later row (lower-case start) is one activity with two segments
    activity = by_key["theme/2/goal/2/activity/1"]
    assert activity.text == (
        "Borgernes deltagelse i det almene forenings- og kulturliv skal styrkes gennem samarbejde og facilitering "
        "med det etablerede foreningsliv og de frivillige organisationer. Dette skal bl.a. ske med den ansatte "
        "fritidskonsulent som døråbner og facilitator.")
    assert len(activity.segments) == 2
    status = by_key["theme/2/goal/2/activity/1/status"]
    assert status.text.startswith("Borgernes deltagelse i det almene forenings- og kulturliv er styrket.")
    assert "Udarbejdelse af et katalog med borgernes egne ønsker til fritidsaktiviteter" in status.text
    assert status.text.endswith("en bedre forståelse af politik og demokrati.")
    assert " - " not in status.text  # bullet markers are left out
    # "1) A." numbers the activity "A." and keeps both markers out of the text
    activity = by_key["theme/3/goal/1/activity/1"]
    assert activity.text.startswith("Matchtemaet skal sikre")
    status = by_key["theme/3/goal/1/activity/1/status"]
    assert len(status.segments) == 2  # two <p> paragraphs
    assert status.text.endswith("Slagelse Kommunes udbud.")
    assert by_key["theme/4/goal/2/activity/1/status"].text.endswith("er derfor blevet fravalgt.")
    # a hyphen inside a cell is not a bullet
    assert "køber - kommunerne" in by_key["theme/3/goal/2/activity/1"].text
    for status in _of(doc, NodeKind.STATUS_REPORT):
        assert status.key.endswith("/status")
        for s, e in status.segments:
            assert "<" not in source[s:e] and "\t" not in source[s:e]


# ------------------------------------------------------------------------------------------ made-up text

MADE_UP = """Forvaltningen for Social og Sundhed

Status på handleplanen 2022

3. marts 2023

Indsatsområde\tMål\tAktiviteter\tStatus
<p>Et godt hjem</p>\t<p>1) Alle skal have en bolig</p>\t<p>A. Vi bygger tyve boliger</p>\t<p>Ti boliger er bygget.</p>
\t\t<p>B. Vi lejer boliger</p>\t<p>Der er lejet</p>
\t\t<p>og indrettet fem boliger</p>\t<p>fem boliger.</p> <ul><li>- Flere er på vej.</li></ul>
<p>2) Boligerne skal være trygge</p>\t<p>A. Tryghedsvandringer</p>\t<p>Gennemført i alle bydele.</p>\t

Arbejde\t1) Flere i job\t1) Jobcafé\tÅbnet i maj.
"""


def test_made_up_document() -> None:
    doc = parse(MADE_UP, "by.txt")
    _assert_provenance(MADE_UP, doc)
    _assert_clean(doc)
    _assert_links(doc)
    assert doc.attrs == {"publisher": "Forvaltningen for Social og Sundhed", "title": "Status på handleplanen 2022",
                         "date": "2023-03-03"}
    themes = _of(doc, NodeKind.FOCUS_AREA)
    assert [t.label for t in themes] == ["Et godt hjem", "Arbejde"]
    assert [t.key for t in doc.nodes] == ["theme/1", "theme/2"]
    assert [[g.label for g in t.children] for t in themes] == [
        ["Alle skal have en bolig", "Boligerne skal være trygge"], ["Flere i job"]]
    by_key = _by_key(doc)
    assert [a.text for a in by_key["theme/1/goal/1"].children] == [
        "Vi bygger tyve boliger", "Vi lejer boliger og indrettet fem boliger"]
    assert by_key["theme/1/goal/1/activity/2/status"].text == "Der er lejet fem boliger. Flere er på vej."
    assert by_key["theme/1/goal/2/activity/1"].attrs["number"] == "A."
    assert by_key["theme/1/goal/2/activity/1/status"].text == "Gennemført i alle bydele."
    assert by_key["theme/2/goal/1/activity/1/status"].text == "Åbnet i maj."


def test_no_table_raises_naming_the_file() -> None:
    with pytest.raises(ParseError) as excinfo:
        parse("Center for noget\n\nBare tekst uden tabel.\nMål og status nævnes kun.\n", "uden-tabel.txt")
    assert "uden-tabel.txt" in str(excinfo.value)
    assert excinfo.value.line == 1


def test_goal_before_theme_raises_with_line() -> None:
    text = "Tema\tMål\tAktiviteter\tStatus\n\t1) Et mål\tA. En aktivitet\tEn status\n"
    with pytest.raises(ParseError) as excinfo:
        parse(text, "uden-tema.txt")
    assert "uden-tema.txt:2" in str(excinfo.value)


def test_other_layout_is_refused() -> None:
    text = read_source(CORPORA / "slagelse-2014-strategi.txt").text
    with pytest.raises(ParseError, match="slagelse-2014-strategi.txt"):
        parse(text, "slagelse-2014-strategi.txt")

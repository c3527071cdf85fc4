"""Column roles and the nesting of table cells into FocusArea ▸ Goal ▸ Activity ▸ StatusReport nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from ingest.model import Node, NodeKind, segment_text
from ingest.read import BlockKind, ReadDocument
from ingest.read.tabular import read_tab_table
from ingest.structure.cues import load_cues
from ingest.structure.tables import Role, column_role, split_items, table_nodes
from tests.strategies import layoutish_text

DATA = Path(__file__).resolve().parents[2] / "data" / "read" / "tabular"


def _read(name: str) -> ReadDocument:
    return read_tab_table((DATA / name).read_bytes().decode("utf-8"))


def _nodes(doc: ReadDocument, key_prefix: str = "") -> list[Node]:
    counters: dict[str, int] = {}
    out: list[Node] = []
    for table in sorted({b.table for b in doc.blocks if b.kind is BlockKind.TABLE_CELL and b.table is not None}):
        cells = [b for b in doc.blocks if b.kind is BlockKind.TABLE_CELL and b.table == table]
        out += table_nodes(cells, doc.text, cues=load_cues(), key_prefix=key_prefix, counters=counters)
    return out


def _all(nodes: list[Node]) -> list[Node]:
    return [n for top in nodes for n in top.walk()]


@pytest.fixture(scope="module")
def report() -> tuple[ReadDocument, list[Node]]:
    doc = _read("guldborgsund-opfoelgning-handleplan-2023.txt")
    return doc, _nodes(doc)


@pytest.mark.parametrize(("header", "kind", "key"), [
    ("Udviklingstema", NodeKind.FOCUS_AREA, "theme"),
    ("Tema", NodeKind.FOCUS_AREA, "theme"),
    ("Indsatsområde", NodeKind.FOCUS_AREA, "focus-area"),
    ("Mål", NodeKind.GOAL, "goal"),
    ("Målsætning", NodeKind.GOAL, "goal"),
    ("Resultatmål", NodeKind.GOAL, "goal"),
    ("Aktiviteter", NodeKind.ACTIVITY, "activity"),
    ("Handlinger", NodeKind.ACTIVITY, "activity"),
    ("Status", NodeKind.STATUS_REPORT, "status"),
    ("Status pr. 1. juni", NodeKind.STATUS_REPORT, "status"),
    ("Goals", NodeKind.GOAL, "goal"),
    ("Actions", NodeKind.ACTIVITY, "activity"),
    ("Theme", NodeKind.FOCUS_AREA, "theme"),
])
def test_column_headers_name_their_class(header: str, kind: NodeKind, key: str) -> None:
    role = column_role(header, load_cues())
    assert role is not None and (role.kind, role.key) == (kind, key)


@pytest.mark.parametrize("header", ["Ansvarlig", "Tidsplan", "Målgruppe", "Økonomi"])
def test_other_columns_have_no_role(header: str) -> None:
    assert column_role(header, load_cues()) is None


def test_status_is_one_node_per_parent() -> None:
    assert column_role("Status", load_cues()) == Role(NodeKind.STATUS_REPORT, "status", single=True)


def test_every_node_points_at_its_own_text(report: tuple[ReadDocument, list[Node]]) -> None:
    doc, nodes = report
    for node in _all(nodes):
        assert segment_text(doc.text, node.segments) == node.text
        assert "<" not in node.text


def test_follow_up_report_nests_by_column_role(report: tuple[ReadDocument, list[Node]]) -> None:
    _, nodes = report
    counts = {k: sum(1 for n in _all(nodes) if n.kind is k) for k in NodeKind}
    assert counts[NodeKind.FOCUS_AREA] == 4
    assert counts[NodeKind.GOAL] == 6
    assert counts[NodeKind.ACTIVITY] == 10
    assert counts[NodeKind.STATUS_REPORT] == 8
    # keys count focus areas across both tables; the responsible-unit column ("Ansvarlig") gives no node
    assert [n.key for n in nodes] == ["focus-area/1", "focus-area/2", "focus-area/3", "focus-area/4"]
    assert not [n for n in _all(nodes) if n.text in ("Myndighed", "Bostøtten", "Jobcentret")]
    housing = nodes[0]
    assert housing.label == "Bolig og hjemløshed"
    assert [(g.key, g.attrs.get("number"), g.label) for g in housing.children] == [
        ("focus-area/1/goal/1", "1)", "Ingen borger i kommunen skal bo på herberg i mere end 90 dage."),
        ("focus-area/1/goal/2", "2)", "Udsættelser af lejere med psykiske lidelser skal forebygges.")]


def test_numbered_items_of_one_cell_become_separate_activities(report: tuple[ReadDocument, list[Node]]) -> None:
    _, nodes = report
    goal = nodes[0].children[0]
    assert [(a.key, a.attrs["number"], a.text) for a in goal.children] == [
        ("focus-area/1/goal/1/activity/1", "1)", "Der etableres 12 skæve boliger i Nykøbing F."),
        ("focus-area/1/goal/1/activity/2", "2)", "Housing First-metoden udbredes til hele bostøtten.")]
    # the row's status belongs to the row's last activity
    assert goal.children[0].children == []
    status = goal.children[1].children[0]
    assert (status.kind, status.key) == (NodeKind.STATUS_REPORT, "focus-area/1/goal/1/activity/2/status")
    assert goal.children[1].links == [("forGoal", "focus-area/1/goal/1"),
                                      ("hasStatus", "focus-area/1/goal/1/activity/2/status")]


def test_rows_spanning_from_above_stay_under_their_goal(report: tuple[ReadDocument, list[Node]]) -> None:
    _, nodes = report
    goal = nodes[0].children[1]
    assert [(a.attrs["number"], a.text, a.children[0].text) for a in goal.children] == [
        ("A.", "Fast samarbejde med boligselskaberne om tidlig varsling.",
         "Aftale indgået med tre af fire boligselskaber."),
        ("B.", "Økonomisk rådgivning tilbydes alle borgere med huslejerestance.",
         "Rådgivningen startede i marts og har haft 47 forløb.")]
    work = nodes[1]
    assert [g.attrs["number"] for g in work.children] == ["1)", "2)"]
    ips = work.children[0].children[0]
    assert ips.text.endswith("kobles til jobcentrets virksomhedskonsulenter.") and len(ips.segments) == 2
    assert ips.children[0].text.endswith("21 af dem er i ordinært job eller uddannelse.")


def test_key_prefix_and_a_table_without_focus_areas() -> None:
    doc = _read("ringsted-handleplan-demens-2024.txt")
    nodes = _nodes(doc, key_prefix="section/1")
    assert [(n.kind, n.key) for n in nodes] == [(NodeKind.GOAL, "section/1/goal/1"), (NodeKind.GOAL, "section/1/goal/2")]
    first, second = nodes
    assert [a.text for a in first.children] == ["Demenskoordinatorerne tildeles faste distrikter.",
                                                "Pårørende tilbydes et kursus om demens."]
    assert [a.children[0].text for a in first.children] == ["Gennemført. Alle distrikter er dækket.",
                                                            "Første kursus holdt i maj med 18 deltagere."]
    # the timetable column has no role; the last activity has no status
    assert [(a.text, a.children) for a in second.children] == [
        ("Samarbejde med hukommelsesklinikken om faste tider.", [])]
    assert second.attrs == {"number": "2)"}


def test_a_sequence_splits_a_cell_but_a_lone_number_does_not() -> None:
    text = "1) Foreningerne inddrages. 2) Der afsættes en pulje. 3) Resultaterne drøftes i 2025."
    items = split_items(text, [(0, len(text))])
    assert [(i.number, text[i.segments[0][0]:i.segments[-1][1]].strip()) for i in items] == [
        ("1)", "Foreningerne inddrages."), ("2)", "Der afsættes en pulje."), ("3)", "Resultaterne drøftes i 2025.")]
    lone = "A. Nedsættelse af et etisk forum. Forummet mødes 4. gang i maj. C. Ikke en række."
    items = split_items(lone, [(0, len(lone))])
    assert len(items) == 1 and items[0].number == "A."


def test_a_numbered_status_beside_as_many_activities_reports_on_each(report: tuple[ReadDocument, list[Node]]) -> None:
    _, nodes = report
    goal = nodes[3].children[0]
    assert [(a.text, [c.text for c in a.children]) for a in goal.children] == [
        ("Pårørendecafé på alle bosteder.", ["Caféen holdes nu på fire af fem bosteder."]),
        ("Fast pårørendekontakt i socialpsykiatrien.", ["Kontakten blev ansat pr. 1. september."])]
    assert [a.children[0].key for a in goal.children] == ["focus-area/4/goal/1/activity/1/status",
                                                          "focus-area/4/goal/1/activity/2/status"]


@settings(max_examples=150, deadline=None)
@given(layoutish_text)
def test_tables_of_any_text_give_nodes_that_point_at_their_text(text: str) -> None:
    doc = read_tab_table(text)
    for node in _all(_nodes(doc)):
        assert segment_text(doc.text, node.segments) == node.text


def test_first_column_naming_another_class_is_a_reference_not_a_topic() -> None:
    """A plan's action table "Strategispor | Handling | Ansvarlig" points at tracks stated earlier: its rows are
    Activities, and "Spor 1" does not become a new FocusArea."""
    text = "Strategispor\tHandling\tAnsvarlig\nSpor 1\tÅbne rådgivningsdage i alle bydele\tMyndighed\n"
    doc = read_tab_table(text)
    cells = [b for b in doc.blocks if b.kind is BlockKind.TABLE_CELL]
    nodes = table_nodes(cells, doc.text, cues=load_cues(), counters={})
    assert [n.kind for n in nodes] == [NodeKind.ACTIVITY]
    assert nodes[0].text == "Åbne rådgivningsdage i alle bydele"

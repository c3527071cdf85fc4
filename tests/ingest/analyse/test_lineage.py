"""Lineage within a municipality: themes carried over, new and dropped; sg:carriesOver in the graph;
what the 2015 follow-up reports on the 2014 goals and with what status."""

from __future__ import annotations

import pytest

from ingest.analyse import lineage
from ingest.analyse.overlap_detection import DEFAULT_PARAMS, partner_map
from service.generation import Generation

ID = "https://w3id.org/strategigraf/id/"


@pytest.mark.parametrize(("text", "status"), [
    ("Målet om nedsættelse af et Etisk Dialogforum er realiseret.", lineage.STATUS_DONE),
    ("FUR er implementeret og danner i dag grundlag for dialog.", lineage.STATUS_DONE),
    ("Slagelse Kommune har ansat en konsulent, som er i gang med at udvikle en strategi.", lineage.STATUS_ONGOING),
    ("Deltagelse i Mandag Morgens projekt er derfor blevet fravalgt.", lineage.STATUS_DROPPED),
    ("Der er afholdt et møde.", lineage.STATUS_UNCLEAR),
])
def test_status_is_read_from_the_wording(text: str, status: str) -> None:
    assert lineage.classify_status(text) == status


def test_theme_levels_follow_the_documents_structure(generation: Generation) -> None:
    levels = {doc: lineage.theme_level(generation.nodes, doc) for doc in generation.documents}
    assert levels == {"slagelse-2024-2030": "Track", "faxe-strategi": "Principle", "slagelse-2019": "Bearing",
                      "slagelse-2014": "FocusArea", "slagelse-2015-opfoelgning": "FocusArea"}


def _partners(generation: Generation) -> dict[int, dict[int, float]]:
    pos = generation.position
    return partner_map((pos[a], pos[b], s) for a, b, s in generation.analysis["alignments"])


def _scores(generation: Generation) -> dict[tuple[int, int], float]:
    pos = generation.position
    out: dict[tuple[int, int], float] = {}
    for row in generation.analysis["container_scores"]:
        out[(pos[row[0]], pos[row[1]])] = out[(pos[row[1]], pos[row[0]])] = row[2]
    return out


def test_2019_to_2024_drops_rusmiddelomraadet_and_carries_over_the_vision(generation: Generation) -> None:
    result = lineage.compare(generation.nodes, "slagelse-2019", "slagelse-2024-2030", _partners(generation),
                             _scores(generation), DEFAULT_PARAMS.container_threshold)
    dropped = {generation.nodes[i].label for i in result.dropped}
    assert "Rusmiddelområdet" in dropped
    carried = {(generation.nodes[link.earlier].type, generation.nodes[link.later].type) for link in result.carried_over}
    assert ("Vision", "Vision") in carried
    new = {generation.nodes[i].label for i in result.new}
    assert new and "FÆLLESSKABER" not in new
    for link in result.carried_over:
        assert link.matches, "a carried-over theme is explained by aligned statements"


def test_carries_over_links_let_sparql_follow_a_theme_across_years(generation: Generation) -> None:
    rows = list(generation.store.query("""
        PREFIX sg: <https://w3id.org/strategigraf/ontology#>
        SELECT DISTINCT ?later ?earlier WHERE {
          ?later sg:carriesOver ?earlier .
          ?later sg:inDocument <https://w3id.org/strategigraf/id/slagelse-2024-2030> .
          ?earlier sg:inDocument <https://w3id.org/strategigraf/id/slagelse-2019> .
        }"""))
    pairs = {(str(r["later"].value), str(r["earlier"].value)) for r in rows}  # type: ignore[index, union-attr]
    assert (ID + "slagelse-2024-2030/track/4", ID + "slagelse-2019/bearing/4") in pairs
    for later, earlier in pairs:
        assert generation.node(later) is not None and generation.node(earlier) is not None
    assert not bool(generation.store.query("""
        PREFIX sg: <https://w3id.org/strategigraf/ontology#>
        ASK { ?l sg:carriesOver ?e . ?l sg:inDocument ?d . ?e sg:inDocument ?d }""")), \
        "carries-over links join different documents"


def test_follow_up_lists_each_report_goal_under_one_followed_goal_its_best(generation: Generation) -> None:
    """A report goal that matches several goals of the followed-up document is shown under the one it matches
    best, so each of its activities appears once."""
    scores = _scores(generation)
    items = lineage.follow_up(generation.nodes, "slagelse-2014", "slagelse-2015-opfoelgning", scores,
                              DEFAULT_PARAMS.container_threshold)
    shown = [r.goal for item in items for r in item.reports]
    assert shown and len(shown) == len(set(shown))
    activities = [a for item in items for r in item.reports for a, _, _ in r.activities]
    assert len(activities) == len(set(activities))
    goals = [item.goal for item in items]
    several = [rg for rg in shown if sum(scores.get((g, rg), 0.0) >= DEFAULT_PARAMS.container_threshold
                                         for g in goals) > 1]
    assert several, "some report goal matches several 2014 goals (the case this guards)"
    for item in items:
        for r in item.reports:
            assert r.score == max(scores.get((g, r.goal), 0.0) for g in goals)


def test_follow_up_reports_on_2014_goals_with_status(generation: Generation) -> None:
    items = next(f for f in generation.analysis["follow_ups"]
                 if f["report"] == "slagelse-2015-opfoelgning" and f["followed"] == "slagelse-2014")
    by_goal = {generation.node(g["goal"]).text: g for g in items["goals"]}  # type: ignore[union-attr]
    tillid = by_goal["Tillid og relationer mellem borger og kommune"]
    statuses = {a["status_class"] for r in tillid["reports"] for a in r["activities"]}
    assert {lineage.STATUS_DONE, lineage.STATUS_DROPPED} <= statuses
    assert by_goal["Styrkelse af samarbejdet om specialtilbud"]["reports"] == []

"""service/compare.py and /compare over the real build: themes carried over (each earlier theme once, with its
partners), new and dropped within Slagelse; follow-up status with each activity once; a reversed request
turned around with a Danish note; two municipalities compared with a Danish note; errors as problem+json.
The page /sammenlign: tests/service/pages/test_views.py."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.compare import CompareError, compare_documents
from service.generation import Generation

S19, S24, S14, S15, FAXE = "slagelse-2019", "slagelse-2024-2030", "slagelse-2014", "slagelse-2015-opfoelgning", \
    "faxe-strategi"


def _carried(body: dict) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(c["from"]["label"], p["to"]["label"]) for c in body["carried_over"] for p in c["partners"]}


def test_2019_to_2024_carried_over_new_and_dropped(client: TestClient) -> None:
    response = client.get("/compare", params={"from": S19, "to": S24})
    assert response.status_code == 200
    body = response.json()
    assert body["from"]["id"] == S19 and body["to"]["id"] == S24
    assert (body["reversed"], body["same_municipality"], body["notes"]) == (False, True, [])
    assert (body["theme_level_from"], body["theme_level_to"]) == ("Bearing", "Track")
    assert ("Social trivsel og mental sundhed", "FÆLLESSKABER") in _carried(body)
    for c in body["carried_over"]:
        assert c["partners"] and c["score"] == c["partners"][0]["score"]
        assert [p["score"] for p in c["partners"]] == sorted((p["score"] for p in c["partners"]), reverse=True)
        for p in c["partners"]:
            assert p["matches"], "each carried-over theme shows its matched nodes"
            assert p["matches"][0]["from"]["document"]["id"] == S19
            assert p["matches"][0]["to"]["document"]["id"] == S24
    assert "Rusmiddelområdet" in {d["label"] for d in body["dropped"]}
    new = {n["label"] for n in body["new"]}
    assert new and new.isdisjoint({to for _, to in _carried(body)})


def test_an_earlier_theme_carried_into_several_later_themes_counts_once(client: TestClient) -> None:
    """The issue's case: a 2019 bearing that several 2024 tracks carry over was counted once per track."""
    body = client.get("/compare", params={"from": S19, "to": S24}).json()
    earlier = [c["from"]["id"] for c in body["carried_over"]]
    assert len(earlier) == len(set(earlier))
    assert any(len(c["partners"]) > 1 for c in body["carried_over"]), "some theme has several partners"
    themes = {d["id"] for d in body["dropped"]} | set(earlier)
    assert len(themes) == len(earlier) + len(body["dropped"]), "carried over and dropped split the earlier themes"


def test_2014_follow_up_goals_and_status(generation: Generation) -> None:
    result = compare_documents(generation, S14, S24)
    assert result.carried_over
    report = next(f for f in result.follow_ups if f.report.id == S15)
    goals = {g.goal.text: g for g in report.goals}
    assert len(goals) == 6
    tillid = goals["Tillid og relationer mellem borger og kommune"]
    assert tillid.reported
    activities = [a for r in tillid.reports for a in r.activities]
    assert {"gennemført", "fravalgt"} <= {a.status_class for a in activities}
    assert all(a.status is not None and a.status.type == "StatusReport" for a in activities)
    assert not goals["Styrkelse af samarbejdet om specialtilbud"].reported


def test_each_follow_up_activity_is_shown_once(client: TestClient) -> None:
    body = client.get("/compare", params={"from": S14, "to": S24}).json()
    report = next(f for f in body["follow_ups"] if f["report"]["id"] == S15)
    goals = [r["goal"]["id"] for g in report["goals"] for r in g["reports"]]
    activities = [a["activity"]["id"] for g in report["goals"] for r in g["reports"] for a in r["activities"]]
    assert activities and len(activities) == len(set(activities))
    assert len(goals) == len(set(goals)), "a report goal sits under one earlier goal"


def test_2014_to_its_follow_up(client: TestClient) -> None:
    body = client.get("/compare", params={"from": S14, "to": S15}).json()
    assert ("Fremtidens marked for køb og salg", "Fremtidens marked for køb og salg af specialiserede tilbud") \
        in _carried(body)


def test_reversed_years_are_turned_around_with_a_danish_note(client: TestClient) -> None:
    forward = client.get("/compare", params={"from": S19, "to": S24}).json()
    response = client.get("/compare", params={"from": S24, "to": S19})
    assert response.status_code == 200
    body = response.json()
    assert body["reversed"] is True
    assert (body["from"]["id"], body["to"]["id"]) == (S19, S24)
    assert len(body["notes"]) == 1 and body["notes"][0].startswith("Sammenligningen går baglæns i tid")
    assert "2024" in body["notes"][0] and "2019" in body["notes"][0]
    assert body["carried_over"] == forward["carried_over"] and body["dropped"] == forward["dropped"]


def test_two_municipalities_are_compared_with_a_danish_note(client: TestClient) -> None:
    response = client.get("/compare", params={"from": FAXE, "to": S24})
    assert response.status_code == 200
    body = response.json()
    assert body["same_municipality"] is False and body["reversed"] is False
    note = next(n for n in body["notes"] if n.startswith("To forskellige kommuner"))
    assert "Faxe Kommune" in note and "Slagelse Kommune" in note
    assert body["carried_over"], "the two municipalities share themes"


def test_two_municipalities_in_reverse_get_both_notes(generation: Generation) -> None:
    result = compare_documents(generation, S24, FAXE)
    assert result.reversed and (result.from_document.id, result.to_document.id) == (FAXE, S24)
    assert [n.split(":")[0] for n in result.notes] == ["Sammenligningen går baglæns i tid", "To forskellige kommuner"]


def test_pure_function_refuses_one_document_with_itself(generation: Generation) -> None:
    with pytest.raises(CompareError, match="same document"):
        compare_documents(generation, S19, S19)

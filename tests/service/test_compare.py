"""/compare and /sammenlign over the real build: themes carried over (each earlier theme once, with its
partners), new and dropped within Slagelse; follow-up status with each activity once; a reversed request
turned around with a Danish note; two municipalities compared with a Danish note; errors as problem+json;
the CLI."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

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


@pytest.mark.parametrize(("params", "status"), [
    ({"from": "nope", "to": S19}, 404), ({"from": S19, "to": S19}, 422), ({"from": S19}, 422),
])
def test_bad_requests(client: TestClient, params: dict[str, str], status: int) -> None:
    response = client.get("/compare", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_pure_function_refuses_one_document_with_itself(generation: Generation) -> None:
    with pytest.raises(CompareError, match="same document"):
        compare_documents(generation, S19, S19)


# --------------------------------------------------------------------------- the page
def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_page_counts_each_carried_theme_once(client: TestClient, generation: Generation) -> None:
    response = client.get("/sammenlign", params={"kommune": "slagelse", "fra": S19, "til": S24})
    assert response.status_code == 200
    themes = len(compare_documents(generation, S19, S24).carried_over)
    assert f"{themes} videreførte temaer" in _text(response.text)
    carried = response.text.split('id="carried-heading"')[1].split("</section>")[0]
    assert carried.count('class="pair"') == themes
    assert "Sammenligningen går baglæns" not in response.text and "To forskellige kommuner" not in response.text


def test_page_shows_each_follow_up_activity_once(client: TestClient) -> None:
    html = client.get("/sammenlign", params={"kommune": "slagelse", "fra": S14, "til": S15}).text
    followups = html.split('class="followups"')[1]
    links = Counter(re.findall(r'href="(/node\?id=[^"]*activity%2F\d+)"', followups))
    assert links and max(links.values()) == 1


def test_page_explains_a_reversed_comparison(client: TestClient) -> None:
    response = client.get("/sammenlign", params={"kommune": "slagelse", "fra": S24, "til": S19})
    assert response.status_code == 200
    text = _text(response.text)
    assert "Sammenligningen går baglæns i tid" in text and "Fra 2019 til 2024" in text
    assert 'role="note"' in response.text


def test_page_explains_two_municipalities(client: TestClient) -> None:
    response = client.get("/sammenlign", params={"fra": FAXE, "til": S24})
    assert response.status_code == 200
    text = _text(response.text)
    assert "To forskellige kommuner" in text and "fælles temaer" in text
    assert "Kun i Slagelse Kommune 2024" in text and "videreførte temaer" not in text


def test_page_refuses_one_document_with_itself_in_danish(client: TestClient) -> None:
    response = client.get("/sammenlign", params={"kommune": "slagelse", "fra": S19, "til": S19})
    assert response.status_code == 422
    assert "Vælg to forskellige dokumenter" in _text(response.text)


def test_cli_compare_json(build_dir: Path) -> None:
    from service.cli import app

    result = CliRunner().invoke(app, ["compare", S19, S24, "--build", str(build_dir), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["from"]["id"] == S19 and body["carried_over"]


def test_cli_compare_prints_the_note_of_a_reversed_request(build_dir: Path) -> None:
    from service.cli import app

    result = CliRunner().invoke(app, ["compare", S24, S19, "--build", str(build_dir)])
    assert result.exit_code == 0, result.output
    assert "baglæns i tid" in " ".join(result.output.split())

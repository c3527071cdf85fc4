"""/compare over the real build: themes carried over, new and dropped within Slagelse, follow-up status,
errors as problem+json (another municipality: 422 with the reason), and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.compare import CompareError, compare_documents
from service.generation import Generation


def test_2019_to_2024_carried_over_new_and_dropped(client: TestClient) -> None:
    response = client.get("/compare", params={"from": "slagelse-2019", "to": "slagelse-2024-2030"})
    assert response.status_code == 200
    body = response.json()
    assert body["from"]["id"] == "slagelse-2019" and body["to"]["id"] == "slagelse-2024-2030"
    assert (body["theme_level_from"], body["theme_level_to"]) == ("Bearing", "Track")
    carried = {(c["from"]["label"], c["to"]["label"]) for c in body["carried_over"]}
    assert ("Social trivsel og mental sundhed", "FÆLLESSKABER") in carried
    for c in body["carried_over"]:
        assert c["matches"], "each carried-over theme shows its matched nodes"
        assert c["matches"][0]["from"]["document"]["id"] == "slagelse-2019"
        assert c["matches"][0]["to"]["document"]["id"] == "slagelse-2024-2030"
    assert "Rusmiddelområdet" in {d["label"] for d in body["dropped"]}
    new = {n["label"] for n in body["new"]}
    assert new and new.isdisjoint({to for _, to in carried})


def test_2014_follow_up_goals_and_status(generation: Generation) -> None:
    result = compare_documents(generation, "slagelse-2014", "slagelse-2024-2030")
    assert result.carried_over
    report = next(f for f in result.follow_ups if f.report.id == "slagelse-2015-opfoelgning")
    goals = {g.goal.text: g for g in report.goals}
    assert len(goals) == 6
    tillid = goals["Tillid og relationer mellem borger og kommune"]
    assert tillid.reported
    activities = [a for r in tillid.reports for a in r.activities]
    assert {"gennemført", "fravalgt"} <= {a.status_class for a in activities}
    assert all(a.status is not None and a.status.type == "StatusReport" for a in activities)
    assert not goals["Styrkelse af samarbejdet om specialtilbud"].reported


def test_2014_to_its_follow_up(client: TestClient) -> None:
    body = client.get("/compare", params={"from": "slagelse-2014", "to": "slagelse-2015-opfoelgning"}).json()
    carried = {(c["from"]["label"], c["to"]["label"]) for c in body["carried_over"]}
    assert ("Fremtidens marked for køb og salg", "Fremtidens marked for køb og salg af specialiserede tilbud") in carried


def test_across_municipalities_is_422_with_the_reason(client: TestClient) -> None:
    response = client.get("/compare", params={"from": "slagelse-2024-2030", "to": "faxe-strategi"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    assert "Slagelse Kommune" in detail and "Faxe Kommune" in detail and "/overlaps" in detail


@pytest.mark.parametrize(("params", "status"), [
    ({"from": "nope", "to": "slagelse-2019"}, 404), ({"from": "slagelse-2019", "to": "slagelse-2019"}, 422),
    ({"from": "slagelse-2019"}, 422),
])
def test_bad_requests(client: TestClient, params: dict[str, str], status: int) -> None:
    response = client.get("/compare", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_pure_function_refuses_other_municipality(generation: Generation) -> None:
    with pytest.raises(CompareError, match="municipality"):
        compare_documents(generation, "faxe-strategi", "slagelse-2019")


def test_cli_compare_json(build_dir: Path) -> None:
    from service.cli import app

    result = CliRunner().invoke(app, ["compare", "slagelse-2019", "slagelse-2024-2030", "--build", str(build_dir),
                                      "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["from"]["id"] == "slagelse-2019" and body["carried_over"]

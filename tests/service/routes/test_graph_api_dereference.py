"""Every kind of IRI the graph mints resolves on the service (service/routes/graph_api.py, service/resources.py):
as an HTML page for browsers and as RDF by Accept, the Turtle parsed with rdflib and holding the subject.

The IRIs are taken from the bundled build's own graph (one per kind), never written out here.
"""

from __future__ import annotations

from typing import Any

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from ontology import ID_NS, SG, SG_NS, TOPIC_NS

BASE = "https://w3id.org/strategigraf"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def local_path(iri: str) -> str:
    """The path an IRI of the graph has on this server (w3id.org/strategigraf/… → /…), without its fragment."""
    assert iri.startswith(BASE), iri
    return iri[len(BASE):].split("#", 1)[0]


def first_of_class(client: Any, cls: str) -> str:
    gen = client.app.state.service.generation
    rows = list(gen.store.query(f"SELECT ?s WHERE {{ ?s a <{cls}> }} ORDER BY ?s LIMIT 1"))
    assert rows, f"the bundled graph has no {cls}"
    return str(rows[0]["s"].value)


@pytest.fixture(scope="module")
def minted(client: Any) -> dict[str, str]:
    """One IRI of every kind the graph mints."""
    gen = client.app.state.service.generation
    node = gen.nodes[0]
    return {
        "node": node.id,
        "document": next(iter(gen.documents.values())).iri,
        "municipality": first_of_class(client, SG_NS + "Municipality"),
        "committee": first_of_class(client, SG_NS + "Committee"),
        "overlap": first_of_class(client, SG_NS + "Overlap"),
        "topic-assignment": first_of_class(client, SG_NS + "TopicAssignment"),
        "source-span": node.id + "/span",
        "topic": first_of_class(client, "http://www.w3.org/2004/02/skos/core#Concept"),
        "topic-scheme": TOPIC_NS + "scheme",
        "ontology-term": SG_NS + "Track",
    }


KINDS = ["node", "document", "municipality", "committee", "overlap", "topic-assignment", "source-span", "topic",
         "topic-scheme", "ontology-term"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_minted_iri_dereferences_as_turtle_holding_its_subject(client: Any, minted: dict[str, str],
                                                                      kind: str) -> None:
    iri = minted[kind]
    response = client.get(local_path(iri), headers={"Accept": "text/turtle"})
    assert response.status_code == 200, (kind, iri, response.text[:300])
    assert response.headers["content-type"].startswith("text/turtle")
    assert "Accept" in response.headers.get("vary", "")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (rdflib.URIRef(iri), None, None) in graph, f"{kind}: {iri} not described"
    if kind == "ontology-term":
        assert (SG.Track, RDF.type, OWL.Class) in graph


@pytest.mark.parametrize("kind", KINDS)
def test_every_minted_iri_dereferences_as_an_html_page(client: Any, minted: dict[str, str], kind: str) -> None:
    response = client.get(local_path(minted[kind]), headers={"Accept": BROWSER})  # redirects followed
    assert response.status_code == 200, (kind, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>" in response.text
    if kind == "ontology-term":
        assert 'id="Track"' in response.text  # the term is an anchor of the ontology's page


def test_municipality_page_lists_its_documents_and_committees(client: Any, minted: dict[str, str]) -> None:
    gen = client.app.state.service.generation
    key = minted["municipality"].rsplit("/", 1)[1]
    page = client.get(local_path(minted["municipality"]), headers={"Accept": BROWSER}).text
    for doc in gen.documents.values():
        if doc.municipality == key:
            assert doc.title in page
    assert "Dokumenter fra kommunen" in page


@pytest.mark.parametrize(("media", "fmt"), [("application/ld+json", "jsonld"), ("application/n-triples", "nt")])
def test_other_rdf_formats_by_accept_and_by_format_parameter(client: Any, minted: dict[str, str], media: str,
                                                            fmt: str) -> None:
    path = local_path(minted["committee"])
    by_accept = client.get(path, headers={"Accept": media})
    by_param = client.get(path + "?format=" + fmt, headers={"Accept": BROWSER})
    for response in (by_accept, by_param):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
        graph = rdflib.Graph().parse(data=response.text, format="json-ld" if fmt == "jsonld" else "nt")
        assert (rdflib.URIRef(minted["committee"]), None, None) in graph


def test_ontology_as_turtle_is_the_ontology_file(client: Any) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (rdflib.URIRef(SG_NS.rstrip("#")), RDF.type, OWL.Ontology) in graph
    assert len(set(graph.subjects(RDF.type, OWL.Class))) >= 10


def test_unknown_iris_are_404_html_for_browsers_and_problem_json_for_clients(client: Any) -> None:
    for path in ("/id/municipality/findes-ikke", "/id/committee/x/y", "/topic/findes-ikke", "/id/a\\b c",
                 "/topic/a\\b"):  # not even IRIs: a backslash, a space
        html = client.get(path, headers={"Accept": BROWSER})
        assert html.status_code == 404 and html.headers["content-type"].startswith("text/html"), path
        assert "Ikke fundet" in html.text
        api = client.get(path, headers={"Accept": "text/turtle"})
        assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json", path
    assert ID_NS.startswith(BASE)

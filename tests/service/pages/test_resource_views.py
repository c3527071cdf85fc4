"""service/pages/resource_views.py: the HTML pages of resources without a page of their own (a municipality, an
overlap …) and of the ontology, each term an anchor, varying by Accept (every minted IRI's page and RDF:
tests/service/routes/test_graph_api.py)."""

from __future__ import annotations

from html import unescape

from fastapi.testclient import TestClient

from ontology import ID_NS
from service.generation import Generation
from service.resources import ontology_view

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_ontology_page_has_an_anchor_for_every_term(client: TestClient) -> None:
    response = client.get("/ontology", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["vary"] == "Accept"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for _, terms in ontology_view().groups:
        for term in terms:
            assert f'id="{term.name}"' in response.text, term.name


def test_a_municipality_page_names_its_kind_and_links_its_data(client: TestClient, generation: Generation) -> None:
    rows = list(generation.store.query(
        "SELECT ?m WHERE { ?m a <https://w3id.org/strategigraf/ontology#Municipality> } ORDER BY ?m LIMIT 1"))
    path = "/id/" + str(rows[0]["m"].value)[len(ID_NS):]
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["vary"] == "Accept"
    text = unescape(response.text)
    assert "Kommune" in text
    assert all(f'href="{path}?format={f}"' in response.text for f in ("ttl", "jsonld", "nt"))

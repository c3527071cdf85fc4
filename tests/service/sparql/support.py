"""What the SPARQL tests share (tests/service/sparql/ and tests/service/routes/test_sparql_api.py): a tiny store,
a query that runs for ever, and readers of answers."""

from __future__ import annotations

from typing import Any, Protocol

import pyoxigraph

from service.problems import PROBLEM_JSON

SG = "https://w3id.org/strategigraf/ontology#"
EX = "http://example.org/"
RESULTS_JSON = "application/sparql-results+json"

TINY_TTL = f"""
@prefix sg: <{SG}> .
@prefix ex: <{EX}> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:p1 a sg:Principle ; skos:prefLabel "Vi samarbejder"@da ; sg:text "Vi samarbejder med borgerens netværk"@da .
ex:p2 a sg:Principle ; skos:prefLabel "Vi lytter"@da ; sg:text "Vi lytter til borgeren"@da .
""" + "\n".join(f'ex:s{i} a sg:Statement ; sg:text "udsagn {i}"@da ; sg:order {i} .' for i in range(20))

RUNAWAY = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o . ?p ?q ?r "
           "FILTER(STRLEN(CONCAT(STR(?a), STR(?d), STR(?g), STR(?j), STR(?m), STR(?p))) < 0) }")
"""A six-way cartesian product over every triple whose filter never matches: runs for a very long time."""


def tiny_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(TINY_TTL.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    return store


class TinyGeneration:
    """Stands in for service.generation.Generation where only ``.store`` and its size are used (the SPARQL
    pools)."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    @property
    def triple_count(self) -> int:
        return len(self.store)


class HttpResponse(Protocol):
    """What the tests read of a response (TestClient and httpx responses both have it)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Any: ...
    @property
    def content(self) -> bytes: ...
    @property
    def text(self) -> str: ...
    def json(self) -> Any: ...


def boolean(response: HttpResponse) -> bool:
    assert response.status_code == 200, response.text
    value = response.json()["boolean"]
    assert isinstance(value, bool)
    return value


def rows(response: HttpResponse) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(RESULTS_JSON)
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def problem(response: HttpResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body

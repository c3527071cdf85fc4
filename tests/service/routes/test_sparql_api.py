"""The /sparql route: results by Accept, prefixes and relative IRIs, limits (length, body, rows, time), SERVICE
and updates refused before any connection or change, over a tiny store behind the real router; the examples
endpoint and the full app on the real build; and a real SPARQL client (SPARQLWrapper) against the real uvicorn
server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import httpx
import pyoxigraph
import pytest
import rdflib
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.problems import install_handlers
from service.routes import sparql_api as sparql_route
from service.settings import ServiceSettings
from service.sparql.catalogue import load_catalogue
from service.sparql.pool import GenerationPools
from tests.service.sparql.support import (
    EX,
    RESULTS_JSON,
    RUNAWAY,
    SG,
    TinyGeneration,
    boolean,
    problem,
    rows,
    tiny_store,
)

# ------------------------------------------------------------------------------------------------------
# Fixtures: a tiny store behind the real router, and a TCP listener that records connections
# ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_gen() -> TinyGeneration:
    return TinyGeneration(tiny_store())


@pytest.fixture(scope="module")
def pools() -> Iterator[GenerationPools]:
    """The tiny apps' query runner: worker pools, as the real app has without an upstream store."""
    runner = GenerationPools()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def make_client(tiny_gen: TinyGeneration, pools: GenerationPools) -> Callable[..., TestClient]:
    """A TestClient on an app with only the SPARQL router, over the tiny store, with the given settings."""

    def make(**overrides: Any) -> TestClient:
        settings = ServiceSettings(**{"sparql_timeout_s": 1.0, "sparql_max_rows": 100, **overrides})
        app = FastAPI()
        install_handlers(app)
        app.include_router(sparql_route.router)
        app.state.service = SimpleNamespace(generation=tiny_gen, settings=settings)
        app.state.sparql = pools
        return TestClient(app)

    return make


@pytest.fixture(scope="module")
def tiny(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


class Listener:
    """A TCP server on 127.0.0.1 that accepts and records every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.1)
        self.port = int(self.server.getsockname()[1])
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self.server.accept()
            except TimeoutError:
                continue
            self.connections.append(addr)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


# ------------------------------------------------------------------------------------------------------
# The route over the tiny store
# ------------------------------------------------------------------------------------------------------


def test_route_select_formats_and_vary(tiny: TestClient) -> None:
    query = f"SELECT ?label WHERE {{ ?p a <{SG}Principle> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }} ORDER BY ?label"
    response = tiny.get("/sparql", params={"query": query})
    assert [r["label"] for r in rows(response)] == ["Vi lytter", "Vi samarbejder"]
    assert response.headers["vary"] == "Accept" and response.headers["x-sparql-result-count"] == "2"
    for media in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        res = tiny.get("/sparql", params={"query": query}, headers={"Accept": media})
        assert res.status_code == 200 and res.headers["content-type"].startswith(media)
    problem(tiny.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"}), 406)


def test_route_construct_and_describe_formats(tiny: TestClient) -> None:
    query = "CONSTRUCT { ?p a sg:Principle } WHERE { ?p a sg:Principle }"
    for media, fmt in (("text/turtle", pyoxigraph.RdfFormat.TURTLE),
                       ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
                       ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
                       ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML)):
        res = tiny.get("/sparql", params={"query": query}, headers={"Accept": media})
        assert res.status_code == 200 and res.headers["content-type"].startswith(media), res.text
        parsed = pyoxigraph.Store()
        parsed.load(res.content, format=fmt)
        assert len(parsed) == 2
    res = tiny.get("/sparql", params={"query": f"DESCRIBE <{EX}p1>"})
    assert res.headers["content-type"].startswith("text/turtle") and "Vi samarbejder" in res.text
    problem(tiny.get("/sparql", params={"query": query}, headers={"Accept": RESULTS_JSON}), 406)


def test_route_predeclares_prefixes_and_resolves_relative_iris_in_the_id_namespace(tiny: TestClient) -> None:
    assert boolean(tiny.get("/sparql", params={"query": "ASK { ?p a sg:Principle }"}))
    res = tiny.post("/sparql", content="SELECT ?x WHERE { BIND(<faxe-strategi> AS ?x) }",
                    headers={"Content-Type": "application/sparql-query"})
    assert rows(res) == [{"x": "https://w3id.org/strategigraf/id/faxe-strategi"}]


def test_route_limits(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_sparql_chars=60, max_body_bytes=200, sparql_max_rows=3)
    body = problem(client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } " + "#" * 60}), 413)
    assert "60" in body["detail"]
    problem(client.post("/sparql", content=b"ASK {}" + b" " * 300,
                        headers={"Content-Type": "application/sparql-query"}), 413)
    too_many = problem(client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"}), 422)
    assert too_many["type"].endswith("too-many-results") and "3" in too_many["detail"]
    assert len(rows(client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 3"}))) == 3


def test_route_time_limit_answers_503_problem(make_client: Callable[..., TestClient]) -> None:
    client = make_client(sparql_timeout_s=0.5)
    started = time.monotonic()
    body = problem(client.get("/sparql", params={"query": RUNAWAY}), 503)
    assert time.monotonic() - started < 5
    assert body["type"].endswith("query-timeout") and "exceeded the time limit of 0.5 s" in body["detail"]
    assert boolean(client.get("/sparql", params={"query": "ASK {}"}))


def test_route_refuses_service_before_any_connection(tiny: TestClient, listener: Listener) -> None:
    # Control: Oxigraph itself would call the listener.
    with pytest.raises(OSError):
        result = pyoxigraph.Store().query(f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        assert isinstance(result, pyoxigraph.QuerySolutions)
        list(result)
    time.sleep(0.2)
    assert len(listener.connections) == 1
    listener.connections.clear()
    url = listener.url
    prefix = f"PREFIX remote: <http://127.0.0.1:{listener.port}/> PREFIX : <http://127.0.0.1:{listener.port}/> "
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"select * {{ service<{url}>{{}} }}",
        prefix + "SELECT * { SERVICE:sparql { ?s ?p ?o } }",
        prefix + "SELECT * { SERVICEremote:sparql { ?s ?p ?o } }",
        f"SELECT * {{ ?s ?p 1SERVICE<{url}>{{}} }}",
        f"ASK {{ {{ SELECT * {{ SERVICE <{url}> {{}} }} }} }}",
        f"CONSTRUCT WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        body = problem(tiny.get("/sparql", params={"query": query}), 403)
        assert body["type"].endswith("federation-refused")
        problem(tiny.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}), 403)
        problem(tiny.post("/sparql", data={"query": query}), 403)
    problem(tiny.post("/sparql", content=f"LOAD <{url}>", headers={"Content-Type": "application/sparql-update"}),
            403)
    problem(tiny.get("/sparql", params={"query": f"LOAD <{url}>"}), 403)
    time.sleep(0.3)
    assert listener.connections == [], "the endpoint made an outbound connection"


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://x/a> <http://x/b> 1 }", "DELETE WHERE { ?s ?p ?o }", "CLEAR ALL", "DROP DEFAULT",
    "PREFIX x: <http://x/> INSERT { ?s x:p 1 } WHERE { ?s ?p ?o }", "LOAD <http://127.0.0.1:1/x.ttl>",
])
def test_route_refuses_updates_every_way_and_changes_nothing(tiny: TestClient, tiny_gen: TinyGeneration,
                                                             update: str) -> None:
    before = len(tiny_gen.store)
    for response in (
        tiny.get("/sparql", params={"query": update}),
        tiny.get("/sparql", params={"update": update}),
        tiny.post("/sparql", data={"update": update}),
        tiny.post("/sparql", data={"query": update}),
        tiny.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
        tiny.post("/sparql", content=update, headers={"Content-Type": "application/sparql-query"}),
    ):
        body = problem(response, 403)
        assert body["type"].endswith("read-only") and "read-only" in body["detail"]
    assert len(tiny_gen.store) == before
    count = rows(tiny.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}))
    assert int(count[0]["n"]) == before, "a worker's copy of the store changed"


# ------------------------------------------------------------------------------------------------------
# The real build: example catalogue and the full app
# ------------------------------------------------------------------------------------------------------


# ------------------------------------------------------------------------------------------------------
# The real build: the examples endpoint and the full app
# ------------------------------------------------------------------------------------------------------


def test_examples_endpoint_lists_the_catalogue(client: TestClient) -> None:
    response = client.get("/sparql/examples")
    assert response.status_code == 200
    examples = response.json()
    assert [set(e) for e in examples] == [{"id", "title", "description", "query"}] * len(examples)
    assert {e["id"] for e in examples} == {e.id for e in load_catalogue()}


def test_real_app_refuses_updates_and_keeps_its_store(client: TestClient) -> None:
    store = client.app.state.service.generation.store  # type: ignore[attr-defined]
    before = len(store)
    problem(client.post("/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}),
            403)
    problem(client.get("/sparql", params={"query": "DROP ALL"}), 403)
    assert len(store) == before
    count = rows(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}))
    assert int(count[0]["n"]) == before


# ------------------------------------------------------------------------------------------------------
# A real SPARQL client against the real uvicorn server
# ------------------------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_sparqlwrapper_against_the_live_server(live_server: str) -> None:
    from SPARQLWrapper import GET, JSON, JSONLD, POST, TURTLE, XML, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    endpoint = SPARQLWrapper(live_server + "/sparql")
    endpoint.setQuery("SELECT ?label WHERE { ?m a sg:Municipality ; skos:prefLabel ?label } ORDER BY ?label")
    endpoint.setReturnFormat(JSON)
    for method in (GET, POST):
        endpoint.setMethod(method)
        result = endpoint.queryAndConvert()
        assert isinstance(result, dict)
        assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Faxe Kommune", "Slagelse Kommune"]
    endpoint.setMethod(GET)
    endpoint.setReturnFormat(XML)
    assert endpoint.query().response.headers["Content-Type"].startswith("application/sparql-results+xml")

    endpoint.setQuery("ASK { ?p a sg:Principle }")
    endpoint.setReturnFormat(JSON)
    assert endpoint.queryAndConvert() == {"head": {}, "boolean": True}

    endpoint.setQuery("CONSTRUCT { ?t a sg:Track ; skos:prefLabel ?l } WHERE { ?t a sg:Track ; skos:prefLabel ?l }")
    endpoint.setReturnFormat(TURTLE)
    turtle = endpoint.queryAndConvert()
    assert isinstance(turtle, bytes) and b"sg:Track" in turtle
    endpoint.setReturnFormat(JSONLD)
    graph = endpoint.queryAndConvert()
    assert isinstance(graph, rdflib.Graph) and len(graph) == 16  # 8 tracks x 2 triples

    endpoint.setQuery("SELECT * WHERE { ?s ?p }")
    endpoint.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        endpoint.queryAndConvert()


@pytest.mark.e2e
def test_live_server_runaway_query_does_not_starve_a_simple_one(live_server: str) -> None:
    runaway = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
               "FILTER(STRLEN(CONCAT(STR(?a), STR(?d), STR(?g), STR(?j))) < 0) }")
    with httpx.Client(base_url=live_server, timeout=30) as http:
        assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # workers are up
        with ThreadPoolExecutor(2) as executor:
            slow = executor.submit(http.get, "/sparql", params={"query": runaway})
            time.sleep(0.3)
            simple = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s a sg:Track }"})
            assert simple.status_code == 200 and simple.json()["results"]["bindings"][0]["n"]["value"] == "8"
            assert not slow.done(), "the simple query was answered only after the runaway one was stopped"
            response = slow.result()
        body = problem(response, 503)
        assert "exceeded the time limit of 3 s" in body["detail"]
        # A second runaway is stopped the same way, and the service still answers.
        problem(http.get("/sparql", params={"query": runaway}), 503)
        assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200

"""The SPARQL endpoint: request parsing, query inspection (updates and SERVICE refused before anything
runs), result formats, limits (length, body, rows, time), the example catalogue on the real build, and a
real SPARQL client (SPARQLWrapper) against the real uvicorn server."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

import httpx
import pyoxigraph
import pytest
import rdflib
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.problems import PROBLEM_JSON, install_handlers
from service.routes import sparql_api as sparql_route
from service.settings import ServiceSettings
from service.sparql import (
    Dataset,
    QueryForm,
    QueryJob,
    SparqlError,
    SparqlPool,
    choose_format,
    code_view,
    dump_store,
    execute,
    inspect_query,
    is_federated,
    load_catalogue,
    parse_media_type,
    parse_protocol_request,
)

ROOT = Path(__file__).resolve().parents[2]
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


# ------------------------------------------------------------------------------------------------------
# Fixtures: a tiny store behind the real router, and a TCP listener that records connections
# ------------------------------------------------------------------------------------------------------


class TinyGeneration:
    """Stands in for service.generation.Generation: the router only needs ``.store``."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store


def tiny_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(TINY_TTL.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def tiny_gen() -> Iterator[TinyGeneration]:
    gen = TinyGeneration(tiny_store())
    yield gen
    sparql_route.close_pools()


@pytest.fixture(scope="module")
def make_client(tiny_gen: TinyGeneration) -> Callable[..., TestClient]:
    """A TestClient on an app with only the SPARQL router, over the tiny store, with the given settings."""

    def make(**overrides: Any) -> TestClient:
        settings = ServiceSettings(**{"sparql_timeout_s": 1.0, "sparql_max_rows": 100, **overrides})
        app = FastAPI()
        install_handlers(app)
        app.include_router(sparql_route.router)
        app.state.service = SimpleNamespace(generation=tiny_gen, settings=settings)
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


# ------------------------------------------------------------------------------------------------------
# Pure functions
# ------------------------------------------------------------------------------------------------------


def test_code_view_blanks_strings_iris_comments_and_variables() -> None:
    text = 'SELECT ?service { <http://x/SERVICE> ?p "SERVICE" } # SERVICE\nLIMIT 1'
    view = code_view(text)
    assert "SERVICE" not in view.upper().replace("SELECT", "")
    assert view.split() == ["SELECT", "?v", "{", "<>", "?v", '""', "}", "LIMIT", "1"]
    assert code_view("ASK { FILTER('''a'b''c''' = \"\"\"x\"y\"\"\") }").count('""') == 2


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * { SERVICE<http://127.0.0.1:1/>{ ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:1/> SELECT * { SERVICE:x { ?s ?p ?o } }",
    "PREFIX f: <http://127.0.0.1:1/> SELECT * { SERVICEf:x { ?s ?p ?o } }",
    "SELECT * { ?s ?p 1SERVICE<http://127.0.0.1:1/>{} }",
    "SELECT * { ?s ?p trueSERVICE<http://127.0.0.1:1/>{} }",
    "SELECT * { ?s ?p ?o FILTER(?s<?o)SERVICE<http://127.0.0.1:1/>{ ?s ?p ?o } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * { { SELECT * { SERVICE <http://127.0.0.1:1/> {} } } }",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:1/> {} }",
    "SELECT * { ?s ?p '\\u0027 SERVICE <http://127.0.0.1:1/> {} #' }",
])
def test_every_spelling_of_service_is_federated(query: str) -> None:
    assert is_federated(query)
    with pytest.raises(SparqlError) as info:
        inspect_query(query)
    assert info.value.status == 403 and info.value.kind == "federation-refused"


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1:1/> {}' }",
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> {}",
    'SELECT * WHERE { ?s ?p """multi\nline SERVICE""" }',
])
def test_service_in_strings_iris_comments_and_variables_is_allowed(query: str) -> None:
    assert not is_federated(query)
    assert inspect_query(query) is QueryForm.SELECT


@pytest.mark.parametrize(("query", "form"), [
    ("ASK {}", QueryForm.ASK),
    ("  # a comment\nPREFIX sg: <https://w3id.org/strategigraf/ontology#>\nBASE <http://x/> select * {}",
     QueryForm.SELECT),
    ("PREFIX : <http://x/> CONSTRUCT WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT),
    ("DESCRIBE <http://example.org/>", QueryForm.DESCRIBE),
    ("SELECTDISTINCT * {}", QueryForm.SELECT),
    ("nonsense", None),
])
def test_inspect_query_finds_the_form(query: str, form: QueryForm | None) -> None:
    assert inspect_query(query) is form


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://x/a> <http://x/b> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX x: <http://x/>\n# comment\nDELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:1/data.ttl>",
    "CLEAR ALL", "CREATE GRAPH <http://x/g>", "DROP ALL", "COPY DEFAULT TO <http://x/g>",
    "MOVE DEFAULT TO <http://x/g>", "ADD DEFAULT TO <http://x/g>",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "clear default",
])
def test_updates_are_refused_by_inspection(update: str) -> None:
    with pytest.raises(SparqlError) as info:
        inspect_query(update)
    assert info.value.status == 403 and info.value.kind == "read-only"


def test_parse_media_type() -> None:
    assert parse_media_type("Application/SPARQL-Query; charset=UTF-8") == ("application/sparql-query",
                                                                           {"charset": "utf-8"})
    assert parse_media_type(None) == (None, {})
    assert parse_media_type("  ") == (None, {})


def test_parse_protocol_request_get_form_and_direct() -> None:
    get = parse_protocol_request("GET", None, [("query", "ASK {}"), ("default-graph-uri", "http://x/g")], b"",
                                 max_chars=100)
    assert get.query == "ASK {}" and get.dataset == Dataset(("http://x/g",), ())
    form = parse_protocol_request("POST", "application/x-www-form-urlencoded", [("named-graph-uri", "http://x/n")],
                                  b"query=SELECT%20%2A%20%7B%7D", max_chars=100)
    assert form.query == "SELECT * {}" and form.dataset == Dataset((), ("http://x/n",))
    direct = parse_protocol_request("POST", "application/sparql-query; charset=utf-8", [],
                                    "ASK { FILTER(\"æøå\" != \"\") }".encode(), max_chars=100)
    assert direct.query.startswith("ASK") and direct.dataset is None


@pytest.mark.parametrize(("method", "ctype", "params", "body", "status"), [
    ("GET", None, [], b"", 400),
    ("GET", None, [("query", "ASK {}"), ("query", "ASK {}")], b"", 400),
    ("POST", "application/x-www-form-urlencoded", [("query", "ASK {}")], b"query=ASK%20%7B%7D", 400),
    ("POST", "application/sparql-query", [("query", "ASK {}")], b"ASK {}", 400),
    ("POST", None, [], b"query=ASK%20%7B%7D", 415),
    ("POST", "text/plain", [], b"ASK {}", 415),
    ("POST", "application/sparql-query; charset=UTF-16", [], "ASK {}".encode("utf-16"), 415),
    ("POST", "application/sparql-query", [], "ASK {}".encode("utf-16"), 400),
    ("POST", "application/x-www-form-urlencoded", [], b"query=ASK%20%7B%FF%7D", 400),
    ("POST", "application/sparql-update", [], b"CLEAR ALL", 403),
    ("GET", None, [("update", "CLEAR ALL")], b"", 403),
    ("POST", "application/x-www-form-urlencoded", [], b"update=CLEAR%20ALL", 403),
    ("GET", None, [("query", "ASK {}"), ("default-graph-uri", "not an iri")], b"", 400),
    ("GET", None, [("query", "ASK {" + " " * 200 + "}")], b"", 413),
    ("PUT", None, [("query", "ASK {}")], b"", 405),
])
def test_parse_protocol_request_refusals(method: str, ctype: str | None, params: list[tuple[str, str]],
                                         body: bytes, status: int) -> None:
    with pytest.raises(SparqlError) as info:
        parse_protocol_request(method, ctype, params, body, max_chars=100)
    assert info.value.status == status, info.value.detail


def test_choose_format_defaults_and_refuses() -> None:
    assert choose_format(QueryForm.SELECT, None) == RESULTS_JSON
    assert choose_format(QueryForm.ASK, "*/*") == RESULTS_JSON
    assert choose_format(QueryForm.SELECT, "text/csv;q=0.5, text/tab-separated-values") == "text/tab-separated-values"
    assert choose_format(QueryForm.CONSTRUCT, None) == "text/turtle"
    assert choose_format(QueryForm.DESCRIBE, "application/ld+json") == "application/ld+json"
    with pytest.raises(SparqlError) as info:
        choose_format(QueryForm.CONSTRUCT, RESULTS_JSON)
    assert info.value.status == 406


def test_execute_select_in_every_format_agrees() -> None:
    store = tiny_store()
    query = f"SELECT ?p ?label WHERE {{ ?p a <{SG}Principle> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }} ORDER BY ?p"
    job = QueryJob(query, None, None, 100)
    result = execute(store, job)
    assert result.form is QueryForm.SELECT and result.rows == 2 and result.media_type == RESULTS_JSON
    data = json.loads(result.body)
    assert data["head"]["vars"] == ["p", "label"]
    assert data["results"]["bindings"][0]["label"] == {"type": "literal", "value": "Vi samarbejder", "xml:lang": "da"}
    xml = execute(store, QueryJob(query, None, "application/sparql-results+xml", 100))
    assert b"<sparql" in xml.body and xml.body.count(b"<result>") == 2
    table = execute(store, QueryJob(query, None, "text/csv", 100)).body.decode()
    assert list(csv.reader(io.StringIO(table)))[1] == [f"{EX}p1", "Vi samarbejder"]
    tsv = execute(store, QueryJob(query, None, "text/tab-separated-values", 100)).body.decode()
    assert tsv.splitlines()[1] == f'<{EX}p1>\t"Vi samarbejder"@da'


def test_execute_construct_uses_prefixes_only_where_used() -> None:
    store = tiny_store()
    job = QueryJob("CONSTRUCT { ?p a sg:Principle } WHERE { ?p a sg:Principle }", None, "text/turtle", 100,
                   {"sg": SG, "skos": "http://www.w3.org/2004/02/skos/core#"})
    result = execute(store, job)
    assert result.form is QueryForm.CONSTRUCT and result.rows == 2
    text = result.body.decode()
    assert "@prefix sg:" in text and "@prefix skos:" not in text
    parsed = pyoxigraph.Store()
    parsed.load(result.body, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(parsed) == 2


def test_execute_row_limit_is_an_error_not_a_silent_cut_and_is_lazy() -> None:
    store = tiny_store()
    assert execute(store, QueryJob(f"SELECT ?s {{ ?s a <{SG}Statement> }}", None, None, 20)).rows == 20
    with pytest.raises(SparqlError) as info:
        execute(store, QueryJob(f"SELECT ?s {{ ?s a <{SG}Statement> }}", None, None, 19))
    assert info.value.status == 422 and "19" in info.value.detail
    with pytest.raises(SparqlError) as info:
        execute(store, QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", None, None, 5))
    assert info.value.status == 422 and "triples" in info.value.detail
    # Lazy: a product of ~10^13 rows is refused at row 11 at once instead of being evaluated.
    started = time.monotonic()
    with pytest.raises(SparqlError):
        execute(store, QueryJob("SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", None, None, 10))
    assert time.monotonic() - started < 2


def test_execute_dataset_follows_the_protocol() -> None:
    store = tiny_store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(EX + "g1s"), pyoxigraph.NamedNode(EX + "p"),
                              pyoxigraph.Literal("in g1"), pyoxigraph.NamedNode(EX + "g1")))

    def ask(query: str, dataset: Dataset | None) -> bool:
        return bool(json.loads(execute(store, QueryJob(query, dataset, None, 10)).body)["boolean"])

    assert ask("ASK { ?s a ?t }", None)
    assert not ask("ASK { ?s a ?t }", Dataset(("http://kasei.us/2009/09/sparql/data/data0.rdf",), ()))
    assert ask("ASK {}", Dataset(("http://kasei.us/2009/09/sparql/data/data0.rdf",), ()))
    assert ask(f"ASK {{ <{EX}g1s> ?p ?o }}", Dataset((EX + "g1",), ()))
    # Only named graphs given: the default graph is empty, as with FROM NAMED and no FROM.
    assert not ask("ASK { ?s a ?t }", Dataset((), (EX + "g1",)))
    assert ask("ASK { GRAPH ?g { ?s ?p ?o } }", Dataset((), (EX + "g1",)))
    # The protocol's dataset wins over FROM in the query.
    assert not ask(f"ASK FROM <{EX}g1> {{ ?s a ?t }}", Dataset(("http://x/none",), ()))


def test_execute_reports_syntax_errors_with_the_parser_message() -> None:
    with pytest.raises(SparqlError) as info:
        execute(tiny_store(), QueryJob("SELECT * WHERE { ?s ?p }", None, None, 10))
    assert info.value.status == 400 and info.value.kind == "query-syntax"
    assert "error at 1:" in info.value.detail


def test_catalogue_entries_are_complete() -> None:
    examples = load_catalogue()
    assert [e.id for e in examples] == ["netvaerk-principper", "spor-og-pejlemaerker",
                                        "handicappolitik-referencer", "opfoelgning-2014-2015",
                                        "emner-begge-kommuner", "spor-uden-modstykke-faxe"]
    for example in examples:
        assert example.title and example.description
        assert inspect_query(example.query) is QueryForm.SELECT


def test_docs_show_every_catalogue_query() -> None:
    doc = (ROOT / "docs" / "sparql-examples.md").read_text(encoding="utf-8")
    for example in load_catalogue():
        assert example.query.strip() in doc, f"docs/sparql-examples.md is missing the query {example.id}"
        assert example.title in doc


# ------------------------------------------------------------------------------------------------------
# The worker pool: time limit
# ------------------------------------------------------------------------------------------------------


def test_pool_kills_a_runaway_query_and_keeps_serving() -> None:
    store = tiny_store()
    pool = SparqlPool(dump_store(store), expected_triples=len(store), size=2)
    try:
        simple = QueryJob("ASK { ?s ?p ?o }", None, None, 10)
        assert json.loads(pool.run(simple, timeout_s=30).body)["boolean"] is True  # workers are up
        pids_before = set(pool.pids)
        with ThreadPoolExecutor(2) as executor:
            runaway = executor.submit(pool.run, QueryJob(RUNAWAY, None, None, 10), 1.0)
            time.sleep(0.2)
            started = time.monotonic()
            assert json.loads(pool.run(simple, timeout_s=5).body)["boolean"] is True
            assert time.monotonic() - started < 0.8, "the simple query waited for the runaway one"
            with pytest.raises(SparqlError) as info:
                runaway.result(timeout=10)
        assert info.value.status == 503 and "time limit" in info.value.detail
        assert pool.killed == 1
        deadline = time.monotonic() + 30
        while pool.size < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool.size == 2 and set(pool.pids) != pids_before, "the killed worker was replaced"
        assert json.loads(pool.run(simple, timeout_s=30).body)["boolean"] is True
    finally:
        pool.close()


def test_pool_refuses_queries_beyond_its_waiting_room_at_once() -> None:
    store = tiny_store()
    pool = SparqlPool(dump_store(store), expected_triples=len(store), size=1, max_pending=2)
    try:
        simple = QueryJob("ASK {}", None, None, 10)
        pool.run(simple, timeout_s=30)
        with ThreadPoolExecutor(2) as executor:
            running = executor.submit(pool.run, QueryJob(RUNAWAY, None, None, 10), 1.5)
            time.sleep(0.2)
            waiting = executor.submit(pool.run, simple, 5.0)
            time.sleep(0.2)
            started = time.monotonic()
            with pytest.raises(SparqlError) as info:
                pool.run(simple, timeout_s=5)
            assert time.monotonic() - started < 0.5
            assert info.value.status == 503 and info.value.kind == "sparql-busy"
            assert info.value.headers == {"Retry-After": "2"}
            with pytest.raises(SparqlError):
                running.result(timeout=10)
            assert json.loads(waiting.result(timeout=40).body)["boolean"] is True  # served once replaced
    finally:
        pool.close()


def test_pool_refuses_a_store_copy_that_does_not_match() -> None:
    pool = SparqlPool(b"", expected_triples=5, size=1)
    try:
        with pytest.raises(SparqlError) as info:
            pool.run(QueryJob("ASK {}", None, None, 10), timeout_s=1, wait_s=30)
        assert info.value.status == 503
    finally:
        pool.close()


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


def test_examples_endpoint_lists_the_catalogue(client: TestClient) -> None:
    response = client.get("/sparql/examples")
    assert response.status_code == 200
    examples = response.json()
    assert [set(e) for e in examples] == [{"id", "title", "description", "query"}] * len(examples)
    assert {e["id"] for e in examples} == {e.id for e in load_catalogue()}


@pytest.mark.parametrize("example", load_catalogue(), ids=lambda e: e.id)
def test_every_catalogue_query_answers_on_the_real_build(client: TestClient, example: Any) -> None:
    found = rows(client.post("/sparql", content=example.query.encode(),
                             headers={"Content-Type": "application/sparql-query"}))
    assert found, f"{example.id} returned no rows"


def test_catalogue_answers_the_questions(client: TestClient) -> None:
    by_id = {e.id: e.query for e in load_catalogue()}

    def run(name: str) -> list[dict[str, str]]:
        return rows(client.get("/sparql", params={"query": by_id[name]}))

    netvaerk = run("netvaerk-principper")
    assert {r["kommune"] for r in netvaerk} == {"Faxe Kommune"}
    assert all("netværk" in (r["principtekst"] + r["udsagnene"]).lower() for r in netvaerk)
    tracks = run("spor-og-pejlemaerker")
    spor5 = [r for r in tracks if r["art"] == "spor" and r["nr"] == "5"]
    assert spor5 and spor5[0]["titel"] == "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    assert int(spor5[0]["antalUdsagn"]) == 3
    assert {r["art"] for r in tracks} == {"spor", "pejlemærke"}
    refs = run("handicappolitik-referencer")
    assert all("handi" in r["reference"].lower() for r in refs)
    assert {r["aar"] for r in refs} >= {"2014"}
    followup = run("opfoelgning-2014-2015")
    assert any(r.get("status") for r in followup)
    assert all(r["indsatsomraade2014"] for r in followup)


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
            started = time.monotonic()
            simple = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s a sg:Track }"})
            elapsed = time.monotonic() - started
            assert simple.status_code == 200 and simple.json()["results"]["bindings"][0]["n"]["value"] == "8"
            assert elapsed < 1.5, f"the simple query took {elapsed:.1f} s next to a runaway one"
            response = slow.result()
        body = problem(response, 503)
        assert "exceeded the time limit of 3 s" in body["detail"]
        # A second runaway is stopped the same way, and the service still answers.
        problem(http.get("/sparql", params={"query": runaway}), 503)
        assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200

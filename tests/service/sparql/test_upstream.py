"""Upstream mode: a checked query forwarded to an external SPARQL 1.1 store, here a small real one (an HTTP
server in a thread answering the Protocol's form POST from a pyoxigraph store). Virtuoso itself is tested in
tests/ingest/test_publish.py."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pyoxigraph
import pytest

from service.sparql.errors import SparqlError
from service.sparql.execution import QueryJob
from service.sparql.guard import QueryForm
from service.sparql.protocol import Dataset
from service.sparql.upstream import UpstreamStore, with_prologue
from tests import servers
from tests.service.sparql.support import EX, SG, tiny_store

GRAPH = "http://example.org/published"


class Store(ThreadingHTTPServer):
    """A SPARQL endpoint on 127.0.0.1 over the tiny store, placed in the named graph GRAPH (as
    `strategigraf publish` places a build); records what it was sent. ``answer_with`` overrides the answer
    with (status, text); ``delay_s`` makes it slow."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.store = pyoxigraph.Store()
        self.store.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, pyoxigraph.NamedNode(GRAPH))
                          for q in tiny_store())
        self.received: list[list[tuple[str, str]]] = []
        self.answer_with: tuple[int, str] | None = None
        self.delay_s = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class Handler(BaseHTTPRequestHandler):
    server: Store

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        body = self.rfile.read(int(self.headers["content-length"])).decode()
        params = parse_qsl(body)
        self.server.received.append(params)
        time.sleep(self.server.delay_s)
        if self.server.answer_with is not None:
            status, text = self.server.answer_with
            self._send(status, "text/plain", text.encode())
            return
        query = next(v for k, v in params if k == "query")
        default: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph] = [
            pyoxigraph.NamedNode(v) for k, v in params if k == "default-graph-uri"]
        try:
            result = self.server.store.query(query, default_graph=default or None)
        except SyntaxError as exc:
            self._send(400, "text/plain", f"Parse error: {exc}\n\n{query}".encode())
            return
        if isinstance(result, pyoxigraph.QueryTriples):
            self._send(200, "text/turtle", pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.TURTLE) or b"")
        else:
            data = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""
            self._send(200, "application/sparql-results+json", data)

    def _send(self, status: int, media: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def store() -> Iterator[Store]:
    server = Store()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def upstream(store: Store) -> Iterator[UpstreamStore]:
    forwarding = UpstreamStore(store.url, GRAPH)
    yield forwarding
    forwarding.close()


def job(query: str, max_rows: int = 100, dataset: Dataset | None = None) -> QueryJob:
    return QueryJob(query, dataset, None, max_rows, {"sg": SG}, EX)


def test_with_prologue_writes_out_what_the_query_does_not_declare() -> None:
    prefixes = {"sg": SG, "skos": "http://www.w3.org/2004/02/skos/core#"}
    text = with_prologue("PREFIX sg: <http://other/> SELECT * {}", prefixes, EX)
    assert text.splitlines()[:2] == [f"BASE <{EX}>", "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"]
    assert text.endswith("PREFIX sg: <http://other/> SELECT * {}")
    assert with_prologue("BASE <http://b/> ASK {}", {}, EX) == "BASE <http://b/> ASK {}"
    # A declaration inside a string is not one.
    assert "PREFIX sg:" in with_prologue("SELECT ('PREFIX sg: <x>' AS ?x) {}", {"sg": SG}, None)


def test_forwards_with_prefixes_base_and_the_published_graph(store: Store, upstream: UpstreamStore) -> None:
    query = "SELECT ?p ?x WHERE { ?p a sg:Principle BIND(<rel> AS ?x) } ORDER BY ?p"
    result = upstream.run(None, job(query), QueryForm.SELECT, timeout_s=10)
    assert result.form is QueryForm.SELECT and result.rows == 2
    assert result.media_type == "application/sparql-results+json"
    parsed = pyoxigraph.parse_query_results(result.body, pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    assert [(s["p"].value, s["x"].value) for s in parsed] == [(EX + "p1", EX + "rel"), (EX + "p2", EX + "rel")]
    assert ("default-graph-uri", GRAPH) in store.received[-1]


def test_the_request_dataset_replaces_the_published_graph(store: Store, upstream: UpstreamStore) -> None:
    result = upstream.run(None, job("ASK { ?s ?p ?o }", dataset=Dataset(("http://x/none",), ())), QueryForm.ASK,
                          timeout_s=10)
    assert b'"boolean":false' in result.body.replace(b" ", b"")
    assert [v for k, v in store.received[-1] if k == "default-graph-uri"] == ["http://x/none"]


def test_row_limit_applies_to_forwarded_answers(upstream: UpstreamStore) -> None:
    with pytest.raises(SparqlError) as info:
        upstream.run(None, job("SELECT ?s { ?s a sg:Statement }", max_rows=19), QueryForm.SELECT, timeout_s=10)
    assert info.value.status == 422 and info.value.kind == "too-many-results"
    construct = upstream.run(None, job("CONSTRUCT WHERE { ?s a sg:Principle }"), QueryForm.CONSTRUCT, timeout_s=10)
    assert construct.media_type == "text/turtle" and construct.rows == 2


def test_store_errors_become_problems(store: Store, upstream: UpstreamStore) -> None:
    with pytest.raises(SparqlError) as info:
        upstream.run(None, job("SELECT * WHERE { ?s ?p }"), QueryForm.SELECT, timeout_s=10)
    assert info.value.status == 400 and info.value.kind == "query-syntax"
    assert "Parse error" in info.value.detail and "?s ?p }" not in info.value.detail  # the query copy is cut
    store.answer_with = (500, "the store fell over")
    with pytest.raises(SparqlError) as info:
        upstream.run(None, job("ASK {}"), QueryForm.ASK, timeout_s=10)
    assert info.value.status == 502 and info.value.kind == "upstream-error" and "fell over" in info.value.detail


def test_time_limit_and_unreachable_store(store: Store, upstream: UpstreamStore) -> None:
    store.delay_s = 3.0
    with pytest.raises(SparqlError) as info:
        upstream.run(None, job("ASK {}"), QueryForm.ASK, timeout_s=0.5)
    assert info.value.status == 503 and info.value.kind == "query-timeout" and "0.5 s" in info.value.detail
    nowhere = UpstreamStore(f"http://127.0.0.1:{servers.free_port()}/sparql")
    try:
        with pytest.raises(SparqlError) as info:
            nowhere.run(None, job("ASK {}"), QueryForm.ASK, timeout_s=5)
        assert info.value.status == 502 and info.value.kind == "upstream-unavailable"
    finally:
        nowhere.close()

"""ingest/publish.py (a build sent to a SPARQL store) and /sparql in upstream mode, against a real Virtuoso Open
Source (Debian package virtuoso-opensource, `make test` installs it as root) started on 127.0.0.1 with a throw-away
database (the ``virtuoso`` fixture, tests/servers.py).

The Virtuoso tests never skip: without a runnable `virtuoso-t` they fail.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from ingest.publish import (
    PublishError,
    PublishReport,
    PublishTarget,
    chunk_ntriples,
    graph_param,
    graph_store_url,
    publish_chunks,
    publish_generation,
)
from service.settings import ServiceSettings
from tests import servers

GRAPH = "https://w3id.org/strategigraf/graph/test"
SPARQL_JSON = "application/sparql-results+json"


# ------------------------------------------------------------------------------------------------------
# Pure logic
# ------------------------------------------------------------------------------------------------------


def test_graph_parameter_follows_the_endpoint() -> None:
    assert graph_param("http://h:8890/sparql-graph-crud-auth") == "graph-uri"
    assert graph_param("http://h:8890/sparql-graph-crud/") == "graph-uri"
    assert graph_param("http://h:3030/ds/data") == "graph"
    assert graph_store_url("http://h/ds/data", "https://x/g#1") == "http://h/ds/data?graph=https%3A%2F%2Fx%2Fg%231"
    assert graph_store_url("http://h/sparql-graph-crud-auth?x=1", "g") == "http://h/sparql-graph-crud-auth?x=1&graph-uri=g"


def test_chunks_keep_lines_whole_and_blank_nodes_together() -> None:
    lines = [f"<http://s/{i}> <http://p> \"{i}\" .\n".encode() for i in range(100)]
    lines.insert(50, b"_:b1 <http://p> _:b2 .\n")
    lines.insert(10, b"# a comment\n")
    lines.append(b"<http://s/x> <http://p> _:b1 .\n")
    chunks = list(chunk_ntriples(lines, 300))
    assert len(chunks) > 5
    assert sum(c.count(b"\n") for c in chunks) == 102
    assert b"_:b1 <http://p> _:b2" in chunks[0] and b"<http://s/x> <http://p> _:b1" in chunks[0]
    assert all(b"_:" not in c for c in chunks[1:])
    assert all(c.endswith(b" .\n") for c in chunks)
    assert list(chunk_ntriples([], 10)) == [b""]
    typed = [b'<http://s> <http://p> "a \\"b\\""^^<http://www.w3.org/2001/XMLSchema#string> .\n',
             b'<http://s> <http://p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n']
    assert list(chunk_ntriples(typed, 1000)) == [b'<http://s> <http://p> "a \\"b\\"" .\n' + typed[1]]


def test_unreachable_store_is_a_clear_error() -> None:
    target = PublishTarget(endpoint=f"http://127.0.0.1:{servers.free_port()}/sparql-graph-crud-auth", timeout_s=2)
    with pytest.raises(PublishError, match="could not reach"):
        publish_chunks([b"<http://s> <http://p> <http://o> .\n"], target)


# ------------------------------------------------------------------------------------------------------
# Virtuoso
# ------------------------------------------------------------------------------------------------------


def _select(url: str, query: str, **params: str) -> list[dict[str, dict[str, str]]]:
    r = httpx.post(url, data={"query": query, **params}, headers={"Accept": SPARQL_JSON}, timeout=60)
    assert r.status_code == 200, r.text
    return list(r.json()["results"]["bindings"])


XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
NUMERIC = {XSD + t for t in ("double", "float", "decimal")}
KNOWN_VIRTUOSO_LIMITS = {
    # Valid SPARQL 1.1 that Virtuoso 7 refuses: "SP031: Variable ?slagelse_nodes is used in the result set
    # outside aggregate and not mentioned in GROUP BY clause" for ORDER BY DESC(?faxe_nodes + ?slagelse_nodes).
    "emner-begge-kommuner",
}


def _norm(row: dict[str, dict[str, str]]) -> tuple[tuple[str, str, str, str], ...]:
    """A solution as sorted (variable, kind, value, datatype-or-language) with plain literals = xsd:string."""
    out = []
    for var, term in row.items():
        kind = "literal" if term["type"] in ("literal", "typed-literal") else term["type"]
        tag = term.get("xml:lang") or term.get("datatype") or (XSD_STRING if kind == "literal" else "")
        value = repr(round(float(term["value"]), 9)) if tag in NUMERIC else term["value"]  # 0.75 = 7.5E-1
        out.append((var, kind, value, tag))
    return tuple(sorted(out))


@pytest.fixture(scope="module")
def published(virtuoso: str, generation_dir: Path) -> PublishReport:
    """The session build published to Virtuoso (Graph Store Protocol, digest auth as dba). The command line's
    ``strategigraf publish`` is tested in tests/service/test_cli_publish.py."""
    target = PublishTarget(endpoint=f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH, user="dba", password="dba")
    return publish_generation(generation_dir, target)


def test_publish_loads_every_triple(virtuoso: str, published: PublishReport, generation_dir: Path) -> None:
    import json

    triples = sum(1 for line in (generation_dir / "graph.nt").read_bytes().splitlines() if line.strip())
    manifest = json.loads((generation_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["triples"] == triples
    assert published.triples == triples and published.protocol == "gsp"
    rows = _select(virtuoso + "/sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]["value"]) == triples
    # Publishing again replaces the graph (PUT), it does not add a second copy.
    target = PublishTarget(endpoint=f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH, user="dba", password="dba",
                           chunk_bytes=500_000)
    report = publish_generation(generation_dir, target)
    assert report.protocol == "gsp" and report.chunks > 1 and report.triples == triples
    rows = _select(virtuoso + "/sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]["value"]) == triples


def test_wrong_password_is_refused(virtuoso: str) -> None:
    target = PublishTarget(endpoint=f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH + "/x", user="dba",
                           password="not-the-password")
    with pytest.raises(PublishError, match="HTTP 401"):
        publish_chunks([b"<http://s> <http://p> <http://o> .\n"], target)


def test_sparql_update_fallback(virtuoso: str) -> None:
    graph = GRAPH + "/update"
    target = PublishTarget(endpoint=f"{virtuoso}/sparql-auth", graph=graph, user="dba", password="dba",
                           protocol="update")
    chunks = [b"<http://s/1> <http://p> \"\xc3\xa6bler\"@da .\n_:b <http://p> <http://s/1> .\n",
              b"<http://s/2> <http://p> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"]
    report = publish_chunks(chunks, target)
    assert report.protocol == "update" and report.triples == 3
    rows = _select(virtuoso + "/sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]["value"]) == 3


def test_service_forwards_sparql_to_the_published_graph(virtuoso: str, published: PublishReport,
                                                         build_dir: Path, live_server: str,
                                                         tmp_path: Path) -> None:
    """The service started with STRATEGIGRAF_SPARQL_UPSTREAM answers the catalogue queries from Virtuoso
    with the same rows as the embedded store (live_server)."""
    from service.sparql import load_catalogue

    proc, base = servers.start(build_dir, tmp_path / "upstream.log",
                               {"STRATEGIGRAF_SPARQL_TIMEOUT_S": "10", "STRATEGIGRAF_SPARQL_UPSTREAM": virtuoso + "/sparql",
                                "STRATEGIGRAF_SPARQL_UPSTREAM_GRAPH": GRAPH})
    compared: list[str] = []
    try:
        for example in load_catalogue():
            embedded = httpx.post(live_server + "/sparql", data={"query": example.query},
                                  headers={"Accept": SPARQL_JSON}, timeout=60)
            upstream = httpx.post(base + "/sparql", data={"query": example.query},
                                  headers={"Accept": SPARQL_JSON}, timeout=60)
            assert embedded.status_code == 200, embedded.text
            if example.id in KNOWN_VIRTUOSO_LIMITS:
                assert upstream.status_code == 400, (example.id, upstream.text)
                assert "Virtuoso" in upstream.json()["detail"]
                continue
            assert upstream.status_code == 200, (example.id, upstream.text)
            compared.append(example.id)
            assert upstream.headers["content-type"].startswith(SPARQL_JSON)
            rows_e = [_norm(r) for r in embedded.json()["results"]["bindings"]]
            rows_u = [_norm(r) for r in upstream.json()["results"]["bindings"]]
            assert rows_e, example.id
            assert sorted(rows_u) == sorted(rows_e), example.id
            assert upstream.headers["x-sparql-result-count"] == str(len(rows_e))
        assert "spor-og-pejlemaerker" in compared
        # Predeclared prefixes and the base IRI work as in embedded mode.
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?t a sg:Track }"
        n_e = httpx.get(live_server + "/sparql", params={"query": q}, headers={"Accept": SPARQL_JSON}).json()
        n_u = httpx.get(base + "/sparql", params={"query": q}, headers={"Accept": SPARQL_JSON}).json()
        assert n_u["results"]["bindings"][0]["n"]["value"] == n_e["results"]["bindings"][0]["n"]["value"] != "0"
        # Checks still run before anything is forwarded.
        r = httpx.post(base + "/sparql", data={"update": f"DROP GRAPH <{GRAPH}>"})
        assert r.status_code == 403
        r = httpx.get(base + "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"})
        assert r.status_code == 403
        left = _select(virtuoso + "/sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
        assert int(left[0]["n"]["value"]) > 0  # the refused DROP changed nothing
        # A syntax error is reported by the store as a 400 problem.
        r = httpx.get(base + "/sparql", params={"query": "SELECT ?x WHERE { ?x"})
        assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
    finally:
        servers.stop(proc)


def test_unreachable_upstream_is_502(settings: ServiceSettings) -> None:
    from fastapi.testclient import TestClient

    from service.app import create_app

    dead = settings.model_copy(update={"sparql_upstream": f"http://127.0.0.1:{servers.free_port()}/sparql"})
    with TestClient(create_app(dead)) as client:
        r = client.get("/sparql", params={"query": "ASK {}"})
        assert r.status_code == 502
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["title"] == "Bad gateway"
        assert client.get("/sparql", params={"query": "INSERT DATA { <a:b> <a:b> <a:b> }"}).status_code == 403


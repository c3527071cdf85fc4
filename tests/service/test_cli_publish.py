"""`strategigraf publish` (service/cli.py): the live build's graph sent to a real Virtuoso store (the session's
``virtuoso`` fixture); what is sent and how is tested in tests/ingest/test_publish.py."""

from __future__ import annotations

from pathlib import Path

import httpx
from typer.testing import CliRunner

from service.cli import app

GRAPH = "https://w3id.org/strategigraf/graph/cli-test"


def _count(virtuoso: str, graph: str) -> int:
    r = httpx.post(virtuoso + "/sparql", data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
                   headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_publish_sends_every_triple_of_the_live_build_and_says_how_many(virtuoso: str, build_dir: Path,
                                                                       generation_dir: Path) -> None:
    triples = sum(1 for line in (generation_dir / "graph.nt").read_bytes().splitlines() if line.strip())
    result = CliRunner().invoke(app, ["publish", "--build", str(build_dir), "--sparql-endpoint",
                                      f"{virtuoso}/sparql-graph-crud-auth", "--graph", GRAPH, "--user", "dba"],
                                env={"STRATEGIGRAF_PUBLISH_PASSWORD": "dba", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"published build {generation_dir.name}: {triples} triples" in result.output
    assert f"<{GRAPH}>" in result.output
    assert _count(virtuoso, GRAPH) == triples


def test_publish_refuses_an_unknown_auth_scheme_before_sending_anything(build_dir: Path) -> None:
    result = CliRunner().invoke(app, ["publish", "--build", str(build_dir), "--sparql-endpoint",
                                      "http://127.0.0.1:9/sparql", "--auth", "kerberos"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "--auth must be digest or basic" in result.output

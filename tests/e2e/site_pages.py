"""Every page of the site, for the browser tests that visit them all (tests/e2e/test_phone_widths.py and
tests/e2e/test_danish_ui.py): which documents, nodes, topics and resources to open is read from the running
server's own API, so the list works for any corpus.

Also :func:`admin_server`, a server with the admin token set, for the upload page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from tests import servers

ADMIN_TOKEN = "e2e-site-pages-token"
SG = "https://w3id.org/strategigraf/ontology#"
BASE_IRI = "https://w3id.org/strategigraf"


@dataclass(frozen=True)
class SitePage:
    name: str
    path: str
    status: int = 200
    sparql_results: bool = False
    """Run the first example query before checking (the editor's results table is part of the page)."""


def _first_binding(base: str, query: str) -> str:
    response = httpx.post(base + "/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    rows = response.json()["results"]["bindings"]
    assert rows, f"no answer to {query}"
    return str(next(iter(rows[0].values()))["value"])


def site_pages(base: str) -> list[SitePage]:
    """One of each page the site has, with real ids from the server at ``base``."""
    docs = httpx.get(base + "/documents", timeout=30).json()
    docs.sort(key=lambda d: (d["municipality"], d["year"], d["id"]))
    first = docs[0]
    tree = httpx.get(base + f"/documents/{quote(first['id'])}", timeout=30).json()["tree"]
    container = next(n for n in tree if n["children"])
    by_muni: dict[str, list[dict[str, Any]]] = {}
    for d in docs:
        by_muni.setdefault(d["municipality"], []).append(d)
    muni, several = next((m, ds) for m, ds in by_muni.items() if len(ds) >= 2)
    other = next((d for d in docs if d["municipality"] != first["municipality"]), docs[1])
    topics = httpx.get(base + "/topics", timeout=30).json()["topics"]
    topic = topics[0]
    committee = _first_binding(base, f"SELECT ?c WHERE {{ ?c a <{SG}Committee> }} ORDER BY ?c LIMIT 1")
    overlap = _first_binding(base, f"SELECT ?o WHERE {{ ?o a <{SG}Overlap> }} ORDER BY ?o LIMIT 1")
    bad_years = {"q": topic["label"], "year_from": 2020, "year_to": 2010}
    return [
        SitePage("search", "/"),
        SitePage("search-results", "/?" + urlencode({"q": topic["label"]})),
        SitePage("search-principles", "/?" + urlencode({"q": topic["label"], "type": "Principle"})),
        SitePage("documents", "/dokumenter"),
        SitePage("document", f"/dokument/{quote(first['id'])}"),
        SitePage("node", "/node?" + urlencode({"id": container["id"]})),
        SitePage("overlap-start", "/overlap"),
        SitePage("overlap", "/overlap?" + urlencode({"a": first["id"], "b": other["id"]})),
        SitePage("compare-start", "/sammenlign"),
        SitePage("compare", "/sammenlign?" + urlencode({"kommune": muni, "fra": several[0]["id"],
                                                        "til": several[-1]["id"]})),
        SitePage("topics", "/emner"),
        SitePage("topic", f"/emner/{quote(topic['id'])}"),
        SitePage("sparql", "/sparql-editor", sparql_results=True),
        SitePage("help", "/hjaelp"),
        SitePage("about-data", "/om-data"),
        SitePage("ontology", "/ontology"),
        SitePage("municipality", f"/id/municipality/{quote(muni)}"),
        SitePage("committee", committee[len(BASE_IRI):]),
        SitePage("overlap-resource", overlap[len(BASE_IRI):]),
        SitePage("error-unknown-url", "/findes/ikke", 404),
        SitePage("error-year-range-page", "/?" + urlencode(bad_years), 422),
        SitePage("error-year-range-api", "/search?" + urlencode(bad_years), 422),
        SitePage("error-sparql", "/sparql?" + urlencode({"query": "SELEC ?x"}), 400),
    ]


@pytest.fixture(scope="module")
def admin_server(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on the session's build with the admin token set (the upload page is shown, nothing uploaded)."""
    proc, base = servers.start(build_dir, tmp_path_factory.mktemp("admin") / "server.log",
                               {"STRATEGIGRAF_ADMIN_TOKEN": ADMIN_TOKEN})
    try:
        yield base
    finally:
        servers.stop(proc)


def run_first_sparql_example(page: Any) -> None:
    """Click the first example of the SPARQL editor and wait for its results table."""
    page.locator(".yasqe .CodeMirror").wait_for()
    page.locator("button.example-run").first.click()
    page.locator(".yasr table tbody tr").first.wait_for()

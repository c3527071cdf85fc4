"""A document added with `strategigraf add FILE` and no flags, served by a real server: searchable, its node pages
show the PDF's page numbers and open the original at that page, /sparql answers about it, and it takes part in
the overlaps with the bundled strategies."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import servers

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "tests" / "data" / "add" / "norddjurs-bostoette.pdf"


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory, build_dir: Path) -> Iterator[tuple[str, str]]:
    """(base URL, new document id): the PDF added to a copy of corpora/ by the CLI, then served."""
    import shutil

    root = tmp_path_factory.mktemp("added")
    corpus = root / "corpora"
    shutil.copytree(ROOT / "corpora", corpus)
    build = root / "build"
    # The session build's caches: nothing of the bundled corpora is embedded twice.
    env = {**os.environ, "STRATEGIGRAF_CACHE_DIR": str(build_dir / "cache")}
    done = subprocess.run([sys.executable, "-m", "service", "add", str(PDF), "--corpora", str(corpus),
                           "--build", str(build)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    entries = tomllib.loads((corpus / "manifest.toml").read_text(encoding="utf-8"))["document"]
    doc_id = str(entries[-1]["id"])
    assert entries[-1]["format"] == "pdf" and entries[-1]["municipality"] == "norddjurs"
    proc, base = servers.start(build, root / "server.log", env={"STRATEGIGRAF_CORPORA_DIR": str(corpus)})
    try:
        yield base, doc_id
    finally:
        servers.stop(proc)


def test_added_pdf_is_searchable_with_pages(added: tuple[str, str]) -> None:
    base, doc_id = added
    body = httpx.get(base + "/search", params={"q": "bostøtte i eget hjem", "municipality": "norddjurs"},
                     timeout=30).json()
    hits = [r for r in body["results"] if r["document"]["id"] == doc_id]
    assert hits, body
    node = httpx.get(base + "/nodes/" + hits[0]["id"], timeout=30).json()
    assert node["source"]["format"] == "pdf"
    assert node["source"]["page"] in (1, 2)
    assert node["source"]["original"] == f"/documents/{doc_id}/original#page={node['source']['page']}"
    assert node["source"]["span"].strip(), "the extracted text the offsets point into is served"


def test_node_page_shows_the_page_and_opens_the_original(added: tuple[str, str]) -> None:
    base, doc_id = added
    tree = httpx.get(f"{base}/documents/{doc_id}", timeout=30).json()["tree"]
    first = tree[0]["id"]
    page = httpx.get(base + "/node", params={"id": first}, timeout=30)
    assert page.status_code == 200
    detail = httpx.get(base + "/nodes/" + first, timeout=30).json()
    assert f"side {detail['source']['page']}" in page.text
    assert f"/documents/{doc_id}/original#page={detail['source']['page']}" in page.text
    original = httpx.get(f"{base}/documents/{doc_id}/original", timeout=30)
    assert original.status_code == 200
    assert original.headers["content-type"] == "application/pdf"
    assert original.content == PDF.read_bytes()


def test_sparql_answers_about_the_added_document(added: tuple[str, str]) -> None:
    base, doc_id = added
    query = f"""PREFIX sg: <https://w3id.org/strategigraf/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?format (COUNT(DISTINCT ?node) AS ?nodes) (MAX(?page) AS ?last) WHERE {{
  <https://w3id.org/strategigraf/id/{doc_id}> sg:sourceFormat ?format .
  ?node sg:inDocument <https://w3id.org/strategigraf/id/{doc_id}> ; sg:sourceSpan ?span .
  ?span sg:page ?page .
}} GROUP BY ?format"""
    res = httpx.post(base + "/sparql", data={"query": query},
                     headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert res.status_code == 200, res.text
    row = res.json()["results"]["bindings"][0]
    assert row["format"]["value"] == "pdf"
    assert int(row["nodes"]["value"]) >= 5
    assert int(row["last"]["value"]) == 2


def test_added_document_takes_part_in_overlaps(added: tuple[str, str]) -> None:
    base, doc_id = added
    body = httpx.get(base + "/overlaps", params={"a": doc_id}, timeout=30).json()
    assert body["pairs"], "no overlap of the new document with any bundled strategy"
    others = {p["b"]["document"]["id"] for p in body["pairs"]} | {p["a"]["document"]["id"] for p in body["pairs"]}
    assert others - {doc_id}

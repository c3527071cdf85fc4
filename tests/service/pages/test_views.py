"""service/pages/views.py: the Danish web pages over the real build, as HTML (what a browser does with them:
tests/e2e/). Each page answers with the security headers; the search, documents, node, overlap, compare and topic
pages show what the pure functions behind them return."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from service.compare import compare_documents
from service.generation import Generation

S14, S15, S19, S24, FAXE = "slagelse-2014", "slagelse-2015-opfoelgning", "slagelse-2019", "slagelse-2024-2030", \
    "faxe-strategi"


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_page_counts_each_carried_theme_once(client: TestClient, generation: Generation) -> None:
    response = client.get("/sammenlign", params={"kommune": "slagelse", "fra": S19, "til": S24})
    assert response.status_code == 200
    themes = len(compare_documents(generation, S19, S24).carried_over)
    assert f"{themes} videreførte temaer" in _text(response.text)
    carried = response.text.split('id="carried-heading"')[1].split("</section>")[0]
    assert carried.count('class="pair"') == themes
    assert "Sammenligningen går baglæns" not in response.text and "To forskellige kommuner" not in response.text


def test_page_shows_each_follow_up_activity_once(client: TestClient) -> None:
    html = client.get("/sammenlign", params={"kommune": "slagelse", "fra": S14, "til": S15}).text
    followups = html.split('class="followups"')[1]
    links = Counter(re.findall(r'href="(/node\?id=[^"]*activity%2F\d+)"', followups))
    assert links and max(links.values()) == 1


def test_page_explains_a_reversed_comparison(client: TestClient) -> None:
    response = client.get("/sammenlign", params={"kommune": "slagelse", "fra": S24, "til": S19})
    assert response.status_code == 200
    text = _text(response.text)
    assert "Sammenligningen går baglæns i tid" in text and "Fra 2019 til 2024" in text
    assert 'role="note"' in response.text


def test_page_explains_two_municipalities(client: TestClient) -> None:
    response = client.get("/sammenlign", params={"fra": FAXE, "til": S24})
    assert response.status_code == 200
    text = _text(response.text)
    assert "To forskellige kommuner" in text and "fælles temaer" in text
    assert "Kun i Slagelse Kommune 2024" in text and "videreførte temaer" not in text


def test_page_refuses_one_document_with_itself_in_danish(client: TestClient) -> None:
    response = client.get("/sammenlign", params={"kommune": "slagelse", "fra": S19, "til": S19})
    assert response.status_code == 422
    assert "Vælg to forskellige dokumenter" in _text(response.text)


def test_overlap_page_shows_at_most_three_partners_per_node(client: TestClient) -> None:
    html = client.get("/overlap", params={"a": S24, "b": FAXE}).text
    pairs = html.split('id="pairs-heading"')[1]
    sides = re.findall(r'<li class="pair">(.*?)</li>\s*(?=<li class="pair">|</ol>)', pairs, flags=re.S)
    assert len(sides) > 30
    count: Counter[str] = Counter()
    for item in sides:
        for href in dict.fromkeys(re.findall(r'<p><a href="(/node\?id=[^"]+)"', item)):
            count[href] += 1
    assert count and max(count.values()) <= 3


@pytest.mark.parametrize("path", ["/", "/?q=netværk", "/dokumenter", f"/dokument/{FAXE}", "/emner",
                                  "/emner/netvaerk-og-paaroerende", "/sparql-editor", "/overlap",
                                  f"/sammenlign?kommune=slagelse&fra={S19}&til={S24}"])
def test_every_page_is_danish_html_with_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="da"' in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_documents_page_lists_every_document_of_the_build(client: TestClient, generation: Generation) -> None:
    text = _text(client.get("/dokumenter").text)
    for doc in generation.documents.values():
        assert unescape(doc.title) in text, doc.id


def test_a_document_page_shows_its_tree_and_an_unknown_one_is_a_danish_404(client: TestClient,
                                                                         generation: Generation) -> None:
    html = client.get(f"/dokument/{S24}").text
    tracks = [n for n in generation.nodes if n.doc == S24 and n.type == "Track"]
    assert tracks and all(f"/node?id={quote(n.id, safe='')}" in html for n in tracks)
    missing = client.get("/dokument/findes-ikke")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")


def test_the_node_page_shows_the_nodes_text(client: TestClient, generation: Generation) -> None:
    node = next(n for n in generation.nodes if n.type == "Principle")
    response = client.get("/node", params={"id": node.id})
    assert response.status_code == 200
    assert " ".join(node.text.split()[:6]) in _text(response.text)


def test_the_search_page_shows_the_results_of_the_search(client: TestClient) -> None:
    html = client.get("/", params={"q": "netværk", "type": "Principle", "kommune": "faxe"}).text
    api = client.get("/search", params={"q": "netværk", "type": "Principle", "municipality": "faxe"}).json()
    assert api["results"]
    for result in api["results"][:3]:
        assert quote(result["id"], safe="") in html


def test_documents_page_links_to_upload_only_when_admin_is_enabled(client: TestClient) -> None:
    assert "/admin/dokumenter" not in client.get("/dokumenter").text

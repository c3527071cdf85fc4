"""service/routes/documents_api.py: /documents, /documents/{id}, /documents/{id}/original and /nodes/{path} over
the real build (what the pure functions return: tests/service/test_browse.py)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ontology import ID_NS
from service.generation import Generation
from service.problems import Problem
from service.routes.documents_api import original_route
from service.settings import ServiceSettings


def test_documents_and_document_tree(client: TestClient) -> None:
    docs = client.get("/documents").json()
    assert {d["id"] for d in docs} >= {"slagelse-2024-2030", "faxe-strategi"}
    tree = client.get("/documents/slagelse-2024-2030").json()
    tracks = [n for n in tree["tree"] if n["type"] == "Track"]
    assert len(tracks) == 8 and sum(len(t["children"]) for t in tracks) == 20


def test_node_detail_has_source_around_the_span(client: TestClient) -> None:
    body = client.get("/nodes/slagelse-2024-2030/track/5").json()
    assert body["label"] == "ET STÆRKT SAMARBEJDE MED BORGERENS NETVÆRK"
    assert [a["type"] for a in body["ancestors"]] == ["StrategyDocument"]
    assert len(body["children"]) == 3
    assert body["source"]["span"].strip().endswith("NETVÆRK")
    assert "Spør 5" in body["source"]["before"]
    by_iri = client.get("/nodes/" + ID_NS + "slagelse-2024-2030/track/5").json()
    assert by_iri["id"] == body["id"]


def test_activity_links_to_goal_and_status(client: TestClient) -> None:
    tree = client.get("/documents/slagelse-2015-opfoelgning").json()

    def walk(nodes):  # type: ignore[no-untyped-def]
        for n in nodes:
            yield n
            yield from walk(n["children"])

    activity = next(n for n in walk(tree["tree"]) if n["type"] == "Activity")
    body = client.get("/nodes/" + activity["id"]).json()
    assert body["links"]["forGoal"][0]["type"] == "Goal"
    assert body["links"]["hasStatus"][0]["type"] == "StatusReport"


@pytest.mark.parametrize("path", ["/documents/nope", "/nodes/slagelse-2024-2030/track/99", "/documents/nope/original"])
def test_unknown_ids_are_404_problems(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_original_is_the_corpus_file_byte_for_byte(client: TestClient, generation: Generation,
                                                       corpora_dir: Path) -> None:
    for doc_id, entry in generation.manifest["corpora"].items():
        response = client.get(f"/documents/{doc_id}/original")
        assert response.status_code == 200, doc_id
        assert response.content == (corpora_dir / entry["file"]).read_bytes()
        assert hashlib.sha256(response.content).hexdigest() == entry["sha256"]
        assert Path(entry["file"]).name in response.headers["content-disposition"]
        if entry["format"] == "pdf":
            assert response.headers["content-type"] == "application/pdf"


def test_an_original_changed_since_the_build_is_a_409(settings: ServiceSettings, generation: Generation,
                                                      corpora_dir: Path, tmp_path: Path) -> None:
    doc_id, entry = next(iter(generation.manifest["corpora"].items()))
    corpus = tmp_path / "corpora"
    shutil.copytree(corpora_dir, corpus)
    (corpus / entry["file"]).write_bytes((corpora_dir / entry["file"]).read_bytes() + b"\n")
    with pytest.raises(Problem) as caught:
        original_route(doc_id, generation, settings.model_copy(update={"corpora_dir": corpus}))
    assert caught.value.status == 409 and "rebuild" in caught.value.detail
    (corpus / entry["file"]).unlink()
    with pytest.raises(Problem) as caught:
        original_route(doc_id, generation, settings.model_copy(update={"corpora_dir": corpus}))
    assert caught.value.status == 404

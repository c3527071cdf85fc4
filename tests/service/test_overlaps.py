"""/overlaps and /overlaps/matrix over the real build: JSON, heat maps, errors as problem+json, the topic filter,
the overlap page's grouping of pairs under their containers and its heat-map cell counts, and the two SPARQL
queries of docs/overlaps.md run through the store (the CSV export: test_exports.py)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ontology.node_types import THEMATIC
from service.generation import Generation
from service.overlaps import (
    OverlapError,
    UnknownDocumentError,
    cell_counts,
    coverage_matrix,
    group_by_container,
    list_overlaps,
    pair_containers,
    render_heatmap,
    topic_counts,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "overlaps.md"
OWN_LABELS = Path(__file__).resolve().parents[1] / "data" / "eval" / "own_overlaps.json"
S24, FAXE = "slagelse-2024-2030", "faxe-strategi"


def test_pairs_between_two_documents_are_oriented_and_explained(client: TestClient) -> None:
    response = client.get("/overlaps", params={"a": FAXE, "b": S24})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["pairs"]) > 20
    scores = [p["score"] for p in body["pairs"]]
    assert scores == sorted(scores, reverse=True)
    for pair in body["pairs"]:
        assert pair["a"]["document"]["id"] == FAXE and pair["b"]["document"]["id"] == S24
        assert set(pair["a"]) >= {"id", "type", "label", "text", "document"}
        assert set(pair["a"]["document"]) == {"id", "title", "municipality", "year"}
        assert pair["explanation"]["method"] in ("hybrid-mnn", "hybrid-threshold", "children")
    top = body["pairs"][0]["explanation"]
    assert top["shared_topics"] or top["shared_terms"]


def test_without_documents_all_cross_document_overlaps(client: TestClient, generation: Generation) -> None:
    body = client.get("/overlaps").json()
    assert body["count"] == len(generation.analysis["overlaps"])
    docs = {(p["a"]["document"]["id"], p["b"]["document"]["id"]) for p in body["pairs"]}
    assert len(docs) > 5 and all(a != b for a, b in docs)


def _max_partners(rows: list[tuple[str, str, str, str, str, str]]) -> tuple[int, int]:
    """(most partners of any node in one other document, most of any container), from (node a, type a,
    document a, node b, type b, document b) rows."""
    count: Counter[tuple[str, str]] = Counter()
    containers: set[str] = set()
    for na, ta, da, nb, tb, db in rows:
        count[(na, db)] += 1
        count[(nb, da)] += 1
        containers |= {n for n, t in ((na, ta), (nb, tb)) if t in THEMATIC}
    return max(count.values()), max(n for (node, _), n in count.items() if node in containers)


def test_api_lists_at_most_three_partners_per_node_per_other_document(client: TestClient) -> None:
    body = client.get("/overlaps").json()
    rows = [(p["a"]["id"], p["a"]["type"], p["a"]["document"]["id"], p["b"]["id"], p["b"]["type"],
             p["b"]["document"]["id"]) for p in body["pairs"]]
    most, most_container = _max_partners(rows)
    assert most <= 3 and most_container == 3, "containers too, and the cap is reached"


def test_container_overlaps_explain_content_coverage_and_topics(client: TestClient) -> None:
    body = client.get("/overlaps", params={"a": S24, "b": FAXE, "level": "track"}).json()
    containers = [p for p in body["pairs"] if p["explanation"]["kind"] == "container"]
    assert containers
    for p in containers:
        e = p["explanation"]
        parts = (e["content_similarity"], e["member_coverage"], e["topic_similarity"])
        assert all(0.0 <= x <= 1.0 for x in parts)
        assert p["score"] == pytest.approx(sum(parts) / 3, abs=2e-3)


def test_matrix_rows_are_best_at_their_judged_same_subject_column(client: TestClient, generation: Generation) -> None:
    """Every Slagelse 2024 track judged to share its subject with a Faxe bearing (tests/data/eval/own_overlaps.json)
    has that bearing as its best column in the track × bearing matrix."""
    labels = json.loads(OWN_LABELS.read_text(encoding="utf-8"))["pairs"]
    judged = [p for p in labels if p["judgement"] == "strong" and (p["a_document"], p["a_type"], p["b_document"],
                                                                    p["b_type"]) == (S24, "Track", FAXE, "Bearing")]
    assert len(judged) >= 4
    body = client.get("/overlaps/matrix", params={"a": S24, "b": FAXE, "level_b": "bearing"}).json()
    for p in judged:
        i = next(k for k, r in enumerate(body["rows"]) if p["a"] in r["text"])
        j = next(k for k, c in enumerate(body["columns"]) if p["b"] in c["text"])
        assert body["scores"][i][j] == max(body["scores"][i]) > 0, (p["a"], p["b"], body["scores"][i])


def test_level_and_min_score_filter(generation: Generation) -> None:
    tracks = list_overlaps(generation, S24, FAXE, level="track")
    assert tracks.pairs and all("Track" in (p.a.type, p.b.type) for p in tracks.pairs)
    strong = list_overlaps(generation, S24, FAXE, min_score=0.7)
    assert strong.pairs and all(p.score >= 0.7 for p in strong.pairs)
    assert len(strong.pairs) < len(list_overlaps(generation, S24, FAXE).pairs)


def test_pure_function_errors(generation: Generation) -> None:
    with pytest.raises(UnknownDocumentError):
        list_overlaps(generation, "nope")
    with pytest.raises(OverlapError, match="level"):
        list_overlaps(generation, level="kapitel")


def test_matrix_json_tracks_by_principles(client: TestClient) -> None:
    body = client.get("/overlaps/matrix", params={"a": S24, "b": FAXE}).json()
    assert (body["level_a"], body["level_b"]) == ("Track", "Principle")
    assert len(body["rows"]) == 8 and len(body["columns"]) == 13
    assert len(body["scores"]) == 8 and all(len(r) == 13 for r in body["scores"])
    assert body["rows"][4]["label"].startswith("Spor 5")
    ansvar = next(j for j, c in enumerate(body["columns"]) if c["text"] == "Vi understøtter ansvar for eget liv")
    assert body["scores"][4][ansvar] > 0, "track 5 (netværk) overlaps the principle on one's own life"
    fall = next(j for j, c in enumerate(body["columns"]) if c["text"] == "Vi understøtter bidraget til fællesskabet")
    assert body["scores"][3][fall] == max(body["scores"][3]), "FÆLLESSKABER is closest to the community principle"


def test_matrix_at_other_levels(generation: Generation) -> None:
    matrix = coverage_matrix(generation, S24, FAXE, level_b="bearing")
    assert len(matrix.columns) == 4 and {c.type for c in matrix.columns} == {"Bearing"}
    image = render_heatmap(matrix, "png")
    assert image.startswith(b"\x89PNG")


def _sparql_blocks() -> dict[str, str]:
    """Each ``### heading`` of docs/overlaps.md with the ```sparql block under it."""
    out: dict[str, str] = {}
    for section in re.split(r"^### ", DOCS.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        block = re.search(r"```sparql\n(.*?)```", body, flags=re.S)
        if block:
            out[title.strip()] = block.group(1)
    return out


def test_docs_hold_both_sparql_queries() -> None:
    assert set(_sparql_blocks()) >= {"Topics covered by both Faxe and Slagelse",
                                     "Slagelse tracks with no counterpart in Faxe"}


def test_sparql_topics_covered_by_both_municipalities(generation: Generation) -> None:
    rows = list(generation.store.query(_sparql_blocks()["Topics covered by both Faxe and Slagelse"]))
    assert len(rows) >= 5
    topics = {str(r["topic"].value).rsplit("/", 1)[1] for r in rows}  # type: ignore[index, union-attr]
    assert {"dialog-og-tillid", "netvaerk-og-paaroerende", "oekonomi-og-styring"} <= topics
    assert all(int(r["faxe_nodes"].value) > 0 and int(r["slagelse_nodes"].value) > 0  # type: ignore[index, union-attr]
               for r in rows)


def test_sparql_slagelse_tracks_without_counterpart_in_faxe(generation: Generation) -> None:
    rows = list(generation.store.query(_sparql_blocks()["Slagelse tracks with no counterpart in Faxe"]))
    assert rows, "the query returns at least one track"
    labels = {str(r["label"].value) for r in rows}  # type: ignore[index, union-attr]
    assert "FÆLLESSKABER" not in labels
    # the case: tracks whose Faxe counterpart says the same in other words have one now
    assert "EFFEKTIV DRIFT" not in labels and "KVALITET OPSTÅR I MØDET" not in labels
    for r in rows:
        node = generation.node(str(r["track"].value))  # type: ignore[index, union-attr]
        assert node is not None and node.type == "Track" and node.doc == S24




# --------------------------------------------------------------------------- topic filter and the page's grouping
def _most_shared_topic(generation: Generation) -> tuple[str, int]:
    shared = Counter(t.id for p in list_overlaps(generation, S24, FAXE).pairs for t in p.explanation.shared_topics)
    return shared.most_common(1)[0]


def test_topic_keeps_the_pairs_that_share_it(generation: Generation) -> None:
    topic, shared = _most_shared_topic(generation)
    everything = list_overlaps(generation, S24, FAXE)
    on_topic = list_overlaps(generation, S24, FAXE, topic=topic)
    assert on_topic.topic == topic and 0 < on_topic.count == shared < everything.count
    assert all(topic in {t.id for t in p.explanation.shared_topics} for p in on_topic.pairs)
    statements = list_overlaps(generation, S24, FAXE, level="statement", topic=topic)
    assert {(p.a.id, p.b.id) for p in statements.pairs} == {
        (p.a.id, p.b.id) for p in on_topic.pairs if "Statement" in (p.a.type, p.b.type)}
    counted = dict((t.id, n) for t, n in topic_counts(everything.pairs))
    assert counted[topic] == shared
    assert all(list_overlaps(generation, S24, FAXE, topic=t).count == n for t, n in counted.items())


def test_api_topic_parameter_in_json_and_csv(client: TestClient, generation: Generation) -> None:
    topic, shared = _most_shared_topic(generation)
    body = client.get("/overlaps", params={"a": S24, "b": FAXE, "topic": topic}).json()
    assert body["topic"] == topic and body["count"] == shared == len(body["pairs"])
    assert client.get("/overlaps", params={"a": S24, "b": FAXE}).json()["topic"] is None
    csv_text = client.get("/overlaps", params={"a": S24, "b": FAXE, "topic": topic, "format": "csv"}).text
    assert len(csv_text.strip().splitlines()) == shared + 1  # the header and a row a pair
    refused = client.get("/overlaps", params={"topic": "ikke-et-emne"}, headers={"accept-language": "da"})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "ikke-et-emne" in refused.json()["detail"] and "emne" in refused.json()["detail"]


def test_pairs_grouped_under_their_containers(generation: Generation) -> None:
    pairs = list_overlaps(generation, S24, FAXE).pairs
    groups = group_by_container(generation, pairs, "Track", "Principle")
    ids = [g.container.id for g in groups]
    assert len(ids) == len(set(ids)) >= 5, "each container of a once"
    positions = [generation.position[i] for i in ids]
    assert positions == sorted(positions), "in document order"
    assert sum(g.count for g in groups) == len(pairs)
    for g in groups:
        assert [m.best for m in g.matches] == sorted((m.best for m in g.matches), reverse=True)
        for m in g.matches:
            if m.whole is not None:
                assert (m.whole.a.id, m.whole.b.id) == (g.container.id, m.container.id)
            for p in m.pairs:
                assert pair_containers(p, "Track", "Principle") == (g.container.id, m.container.id)
                node = generation.node(p.b.id)
                assert node is not None and (p.b.id == m.container.id or m.container.id in
                                             {a.id for a in node.ancestors})
    # Faxe's statements stand under their principle, a passage under its bearing: never a bare sentence.
    heads = {m.container.type for g in groups for m in g.matches}
    assert heads <= {"Principle", "Bearing"} and "Principle" in heads
    bearing_of = {m.container.id: m.container.parent for g in groups for m in g.matches if m.container.type == "Principle"}
    assert all(bearing_of.values()), "a principle names its bearing"


def test_cell_counts_are_the_pairs_under_row_and_column(generation: Generation) -> None:
    pairs = list_overlaps(generation, S24, FAXE).pairs
    matrix = coverage_matrix(generation, S24, FAXE)
    counts = cell_counts(matrix, pairs)
    assert len(counts) == len(matrix.rows) and all(len(r) == len(matrix.columns) for r in counts)
    rows = {r.id: i for i, r in enumerate(matrix.rows)}
    cols = {c.id: j for j, c in enumerate(matrix.columns)}
    seen = 0
    for g in group_by_container(generation, pairs, matrix.level_a, matrix.level_b):
        for m in g.matches:
            if g.container.id in rows and m.container.id in cols:
                assert counts[rows[g.container.id]][cols[m.container.id]] == m.count
                seen += m.count
    assert sum(map(sum, counts)) == seen > 20

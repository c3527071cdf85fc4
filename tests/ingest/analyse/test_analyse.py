"""ingest/analyse/__init__.py: the analyse stage as the build ran it (the session's bundled build): what it wrote
to analysis.json, and the SHACL check of the triples it adds, against the Overlap and TopicAssignment shapes only.
Each step has its own module: test_topic_tagging.py, test_overlap_detection.py, test_candidates.py, test_lineage.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ingest.analyse import (
    ANALYSIS_FILE,
    ANALYSIS_FORMAT,
    TripleLines,
    analysis_shapes,
    topic_parameters,
    topic_tagging,
    validate_analysis,
)
from ingest.build import load_records
from ingest.errors import ValidationError
from ingest.validate import ValidatedCache
from ontology import SG, SH


@pytest.fixture(scope="module")
def payload(generation_dir: Path) -> dict[str, Any]:
    return json.loads((generation_dir / ANALYSIS_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph(generation_dir: Path) -> Graph:
    return Graph().parse(generation_dir / "graph.nt", format="nt")


def _added(graph: Graph) -> Graph:
    """The triples the analysis added to the build's graph: the topic scheme, the overlaps and topic
    assignments."""
    added = Graph()
    for triple in topic_tagging.topic_scheme_graph():
        added.add(triple)
    for cls in (SG.Overlap, SG.TopicAssignment):
        for subject in graph.subjects(RDF.type, cls):
            for triple in graph.triples((subject, None, None)):
                added.add(triple)
    return added


def _within_one_document(added: Graph, graph: Graph) -> URIRef:
    """Rewire one overlap of ``added`` to join two nodes of the same document; returns the overlap."""
    overlap = sorted(added.subjects(RDF.type, SG.Overlap))[0]
    first = next(o for o in added.objects(overlap, SG.overlapNode) if isinstance(o, URIRef))
    doc = graph.value(first, SG.inDocument)
    same_doc = next(n for n in graph.subjects(SG.inDocument, doc) if n != first
                    and n not in set(added.objects(overlap, SG.overlapNode)))
    for other in list(added.objects(overlap, SG.overlapNode)):
        if other != first:
            added.remove((overlap, SG.overlapNode, other))
    added.add((overlap, SG.overlapNode, same_doc))
    return overlap


def test_the_payload_has_its_format_model_and_parameters(payload: dict[str, Any], generation_dir: Path) -> None:
    manifest = json.loads((generation_dir / "manifest.json").read_text(encoding="utf-8"))
    assert payload["format"] == ANALYSIS_FORMAT
    assert payload["model"] == manifest["embedder"]["name"]
    assert payload["parameters"]["topics"] == topic_parameters()


def test_every_overlap_joins_nodes_of_two_documents_and_is_listed_from_both(payload: dict[str, Any],
                                                                           generation_dir: Path) -> None:
    _, nodes = load_records(generation_dir)
    doc_of = {n.id: n.doc for n in nodes}
    assert payload["overlaps"]
    for overlap in payload["overlaps"]:
        a, b = overlap["a"], overlap["b"]
        assert doc_of[a] != doc_of[b], overlap
        assert any(e["overlap"] == overlap["id"] and e["node"] == b for e in payload["overlaps_by_node"][a])
        assert any(e["overlap"] == overlap["id"] and e["node"] == a for e in payload["overlaps_by_node"][b])


def test_only_the_overlap_and_topic_assignment_shapes_keep_their_targets() -> None:
    shapes = analysis_shapes()
    targeted = {o for p in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
                for o in shapes.objects(None, SH[p])}
    assert targeted == {SG.Overlap, SG.TopicAssignment}


def test_the_analysis_triples_of_the_build_conform(graph: Graph) -> None:
    added = _added(graph)
    assert len(added) > 100
    validate_analysis(TripleLines.of(added), graph)


def test_an_overlap_within_one_document_is_refused(graph: Graph) -> None:
    added = _added(graph)
    _within_one_document(added, graph)
    with pytest.raises(ValidationError, match="different documents"):
        validate_analysis(TripleLines.of(added), graph)


def test_validated_in_parts_the_one_broken_overlap_is_named(graph: Graph) -> None:
    added = _added(graph)
    overlap = _within_one_document(added, graph)
    focus = len(set(added.subjects(RDF.type, SG.Overlap)) | set(added.subjects(RDF.type, SG.TopicAssignment)))
    with pytest.raises(ValidationError, match="1 violation") as caught:
        validate_analysis(TripleLines.of(added), graph, chunk=max(1, focus // 7))
    assert str(overlap) in str(caught.value)


def test_an_assignment_whose_node_is_not_in_the_graph_is_refused(graph: Graph) -> None:
    added = _added(graph)
    assignment = next(iter(added.subjects(RDF.type, SG.TopicAssignment)))
    added.set((assignment, SG.assignedTo, URIRef("https://example.org/no-such-node")))
    with pytest.raises(ValidationError, match="assignedTo"):
        validate_analysis(TripleLines.of(added), graph)


def test_what_passed_is_not_validated_again_and_a_change_is(graph: Graph, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.validate

    runs: list[str] = []
    real = ingest.validate.ntriples_conform

    def counting(text: str, shapes_ttl: str) -> bool:
        runs.append(text)
        return real(text, shapes_ttl)

    monkeypatch.setattr(ingest.validate, "ntriples_conform", counting)
    added = _added(graph)
    with ValidatedCache(tmp_path / "validated.sqlite") as cache:
        validate_analysis(TripleLines.of(added), graph, cache)
        assert runs
        runs.clear()
        validate_analysis(TripleLines.of(added), graph, cache)
        assert runs == []
        overlap = _within_one_document(added, graph)
        with pytest.raises(ValidationError, match="different documents"):
            validate_analysis(TripleLines.of(added), graph, cache)
        assert len(runs) == 1 and f"<{overlap}> " in runs[0]
        assert runs[0].count(f"<{RDF.type}> <{SG.Overlap}>") == 1  # only the changed overlap


def test_analysis_json_is_streamed_as_the_compact_dump_of_the_payload(payload: dict[str, Any]) -> None:
    import io

    from ingest.analyse import write_json

    out = io.BytesIO()
    parts = write_json(out, payload, batch=7)
    data = out.getvalue()
    assert data.decode("utf-8") == json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # each entry's byte range holds exactly that entry (the text has non-ASCII letters: bytes, not characters)
    assert list(parts) == list(payload)
    assert any(len(str(v).encode()) != len(str(v)) for v in payload.values())
    for key, (start, end) in parts.items():
        assert json.loads(data[start:end]) == payload[key]


def test_one_entry_is_read_from_the_build_without_the_others(generation_dir: Path) -> None:
    from ingest.analyse import ANALYSIS_INDEX_FILE, read_analysis_part

    whole = json.loads((generation_dir / ANALYSIS_FILE).read_text(encoding="utf-8"))
    parts = json.loads((generation_dir / ANALYSIS_INDEX_FILE).read_text(encoding="utf-8"))["parts"]
    assert set(parts) == set(whole)
    for key in ("topics", "topics_by_node", "overlaps"):
        assert read_analysis_part(generation_dir, parts, key) == whole[key]

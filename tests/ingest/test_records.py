"""The build's records of documents and nodes, made from the bundled corpora as read (no model, no index):
row order, parents, ancestors, children, source spans, and the text that is embedded."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.build import parse_corpus
from ingest.graph import ParsedSource, document_iri
from ingest.manifest import Manifest, load_manifest
from ingest.model import Node, NodeKind
from ingest.records import (
    Ancestor,
    DocumentRecord,
    NodeRecord,
    build_records,
    embedding_context,
    records_payload,
)


@pytest.fixture(scope="module")
def corpus(corpora_dir: Path) -> tuple[Manifest, dict[str, ParsedSource]]:
    manifest = load_manifest(corpora_dir)
    return manifest, parse_corpus(manifest)


@pytest.fixture(scope="module")
def records(corpus: tuple[Manifest, dict[str, ParsedSource]]) -> tuple[list[DocumentRecord], list[NodeRecord]]:
    return build_records(*corpus)


def test_one_record_per_document_with_the_manifest_facts(corpus, records) -> None:  # type: ignore[no-untyped-def]
    manifest, _ = corpus
    documents, _ = records
    assert [d.id for d in documents] == [e.id for e in manifest.documents]
    for record, entry in zip(documents, manifest.documents, strict=True):
        assert (record.title, record.year, record.kind, record.file) == (entry.title, entry.year, entry.kind,
                                                                        entry.file)
        assert record.iri == str(document_iri(entry.id))
        assert record.municipality_name == manifest.municipalities[entry.municipality].name
        assert record.relations == {k: list(v) for k, v in entry.relations.items()}


def test_one_record_per_node_in_document_order(corpus, records) -> None:  # type: ignore[no-untyped-def]
    _, docs = corpus
    _, nodes = records
    expected = [(doc_id, n.key) for doc_id, doc in docs.items() for top in doc.parsed.nodes for n in top.walk()]
    assert [(n.doc, n.key) for n in nodes] == expected
    assert len({n.id for n in nodes}) == len(nodes)


def test_parents_children_and_ancestors_agree(records) -> None:  # type: ignore[no-untyped-def]
    documents, nodes = records
    by_id = {n.id: n for n in nodes}
    doc_iris = {d.id: d.iri for d in documents}
    for node in nodes:
        assert node.ancestors[0].id == doc_iris[node.doc] and node.ancestors[0].type == "StrategyDocument"
        assert node.ancestors[-1].id == node.parent
        if node.parent != doc_iris[node.doc]:
            parent = by_id[node.parent]
            assert parent.children[node.order - 1] == node.id  # order: 1-based among its siblings
            assert [a.id for a in node.ancestors[:-1]] == [a.id for a in parent.ancestors]
        for child in node.children:
            assert by_id[child].parent == node.id


def test_source_spans_point_into_the_source_text(corpus, records) -> None:  # type: ignore[no-untyped-def]
    _, docs = corpus
    _, nodes = records
    for node in nodes:
        text = docs[node.doc].source.text
        span = node.source
        assert 0 <= span.start < span.end <= len(text)
        assert span.start_line == text.count("\n", 0, span.start) + 1 <= span.end_line
        assert (span.segments[0][0], span.segments[-1][1]) == (span.start, span.end)
        assert span.file == docs[node.doc].entry.file


def test_the_embedded_context_carries_the_ancestor_headings(records) -> None:  # type: ignore[no-untyped-def]
    _, nodes = records
    nested = [n for n in nodes if any(a.label for a in n.ancestors[1:])]
    assert nested
    for node in nested:
        heads = [a.label for a in node.ancestors[1:] if a.label]
        assert node.context.startswith(" › ".join(heads) + ": ")
        assert node.context.endswith(node.text)


def test_embedding_context_of_a_node_alone_and_under_headings() -> None:
    doc = Ancestor(id="d", type="StrategyDocument", label="Strategien")
    track = Ancestor(id="t", type="Track", label="Spor 1: Bolig")
    goal = Node(kind=NodeKind("Goal"), key="track/1/goal/1", text="Flere borgere i egen bolig", segments=[(0, 10)])
    assert embedding_context(goal, [doc]) == "Flere borgere i egen bolig"  # the document's title is not a heading
    assert embedding_context(goal, [doc, track]) == "Spor 1: Bolig: Flere borgere i egen bolig"
    headed = Node(kind=NodeKind("Goal"), key="g", text="Alle har et hjem", label="Mål 2", segments=[(0, 5)])
    assert embedding_context(headed, [doc]) == "Mål 2. Alle har et hjem"


def test_the_payload_round_trips_through_the_models(records) -> None:  # type: ignore[no-untyped-def]
    documents, nodes = records
    payload = records_payload(documents, nodes)
    assert [DocumentRecord.model_validate(d) for d in payload["documents"]] == documents
    assert [NodeRecord.model_validate(n) for n in payload["nodes"]] == nodes

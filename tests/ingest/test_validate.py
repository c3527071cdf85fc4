"""SHACL validation runs in the build and refuses a broken graph, naming the node and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ingest.errors import ValidationError
from ingest.validate import (
    ValidatedCache,
    find_violations,
    load_shapes,
    target_nodes,
    unvalidated,
    validate_graph,
)
from ontology import ID, SG, SH


@pytest.fixture(scope="module")
def graph(generation_dir: Path) -> Graph:
    return Graph().parse(generation_dir / "graph.nt", format="nt")


def test_built_graph_conforms(graph: Graph) -> None:
    assert find_violations(graph) == []


def test_node_without_text_is_refused_by_name(graph: Graph) -> None:
    broken = Graph()
    broken += graph
    node = ID["slagelse-2024-2030/track/5/statement/3"]
    broken.remove((node, SG.text, None))
    with pytest.raises(ValidationError) as info:
        validate_graph(broken)
    assert str(node) in str(info.value)
    assert "slagelse-2024-2030-politisk-strategi.txt" in str(info.value)


def test_order_zero_is_refused(graph: Graph) -> None:
    broken = Graph()
    broken += graph
    node = ID["faxe-strategi/bearing/2"]
    broken.set((node, SG.order, Literal(0, datatype=XSD.integer)))
    violations = find_violations(broken)
    assert any(v.focus == str(node) for v in violations)


# --- incremental validation: only focus nodes whose neighbourhood changed are validated again ----------


@pytest.fixture
def warm_cache(graph: Graph, tmp_path: Path):  # type: ignore[no-untyped-def]
    with ValidatedCache(tmp_path / "validated.sqlite") as cache:
        assert find_violations(graph, cache=cache) == []
        yield cache


def test_a_validated_graph_is_not_validated_again(graph: Graph, warm_cache: ValidatedCache) -> None:
    shapes = load_shapes()
    assert len(target_nodes(graph, shapes)) > 400
    assert unvalidated(graph, shapes, warm_cache) == {}
    # Other shapes share nothing with these: one changed message makes every node pending.
    prop = next(shapes.subjects(SH.path, SG.text))
    shapes.set((prop, SH.message, Literal("changed")))
    assert len(unvalidated(graph, shapes, warm_cache)) == len(target_nodes(graph, shapes))


def test_an_edited_node_is_validated_again_and_refused(graph: Graph, warm_cache: ValidatedCache) -> None:
    broken = Graph()
    broken += graph
    node = ID["slagelse-2024-2030/track/5/statement/3"]
    broken.remove((node, SG.text, None))
    assert set(unvalidated(broken, load_shapes(), warm_cache)) == {node}
    with pytest.raises(ValidationError) as info:
        validate_graph(broken, cache=warm_cache)
    assert str(node) in str(info.value) and "slagelse-2024-2030-politisk-strategi.txt" in str(info.value)


def _retyped_track(graph: Graph) -> Graph:
    broken = Graph()
    broken += graph
    track = ID["slagelse-2024-2030/track/5"]
    broken.remove((track, RDF.type, None))
    broken.add((track, RDF.type, SKOS.Concept))
    return broken


def _without_span_line(graph: Graph) -> Graph:
    broken = Graph()
    broken += graph
    span = broken.value(ID["faxe-strategi/bearing/2/principle/1"], SG.sourceSpan)
    broken.remove((span, SG.startLine, None))
    return broken


def test_a_node_is_validated_again_when_what_it_points_to_changes(graph: Graph, warm_cache: ValidatedCache) -> None:
    """The children of a track whose type changed are unchanged themselves, yet their parent is no longer a
    document node: their fingerprints include the types of the IRIs they point to."""
    broken = _retyped_track(graph)
    children = set(broken.subjects(DCTERMS.isPartOf, ID["slagelse-2024-2030/track/5"]))
    assert children and children <= set(unvalidated(broken, load_shapes(), warm_cache))


@pytest.mark.parametrize("breakage", [_retyped_track, _without_span_line])
def test_cached_validation_reports_what_a_full_validation_reports(graph: Graph, warm_cache: ValidatedCache,
                                                                   breakage) -> None:  # type: ignore[no-untyped-def]
    broken = breakage(graph)
    full = find_violations(broken)
    assert full
    cached = find_violations(broken, cache=warm_cache)
    assert {(v.focus, v.path, v.shape) for v in cached} == {(v.focus, v.path, v.shape) for v in full}


def test_after_a_refused_graph_only_the_refused_nodes_are_validated_again(graph: Graph, tmp_path: Path) -> None:
    broken = Graph()
    broken += graph
    node = ID["faxe-strategi/bearing/2"]
    broken.remove((node, SG.text, None))
    with ValidatedCache(tmp_path / "v.sqlite") as cache:
        assert {v.focus for v in find_violations(broken, cache=cache)} == {str(node)}
        assert set(unvalidated(broken, load_shapes(), cache)) == {node}
        assert {v.focus for v in find_violations(broken, cache=cache)} == {str(node)}


def test_shapes_with_an_inverse_path_are_never_served_from_the_cache(graph: Graph, tmp_path: Path) -> None:
    """A fingerprint covers what plain-predicate paths see from a node, not the triples pointing at it. With
    an inverse path in the shapes the whole graph is validated: here a node whose own triples did not change
    becomes invalid through incoming triples, and the cache must not hide that."""
    from rdflib import BNode, URIRef

    from ingest.validate import paths_are_predicates

    shapes = load_shapes()
    assert paths_are_predicates(shapes)
    inverse, prop = BNode(), BNode()
    shapes.add((URIRef("https://w3id.org/strategigraf/shapes#DocumentElementShape"), SH.property, prop))
    shapes.add((prop, SH.path, inverse))
    shapes.add((inverse, SH.inversePath, SG.assignedTo))
    shapes.add((prop, SH.maxCount, Literal(50)))
    assert not paths_are_predicates(shapes)
    node = ID["faxe-strategi/bearing/2"]
    with ValidatedCache(tmp_path / "v.sqlite") as cache:
        assert find_violations(graph, shapes, cache=cache) == []
        pointed_at = Graph()
        pointed_at += graph
        for i in range(60):
            pointed_at.add((ID[f"extra/{i}"], SG.assignedTo, node))
        assert {v.focus for v in find_violations(pointed_at, shapes, cache=cache)} == {str(node)}

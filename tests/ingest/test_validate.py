"""SHACL validation runs in the build and refuses a broken graph, naming the node, the path and the rule.

Each broken variant of the bundled graph is also run through pySHACL: pyrudof, the builder's engine, gives the
same verdict and the same (focus node, path, constraint component) results. Incremental validation (the
fingerprint cache) reports what a full validation reports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import rdflib.namespace as rns  # XSD via the module: a global XSD makes pytest warn while collecting
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ingest.errors import ValidationError
from ingest.validate import (
    ValidatedCache,
    _Lookups,
    deep_predicates,
    find_violations,
    fingerprint,
    load_shapes,
    shapes_digest,
    target_nodes,
    unvalidated,
    validate_graph,
)
from ontology import ID, SG, SH
from tests.ontology.shacl_engines import pyrudof_report, pyshacl_report

STATEMENT = ID["slagelse-2024-2030/track/5/statement/3"]
BEARING = ID["faxe-strategi/bearing/2"]


@pytest.fixture(scope="module")
def graph(generation_dir: Path) -> Graph:
    return Graph().parse(generation_dir / "graph.nt", format="nt")


def _copy(graph: Graph) -> Graph:
    out = Graph()
    out += graph
    return out


def without_text(graph: Graph) -> Graph:
    broken = _copy(graph)
    broken.remove((STATEMENT, SG.text, None))
    return broken


def order_zero(graph: Graph) -> Graph:
    broken = _copy(graph)
    broken.set((BEARING, SG.order, Literal(0, datatype=rns.XSD.integer)))
    return broken


def retyped_track(graph: Graph) -> Graph:
    """The children of the track no longer have a document node as parent."""
    broken = _copy(graph)
    track = ID["slagelse-2024-2030/track/5"]
    broken.remove((track, RDF.type, None))
    broken.add((track, RDF.type, SKOS.Concept))
    return broken


def without_span_line(graph: Graph) -> Graph:
    broken = _copy(graph)
    span = broken.value(ID["faxe-strategi/bearing/2/principle/1"], SG.sourceSpan)
    broken.remove((span, SG.startLine, None))
    return broken


def same_document_overlap(graph: Graph) -> Graph:
    """An overlap injected between two statements of one document."""
    broken = _copy(graph)
    overlap = ID["overlap/injected"]
    broken.add((overlap, RDF.type, SG.Overlap))
    broken.add((overlap, SG.overlapNode, STATEMENT))
    broken.add((overlap, SG.overlapNode, ID["slagelse-2024-2030/track/5/statement/1"]))
    broken.add((overlap, SG.score, Literal(0.9, datatype=rns.XSD.double)))
    broken.add((overlap, SG.method, Literal("embedding")))
    return broken


BREAKAGES: list[Callable[[Graph], Graph]] = [without_text, order_zero, retyped_track, without_span_line,
                                             same_document_overlap]


def test_built_graph_conforms(graph: Graph) -> None:
    assert find_violations(graph) == []


def test_node_without_text_is_refused_by_name(graph: Graph) -> None:
    with pytest.raises(ValidationError) as info:
        validate_graph(without_text(graph))
    message = str(info.value)
    assert str(STATEMENT) in message and "slagelse-2024-2030-politisk-strategi.txt" in message
    assert "sg:text" in message and "rule MinCount" in message and "sgsh:DocumentElement-text" in message


def test_order_zero_is_refused(graph: Graph) -> None:
    (violation,) = find_violations(order_zero(graph))
    assert (violation.focus, violation.path, violation.rule) == (str(BEARING), "sg:order", "MinInclusive")
    assert "at least 1" in violation.message and violation.where and violation.where.startswith("faxe-strategi")


def test_a_broken_selector_is_named_under_its_node(graph: Graph) -> None:
    """A failing sh:node names the referring node and path, and under it the selector and the rule it breaks."""
    (violation,) = find_violations(without_span_line(graph))
    assert violation.focus == str(ID["faxe-strategi/bearing/2/principle/1"]) and violation.path == "sg:sourceSpan"
    assert violation.rule == "Node"
    assert [(d.path, d.rule) for d in violation.details] == [("sg:startLine", "MinCount")]
    assert "because" in str(violation) and "sgsh:Span-startLine" in str(violation)


def test_a_same_document_overlap_is_refused(graph: Graph) -> None:
    (violation,) = find_violations(same_document_overlap(graph))
    assert (violation.focus, violation.rule) == (str(ID["overlap/injected"]), "SPARQL")
    assert "different documents" in violation.message


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.__name__ for b in BREAKAGES])
def test_pyrudof_reports_what_pyshacl_reports_on_the_bundled_graph(
        graph: Graph, breakage: Callable[[Graph], Graph]) -> None:
    broken = breakage(graph)
    shapes = load_shapes()
    rudof = pyrudof_report(broken, shapes)
    assert not rudof[0] and rudof[1]
    assert rudof == pyshacl_report(broken, shapes)


def _with_inverse_path(shapes: Graph) -> Graph:
    """At most 50 things may be sg:assignedTo a document node (an inverse path)."""
    inverse, prop = BNode(), BNode()
    shapes.add((URIRef("https://w3id.org/strategigraf/shapes#DocumentElementShape"), SH.property, prop))
    shapes.add((prop, SH.path, inverse))
    shapes.add((inverse, SH.inversePath, SG.assignedTo))
    shapes.add((prop, SH.maxCount, Literal(50)))
    return shapes


def _pointed_at(graph: Graph) -> Graph:
    pointed_at = _copy(graph)
    for i in range(60):
        pointed_at.add((ID[f"extra/{i}"], SG.assignedTo, BEARING))
    return pointed_at


def test_an_inverse_path_is_checked_alike_by_both_engines(graph: Graph) -> None:
    """A construct the bundled shapes do not use yet: a node becomes invalid through triples pointing at it."""
    shapes = _with_inverse_path(load_shapes())
    pointed_at = _pointed_at(graph)
    report = pyrudof_report(pointed_at, shapes)
    assert report == (False, {(str(BEARING), f"^({SG.assignedTo})", str(SH.MaxCountConstraintComponent))})
    assert report == pyshacl_report(pointed_at, shapes)


# --- incremental validation: only focus nodes whose neighbourhood changed are validated again ----------


@pytest.fixture
def warm_cache(graph: Graph, tmp_path: Path) -> Iterator[ValidatedCache]:
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
    broken = without_text(graph)
    assert set(unvalidated(broken, load_shapes(), warm_cache)) == {STATEMENT}
    with pytest.raises(ValidationError) as info:
        validate_graph(broken, cache=warm_cache)
    assert str(STATEMENT) in str(info.value) and "slagelse-2024-2030-politisk-strategi.txt" in str(info.value)


def test_a_node_is_validated_again_when_what_it_points_to_changes(graph: Graph, warm_cache: ValidatedCache) -> None:
    """The children of a track whose type changed are unchanged themselves, yet their parent is no longer a
    document node: their fingerprints include the types of the IRIs they point to."""
    broken = retyped_track(graph)
    children = set(broken.subjects(DCTERMS.isPartOf, ID["slagelse-2024-2030/track/5"]))
    assert children and children <= set(unvalidated(broken, load_shapes(), warm_cache))


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.__name__ for b in BREAKAGES])
def test_cached_validation_reports_what_a_full_validation_reports(graph: Graph, warm_cache: ValidatedCache,
                                                                   breakage: Callable[[Graph], Graph]) -> None:
    broken = breakage(graph)
    full = find_violations(broken)
    assert full
    cached = find_violations(broken, cache=warm_cache)
    assert [(v.focus, v.path, v.rule, v.shape, v.details) for v in cached] == \
        [(v.focus, v.path, v.rule, v.shape, v.details) for v in full]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.__name__ for b in BREAKAGES])
def test_validation_in_parts_reports_what_a_whole_validation_reports(graph: Graph,
                                                                     breakage: Callable[[Graph], Graph]) -> None:
    """A large graph is validated a chunk of focus nodes at a time, each on the subgraph its nodes can see."""
    broken = breakage(graph)
    whole = find_violations(broken)
    assert len(target_nodes(broken, load_shapes())) > 300
    parts = find_violations(broken, chunk=300)
    assert [(v.focus, v.path, v.rule, v.shape, v.details) for v in parts] == \
        [(v.focus, v.path, v.rule, v.shape, v.details) for v in whole]


def test_after_a_refused_graph_only_the_refused_nodes_are_validated_again(graph: Graph, tmp_path: Path) -> None:
    broken = _copy(graph)
    broken.remove((BEARING, SG.text, None))
    with ValidatedCache(tmp_path / "v.sqlite") as cache:
        assert {v.focus for v in find_violations(broken, cache=cache)} == {str(BEARING)}
        assert set(unvalidated(broken, load_shapes(), cache)) == {BEARING}
        assert {v.focus for v in find_violations(broken, cache=cache)} == {str(BEARING)}


def test_shapes_with_an_inverse_path_are_never_served_from_the_cache(graph: Graph, tmp_path: Path) -> None:
    """A fingerprint covers what plain-predicate paths see from a node, not the triples pointing at it. With
    an inverse path in the shapes the whole graph is validated: here a node whose own triples did not change
    becomes invalid through incoming triples, and the cache must not hide that."""
    from ingest.validate import paths_are_predicates

    shapes = _with_inverse_path(load_shapes())
    assert paths_are_predicates(load_shapes()) and not paths_are_predicates(shapes)
    with ValidatedCache(tmp_path / "v.sqlite") as cache:
        assert find_violations(graph, shapes, cache=cache) == []
        assert {v.focus for v in find_violations(_pointed_at(graph), shapes, cache=cache)} == {str(BEARING)}


def test_fingerprints_sharing_one_lookup_equal_fingerprints_made_alone(graph: Graph) -> None:
    shapes = load_shapes()
    digest, deep = shapes_digest(shapes), deep_predicates(shapes)
    lookup = _Lookups(graph)
    nodes = sorted(target_nodes(graph, shapes), key=str)
    shared = [fingerprint(graph, n, digest, deep, lookup) for n in nodes]
    assert shared == [fingerprint(graph, n, digest, deep) for n in nodes]
    assert len(set(shared)) == len(nodes)

"""The SHACL shapes (ontology/shapes.ttl), run the way the builder runs them: pyrudof (ingest.validate).

A small hand-built graph conforms; each broken variant does not, and the report names the node at
fault as the focus node. Every case, conforming or broken, is also run through pySHACL (SHACL Core, no
inference): both engines give the same verdict and the same (focus node, path, constraint component) results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import rdflib.namespace as rns  # XSD via the module: a global XSD makes pytest warn while collecting
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ingest.validate import Violation, find_violations
from ontology import (
    ID,
    OA,
    ONTOLOGY_FILE,
    ORG,
    SG,
    SG_NS,
    SH,
    SHAPES_FILE,
    TOPIC,
    TOPICS_FILE,
    resource_path,
)
from tests.ontology.shacl_engines import pyrudof_report, pyshacl_report

SGSH = Namespace("https://w3id.org/strategigraf/shapes#")

DOC = ID["test-doc"]
DOC2 = ID["test-doc-2"]
MUNI = ID["municipality/test"]
COMMITTEE = ID["committee/test"]
TRACK = ID["test-doc/track/1"]
STATEMENT = ID["test-doc/track/1/statement/1"]
FOCUS = ID["test-doc-2/focus-area/1"]
GOAL = ID["test-doc-2/focus-area/1/goal/1"]
ACTIVITY = ID["test-doc-2/focus-area/1/goal/1/activity/1"]
STATUS = ID["test-doc-2/focus-area/1/goal/1/activity/1/status"]
OVERLAP = ID["overlap/1"]
ASSIGNMENT = ID["topic-assignment/1"]


# --------------------------------------------------------------------------------------------------
# Fixtures and graph builders
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(resource_path(SHAPES_FILE), format="turtle")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(resource_path(ONTOLOGY_FILE), format="turtle")


@pytest.fixture(scope="module")
def topics() -> Graph:
    return Graph().parse(resource_path(TOPICS_FILE), format="turtle")


def nni(n: int) -> Literal:
    return Literal(n, datatype=rns.XSD.nonNegativeInteger)


def pint(n: int) -> Literal:
    return Literal(n, datatype=rns.XSD.positiveInteger)


def add_selector(g: Graph, node: URIRef, prop: URIRef, start: int, end: int, line: int, suffix: str) -> URIRef:
    sel = URIRef(f"{node}#{suffix}")
    g.add((node, prop, sel))
    g.add((sel, RDF.type, OA.TextPositionSelector))
    g.add((sel, OA.start, nni(start)))
    g.add((sel, OA.end, nni(end)))
    g.add((sel, SG.sourceFile, Literal("test.txt")))
    g.add((sel, SG.startLine, pint(line)))
    g.add((sel, SG.endLine, pint(line)))
    return sel


def add_node(g: Graph, node: URIRef, cls: URIRef, doc: URIRef, parent: URIRef, text: str, order: int,
             start: int, label: str | None = None) -> None:
    g.add((node, RDF.type, cls))
    g.add((node, SG.inDocument, doc))
    g.add((node, DCTERMS.isPartOf, parent))
    g.add((parent, DCTERMS.hasPart, node))
    g.add((node, SG.text, Literal(text, lang="da")))
    g.add((node, SG.order, Literal(order)))
    if label is not None:
        g.add((node, SKOS.prefLabel, Literal(label, lang="da")))
    end = start + len(text)
    add_selector(g, node, SG.sourceSpan, start, end, 1 + start // 100, "span")
    add_selector(g, node, SG.sourceSegment, start, end, 1 + start // 100, "segment-1")


def add_document(g: Graph, doc: URIRef, title: str, kind: str, year: int) -> None:
    g.add((doc, RDF.type, SG.StrategyDocument))
    g.add((doc, DCTERMS.title, Literal(title, lang="da")))
    g.add((doc, SG.municipality, MUNI))
    g.add((doc, SG.year, Literal(year)))
    g.add((doc, DCTERMS.publisher, COMMITTEE))
    g.add((doc, SG.documentKind, Literal(kind)))


def minimal_graph() -> Graph:
    """A strategy document with municipality and committee, one track holding one statement."""
    g = Graph()
    g.add((MUNI, RDF.type, SG.Municipality))
    g.add((MUNI, SKOS.prefLabel, Literal("Testby Kommune", lang="da")))
    g.add((MUNI, SG.municipalityCode, Literal("999")))
    g.add((COMMITTEE, RDF.type, SG.Committee))
    g.add((COMMITTEE, SKOS.prefLabel, Literal("Socialudvalget", lang="da")))
    g.add((COMMITTEE, ORG.unitOf, MUNI))
    add_document(g, DOC, "Politisk strategi for det specialiserede voksenområde", "strategy", 2024)
    add_node(g, TRACK, SG.Track, DOC, DOC, "FÆLLESSKABER", 1, 100, label="Fællesskaber")
    g.add((TRACK, SG.number, Literal("4")))
    add_node(g, STATEMENT, SG.Statement, DOC, TRACK,
             "Vi samarbejder med civilsamfundet om konkrete fællesskaber.", 1, 120)
    return g


def rich_graph(topics: Graph) -> Graph:
    """The minimal graph plus a follow-up document with goal, activity and status, an overlap between
    the two documents and a topic assignment (topics.ttl is part of the data graph)."""
    g = minimal_graph()
    g += topics
    add_document(g, DOC2, "Opfølgning på udviklingsaftalen", "follow-up-report", 2015)
    g.add((DOC2, SG.followsUp, DOC))
    add_node(g, FOCUS, SG.FocusArea, DOC2, DOC2, "Aktivt medborgerskab", 1, 10, label="Aktivt medborgerskab")
    add_node(g, GOAL, SG.Goal, DOC2, FOCUS, "Udvikle rammer for et stærkere medborgerskab.", 1, 40,
             label="Udvikle rammer")
    g.add((GOAL, SG.number, Literal("1)")))
    add_node(g, ACTIVITY, SG.Activity, DOC2, GOAL, "Borgernes deltagelse i foreningslivet skal styrkes.", 1, 90)
    g.add((ACTIVITY, SG.forGoal, GOAL))
    add_node(g, STATUS, SG.StatusReport, DOC2, ACTIVITY, "Borgernes deltagelse er styrket.", 1, 150)
    g.add((ACTIVITY, SG.hasStatus, STATUS))
    # A segmented node: two pieces of source split by markup.
    add_selector(g, STATUS, SG.sourceSegment, 160, 170, 2, "segment-2")

    g.add((OVERLAP, RDF.type, SG.Overlap))
    g.add((OVERLAP, SG.overlapNode, STATEMENT))
    g.add((OVERLAP, SG.overlapNode, ACTIVITY))
    g.add((OVERLAP, SG.score, Literal(0.71)))
    g.add((OVERLAP, SG.method, Literal("embedding")))
    g.add((OVERLAP, SG.sharedTopic, TOPIC["faellesskaber-og-civilsamfund"]))
    g.add((OVERLAP, SG.sharedTerm, Literal("civilsamfundet", lang="da")))

    g.add((ASSIGNMENT, RDF.type, SG.TopicAssignment))
    g.add((ASSIGNMENT, SG.assignedTo, STATEMENT))
    g.add((ASSIGNMENT, SG.topic, TOPIC["faellesskaber-og-civilsamfund"]))
    g.add((ASSIGNMENT, SG.confidence, Literal(0.9)))
    g.add((ASSIGNMENT, SG.method, Literal("lexical")))
    g.add((STATEMENT, DCTERMS.subject, TOPIC["faellesskaber-og-civilsamfund"]))
    return g


def validate(g: Graph, shapes: Graph) -> tuple[bool, list[Violation], str]:
    """The builder's verdict, its violations and the text it prints."""
    violations = find_violations(g, shapes)
    return not violations, violations, "\n".join(str(v) for v in violations)


def results(violations: list[Violation]) -> list[tuple[Any, Any, Any]]:
    """(focus node, source shape, message) of every violation."""
    return [(URIRef(v.focus), SGSH[v.shape.removeprefix("sgsh:")] if v.shape else None, v.message) for v in violations]


# --------------------------------------------------------------------------------------------------
# The shapes file itself
# --------------------------------------------------------------------------------------------------


def all_shapes(shapes: Graph) -> set[Any]:
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    found |= set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.node))
    return found


def test_shapes_parse_and_declare_shapes(shapes: Graph) -> None:
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) >= 6
    assert len(set(shapes.subjects(RDF.type, SH.PropertyShape))) >= 20


def test_every_shape_has_an_english_name_and_message(shapes: Graph) -> None:
    missing = []
    for shape in all_shapes(shapes):
        for prop in (SH.name, SH.message):
            langs = {getattr(lit, "language", None) for lit in shapes.objects(shape, prop)}
            if "en" not in langs:
                missing.append((str(shape), str(prop)))
    assert not missing, missing


def test_every_shape_has_an_iri(shapes: Graph) -> None:
    """Reports print sh:sourceShape; a blank node there would tell the reader nothing."""
    assert all(isinstance(s, URIRef) for s in all_shapes(shapes))


def test_sparql_constraints_have_messages(shapes: Graph) -> None:
    for c in shapes.objects(None, SH.sparql):
        assert shapes.value(c, SH.message) is not None


def test_shapes_use_only_declared_ontology_terms(shapes: Graph, onto: Graph) -> None:
    declared = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and str(t).startswith(SG_NS)}
    assert used <= declared, sorted(used - declared)


def test_element_shape_targets_every_node_class(shapes: Graph, onto: Graph) -> None:
    node_classes = set(onto.subjects(RDFS.subClassOf, SG.DocumentElement))
    targets = set(shapes.objects(SGSH.DocumentElementShape, SH.targetClass))
    assert node_classes | {SG.DocumentElement} == targets
    assert (SGSH.DocumentElementShape, SH.targetSubjectsOf, SG.inDocument) in shapes


def _accepted_types(shapes: Graph, value_shape: URIRef) -> set[URIRef]:
    """The classes a value shape (sgsh:DocumentNode, sgsh:DocumentOrNode) accepts among a value's rdf:type."""
    prop = shapes.value(value_shape, SH.property)
    assert shapes.value(prop, SH.path) == RDF.type and shapes.value(prop, SH.qualifiedMinCount).toPython() == 1
    members = shapes.value(shapes.value(prop, SH.qualifiedValueShape), SH["in"])
    return set(Collection(shapes, members))  # type: ignore[arg-type]


def test_is_part_of_accepts_every_concrete_node_class(shapes: Graph, onto: Graph) -> None:
    """Without inference, the value shapes must list the concrete classes, not just sg:DocumentElement."""
    node_classes = set(onto.subjects(RDFS.subClassOf, SG.DocumentElement))
    assert shapes.value(SGSH["DocumentElement-isPartOf"], SH.node) == SGSH.DocumentOrNode
    assert _accepted_types(shapes, SGSH.DocumentOrNode) == node_classes | {SG.StrategyDocument, SG.DocumentElement}
    assert _accepted_types(shapes, SGSH.DocumentNode) == node_classes | {SG.DocumentElement}
    for ref in ("Overlap-overlapNode", "TopicAssignment-assignedTo"):
        assert shapes.value(SGSH[ref], SH.node) == SGSH.DocumentNode


def test_headed_shape_matches_parser_container_kinds(shapes: Graph) -> None:
    targets = set(shapes.objects(SGSH.HeadedElementShape, SH.targetClass))
    assert targets == {SG[n] for n in ("Track", "Bearing", "Principle", "FocusArea", "Goal", "Vision", "Section")}
    from ontology.node_types import HEADED_ELEMENTS
    assert targets == {SG[k] for k in HEADED_ELEMENTS}


# --------------------------------------------------------------------------------------------------
# Conforming graphs
# --------------------------------------------------------------------------------------------------


def test_minimal_graph_conforms(shapes: Graph) -> None:
    conforms, _, text = validate(minimal_graph(), shapes)
    assert conforms, text


def test_rich_graph_conforms(shapes: Graph, topics: Graph) -> None:
    conforms, _, text = validate(rich_graph(topics), shapes)
    assert conforms, text


def test_activity_without_a_goal_conforms(shapes: Graph, topics: Graph) -> None:
    """Plans list activities under a focus area or track without naming a goal ("Det gør vi:")."""
    g = rich_graph(topics)
    activity_without_goal(g)
    conforms, _, text = validate(g, shapes)
    assert conforms, text


def document_kind_typed_string(g: Graph) -> None:
    g.set((DOC, SG.documentKind, Literal("strategy", datatype=rns.XSD.string)))


def typed_also_as_document_element(g: Graph) -> None:
    g.add((STATEMENT, RDF.type, SG.DocumentElement))
    g.add((TRACK, RDF.type, SG.DocumentElement))


def blank_node_selectors(g: Graph) -> None:
    for prop in (SG.sourceSpan, SG.sourceSegment):
        for sel in list(g.objects(STATEMENT, prop)):
            g.remove((STATEMENT, prop, sel))
            b = BNode()
            for p, o in list(g.predicate_objects(sel)):
                g.add((b, p, o))
                g.remove((sel, p, o))
            g.add((STATEMENT, prop, b))


CONFORMING_VARIANTS: list[Callable[[Graph], None]] = [
    document_kind_typed_string, typed_also_as_document_element, blank_node_selectors,
]


@pytest.mark.parametrize("mutate", CONFORMING_VARIANTS, ids=[m.__name__ for m in CONFORMING_VARIANTS])
def test_variant_of_the_minimal_graph_conforms(shapes: Graph, mutate: Callable[[Graph], None]) -> None:
    g = minimal_graph()
    mutate(g)
    conforms, _, text = validate(g, shapes)
    assert conforms, text


# --------------------------------------------------------------------------------------------------
# Broken variants: each must fail, naming the right focus node
# --------------------------------------------------------------------------------------------------


def _one(g: Graph, node: Any, prop: URIRef) -> Any:
    value = g.value(node, prop)
    assert value is not None, (node, prop)
    return value


def _span(g: Graph, node: URIRef) -> Any:
    return _one(g, node, SG.sourceSpan)


def missing_text(g: Graph) -> None:
    g.remove((STATEMENT, SG.text, None))


def text_without_language(g: Graph) -> None:
    g.set((STATEMENT, SG.text, Literal("Vi samarbejder med civilsamfundet.")))


def text_in_english(g: Graph) -> None:
    g.set((STATEMENT, SG.text, Literal("We collaborate with civil society.", lang="en")))


def empty_text(g: Graph) -> None:
    g.set((STATEMENT, SG.text, Literal("", lang="da")))


def two_texts(g: Graph) -> None:
    g.add((STATEMENT, SG.text, Literal("En anden tekst.", lang="da")))


def order_zero(g: Graph) -> None:
    g.set((STATEMENT, SG.order, Literal(0)))


def order_as_string(g: Graph) -> None:
    g.set((STATEMENT, SG.order, Literal("1")))


def missing_order(g: Graph) -> None:
    g.remove((STATEMENT, SG.order, None))


def span_start_equals_end(g: Graph) -> None:
    g.set((_span(g, STATEMENT), OA.start, _one(g, _span(g, STATEMENT), OA.end)))


def span_start_after_end(g: Graph) -> None:
    span = _span(g, STATEMENT)
    g.set((span, OA.start, nni(500)))


def segment_start_after_end(g: Graph) -> None:
    seg = _one(g, STATEMENT, SG.sourceSegment)
    g.set((seg, OA.start, nni(500)))


def span_offsets_plain_integers(g: Graph) -> None:
    span = _span(g, STATEMENT)
    g.set((span, OA.start, Literal(120)))


def span_start_line_after_end_line(g: Graph) -> None:
    span = _span(g, STATEMENT)
    g.set((span, SG.startLine, pint(9)))


def span_without_source_file(g: Graph) -> None:
    g.remove((_span(g, STATEMENT), SG.sourceFile, None))


def span_not_a_selector(g: Graph) -> None:
    g.remove((_span(g, STATEMENT), RDF.type, OA.TextPositionSelector))


def blank_span_start_after_end(g: Graph) -> None:
    blank_node_selectors(g)
    g.set((_span(g, STATEMENT), OA.start, nni(500)))


def missing_span(g: Graph) -> None:
    g.remove((STATEMENT, SG.sourceSpan, None))


def two_spans(g: Graph) -> None:
    add_selector(g, STATEMENT, SG.sourceSpan, 1, 2, 1, "span-2")


def missing_segment(g: Graph) -> None:
    g.remove((STATEMENT, SG.sourceSegment, None))


def two_in_document(g: Graph) -> None:
    add_document(g, DOC2, "En anden strategi", "strategy", 2019)
    g.add((STATEMENT, SG.inDocument, DOC2))


def in_document_not_a_document(g: Graph) -> None:
    g.set((STATEMENT, SG.inDocument, TRACK))


def missing_parent(g: Graph) -> None:
    g.remove((STATEMENT, DCTERMS.isPartOf, None))


def parent_untyped(g: Graph) -> None:
    g.set((STATEMENT, DCTERMS.isPartOf, ID["nowhere"]))


def two_parents(g: Graph) -> None:
    g.add((STATEMENT, DCTERMS.isPartOf, DOC))


def track_without_label(g: Graph) -> None:
    g.remove((TRACK, SKOS.prefLabel, None))


def two_danish_labels(g: Graph) -> None:
    g.add((TRACK, SKOS.prefLabel, Literal("Fællesskab", lang="da")))


def document_kind_unknown(g: Graph) -> None:
    g.set((DOC, SG.documentKind, Literal("white-paper")))


def document_without_title(g: Graph) -> None:
    g.remove((DOC, DCTERMS.title, None))


def document_year_as_string(g: Graph) -> None:
    g.set((DOC, SG.year, Literal("2024")))


def document_publisher_untyped(g: Graph) -> None:
    g.remove((COMMITTEE, RDF.type, SG.Committee))


def document_municipality_untyped(g: Graph) -> None:
    g.remove((MUNI, RDF.type, SG.Municipality))


MINIMAL_BREAKS: list[tuple[Callable[[Graph], None], URIRef, str]] = [
    (missing_text, STATEMENT, "DocumentElement-text"),
    (text_without_language, STATEMENT, "DocumentElement-text"),
    (text_in_english, STATEMENT, "DocumentElement-text"),
    (empty_text, STATEMENT, "DocumentElement-text"),
    (two_texts, STATEMENT, "DocumentElement-text"),
    (order_zero, STATEMENT, "DocumentElement-order"),
    (order_as_string, STATEMENT, "DocumentElement-order"),
    (missing_order, STATEMENT, "DocumentElement-order"),
    (span_start_equals_end, STATEMENT, "DocumentElement-sourceSpan"),
    (span_start_after_end, STATEMENT, "DocumentElement-sourceSpan"),
    (segment_start_after_end, STATEMENT, "DocumentElement-sourceSegment"),
    (span_offsets_plain_integers, STATEMENT, "DocumentElement-sourceSpan"),
    (span_start_line_after_end_line, STATEMENT, "DocumentElement-sourceSpan"),
    (span_without_source_file, STATEMENT, "DocumentElement-sourceSpan"),
    (span_not_a_selector, STATEMENT, "DocumentElement-sourceSpan"),
    (blank_span_start_after_end, STATEMENT, "DocumentElement-sourceSpan"),
    (missing_span, STATEMENT, "DocumentElement-sourceSpan"),
    (two_spans, STATEMENT, "DocumentElement-sourceSpan"),
    (missing_segment, STATEMENT, "DocumentElement-sourceSegment"),
    (two_in_document, STATEMENT, "DocumentElement-inDocument"),
    (in_document_not_a_document, STATEMENT, "DocumentElement-inDocument"),
    (missing_parent, STATEMENT, "DocumentElement-isPartOf"),
    (parent_untyped, STATEMENT, "DocumentElement-isPartOf"),
    (two_parents, STATEMENT, "DocumentElement-isPartOf"),
    (track_without_label, TRACK, "HeadedElement-prefLabel"),
    (two_danish_labels, TRACK, "DocumentElement-prefLabel"),
    (document_kind_unknown, DOC, "StrategyDocument-documentKind"),
    (document_without_title, DOC, "StrategyDocument-title"),
    (document_year_as_string, DOC, "StrategyDocument-year"),
    (document_publisher_untyped, DOC, "StrategyDocument-publisher"),
    (document_municipality_untyped, DOC, "StrategyDocument-municipality"),
]


def assert_fails_at(g: Graph, shapes: Graph, focus: URIRef, shape: str) -> None:
    conforms, report, text = validate(g, shapes)
    assert not conforms, "expected a violation"
    found = results(report)
    assert any(f == focus and s == SGSH[shape] for f, s, _ in found), text
    # Every result carries a message the builder can print.
    assert all(m is not None for _, _, m in found), text


@pytest.mark.parametrize(("mutate", "focus", "shape"), MINIMAL_BREAKS, ids=[m.__name__ for m, _, _ in MINIMAL_BREAKS])
def test_broken_minimal_graph_fails(shapes: Graph, mutate: Callable[[Graph], None], focus: URIRef, shape: str) -> None:
    g = minimal_graph()
    mutate(g)
    assert_fails_at(g, shapes, focus, shape)


def activity_without_goal(g: Graph) -> None:
    g.remove((ACTIVITY, SG.forGoal, None))


def activity_goal_wrong_class(g: Graph) -> None:
    g.set((ACTIVITY, SG.forGoal, FOCUS))


def activity_two_statuses(g: Graph) -> None:
    extra = ID["test-doc-2/focus-area/1/goal/1/activity/1/status-2"]
    add_node(g, extra, SG.StatusReport, DOC2, ACTIVITY, "Endnu en status.", 2, 180)
    g.add((ACTIVITY, SG.hasStatus, extra))


def overlap_one_node(g: Graph) -> None:
    g.remove((OVERLAP, SG.overlapNode, ACTIVITY))


def overlap_three_nodes(g: Graph) -> None:
    g.add((OVERLAP, SG.overlapNode, GOAL))


def overlap_same_document(g: Graph) -> None:
    g.remove((OVERLAP, SG.overlapNode, ACTIVITY))
    g.add((OVERLAP, SG.overlapNode, TRACK))


def overlap_score_above_one(g: Graph) -> None:
    g.set((OVERLAP, SG.score, Literal(1.5)))


def overlap_score_as_string(g: Graph) -> None:
    g.set((OVERLAP, SG.score, Literal("0.7")))


def overlap_without_method(g: Graph) -> None:
    g.remove((OVERLAP, SG.method, None))


def assignment_confidence_negative(g: Graph) -> None:
    g.set((ASSIGNMENT, SG.confidence, Literal(-0.1)))


def assignment_topic_not_a_concept(g: Graph) -> None:
    g.set((ASSIGNMENT, SG.topic, TOPIC["no-such-topic"]))


def assignment_without_node(g: Graph) -> None:
    g.remove((ASSIGNMENT, SG.assignedTo, None))


def focus_area_without_label(g: Graph) -> None:
    g.remove((FOCUS, SKOS.prefLabel, None))


RICH_BREAKS: list[tuple[Callable[[Graph], None], URIRef, str]] = [
    (activity_goal_wrong_class, ACTIVITY, "Activity-forGoal"),
    (activity_two_statuses, ACTIVITY, "Activity-hasStatus"),
    (overlap_one_node, OVERLAP, "Overlap-overlapNode"),
    (overlap_three_nodes, OVERLAP, "Overlap-overlapNode"),
    (overlap_same_document, OVERLAP, "OverlapShape"),
    (overlap_score_above_one, OVERLAP, "Overlap-score"),
    (overlap_score_as_string, OVERLAP, "Overlap-score"),
    (overlap_without_method, OVERLAP, "Overlap-method"),
    (assignment_confidence_negative, ASSIGNMENT, "TopicAssignment-confidence"),
    (assignment_topic_not_a_concept, ASSIGNMENT, "TopicAssignment-topic"),
    (assignment_without_node, ASSIGNMENT, "TopicAssignment-assignedTo"),
    (focus_area_without_label, FOCUS, "HeadedElement-prefLabel"),
]


@pytest.mark.parametrize(("mutate", "focus", "shape"), RICH_BREAKS, ids=[m.__name__ for m, _, _ in RICH_BREAKS])
def test_broken_rich_graph_fails(shapes: Graph, topics: Graph, mutate: Callable[[Graph], None], focus: URIRef,
                                 shape: str) -> None:
    g = rich_graph(topics)
    mutate(g)
    assert_fails_at(g, shapes, focus, shape)


def test_report_text_names_focus_node_and_message(shapes: Graph) -> None:
    """What the builder prints: focus node, source shape and message are all in the report."""
    g = minimal_graph()
    order_zero(g)
    _, report, text = validate(g, shapes)
    (focus, shape, message), = results(report)
    assert focus == STATEMENT and shape == SGSH["DocumentElement-order"]
    assert "sg:order" in str(message)
    assert str(STATEMENT) in text


# --------------------------------------------------------------------------------------------------
# pyrudof (the builder's engine) against pySHACL (the reference), case by case
# --------------------------------------------------------------------------------------------------


def _no_change(g: Graph) -> None:
    """The graph as built."""


ENGINE_CASES: list[tuple[str, Callable[[Graph], None]]] = [
    *[("minimal", m) for m in [_no_change, *CONFORMING_VARIANTS, *(b for b, _, _ in MINIMAL_BREAKS)]],
    *[("rich", m) for m in [_no_change, *(b for b, _, _ in RICH_BREAKS)]],
]


@pytest.mark.parametrize(("base", "mutate"), ENGINE_CASES, ids=[f"{b}-{m.__name__}" for b, m in ENGINE_CASES])
def test_pyrudof_reports_what_pyshacl_reports(shapes: Graph, topics: Graph, base: str,
                                             mutate: Callable[[Graph], None]) -> None:
    g = minimal_graph() if base == "minimal" else rich_graph(topics)
    mutate(g)
    assert pyrudof_report(g, shapes) == pyshacl_report(g, shapes)

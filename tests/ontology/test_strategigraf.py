"""The OWL ontology (ontology/strategigraf.ttl): every term the graph builder uses is declared, labelled
and commented in Danish and English, and sits in the class/property hierarchy the design calls for."""

from __future__ import annotations

import pytest
import rdflib.namespace as rns  # XSD via the module: a global XSD makes pytest warn while collecting
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from ontology import OA, ONTOLOGY_FILE, ORG, SG, SG_NS, resource_path

ONTOLOGY_IRI = URIRef("https://w3id.org/strategigraf/ontology")

NODE_CLASSES = [
    "Vision", "Track", "Bearing", "FocusArea", "Principle", "Statement", "Goal", "Activity",
    "StatusReport", "Motto", "Passage", "Section", "RelatedDocument",
]
CLASSES = [
    "StrategyDocument", "DocumentElement", *NODE_CLASSES, "Municipality", "Committee", "Overlap",
    "TopicAssignment", "Build",
]
OBJECT_PROPERTIES = [
    "inDocument", "sourceSpan", "sourceSegment", "municipality", "forGoal", "hasStatus", "followsUp",
    "carriesForward", "carriesOver", "overlapNode", "sharedTopic", "assignedTo", "topic",
]
DATATYPE_PROPERTIES = [
    "text", "order", "number", "subtitle", "issuer", "year", "period", "documentKind", "sourceFormat", "page", "theme",
    "sourceFile", "startLine", "endLine", "sha256", "municipalityCode", "score", "confidence", "method",
    "sharedTerm", "level", "embeddingModel",
]
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(resource_path(ONTOLOGY_FILE), format="turtle")


def declared_terms(g: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert {getattr(lit, "language", None) for lit in onto.objects(ONTOLOGY_IRI, RDFS.label)} >= {"da", "en"}


def test_declares_a_sensible_number_of_terms(onto: Graph) -> None:
    terms = declared_terms(onto)
    assert len(terms) >= len(CLASSES) + len(OBJECT_PROPERTIES) + len(DATATYPE_PROPERTIES)
    # Only the project's own terms are declared; reused vocabularies are referenced, not redefined.
    assert all(str(t).startswith(SG_NS) for t in terms), sorted(t for t in terms if not str(t).startswith(SG_NS))


@pytest.mark.parametrize("prop", [RDFS.label, RDFS.comment], ids=["label", "comment"])
def test_every_term_has_danish_and_english_label_and_comment(onto: Graph, prop: URIRef) -> None:
    missing = []
    for term in sorted(declared_terms(onto)):
        values = list(onto.objects(term, prop))
        by_lang: dict[str | None, list[Literal]] = {}
        for v in values:
            assert isinstance(v, Literal), (term, prop, v)
            by_lang.setdefault(v.language, []).append(v)
        for lang in ("da", "en"):
            texts = by_lang.get(lang, [])
            if len(texts) != 1 or not str(texts[0]).strip():
                missing.append((str(term), lang, len(texts)))
        assert set(by_lang) <= {"da", "en"}, (term, set(by_lang))
    assert not missing, missing


@pytest.mark.parametrize("name", CLASSES)
def test_class_declared(onto: Graph, name: str) -> None:
    assert (SG[name], RDF.type, OWL.Class) in onto


@pytest.mark.parametrize("name", OBJECT_PROPERTIES)
def test_object_property_declared(onto: Graph, name: str) -> None:
    assert (SG[name], RDF.type, OWL.ObjectProperty) in onto


@pytest.mark.parametrize("name", DATATYPE_PROPERTIES)
def test_datatype_property_declared(onto: Graph, name: str) -> None:
    assert (SG[name], RDF.type, OWL.DatatypeProperty) in onto


def test_no_undeclared_sg_terms_are_used(onto: Graph) -> None:
    """A typo like sg:inDokument anywhere in the file would show up here."""
    declared = declared_terms(onto)
    used = {
        term for triple in onto for term in triple
        if isinstance(term, URIRef) and str(term).startswith(SG_NS)
    }
    assert used <= declared, sorted(used - declared)


@pytest.mark.parametrize("name", NODE_CLASSES)
def test_node_classes_are_document_elements(onto: Graph, name: str) -> None:
    assert (SG[name], RDFS.subClassOf, SG.DocumentElement) in onto


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (SG.StrategyDocument, PROV.Entity),
        (SG.DocumentElement, PROV.Entity),
        (SG.Municipality, ORG.FormalOrganization),
        (SG.Committee, ORG.OrganizationalUnit),
    ],
)
def test_class_hierarchy(onto: Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in onto


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (SG.followsUp, DCTERMS.references),
        (SG.carriesForward, PROV.wasDerivedFrom),
        (SG.carriesOver, PROV.wasRevisionOf),
    ],
)
def test_property_hierarchy(onto: Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subPropertyOf, sup) in onto


@pytest.mark.parametrize(
    ("prop", "domain", "range_"),
    [
        (SG.inDocument, SG.DocumentElement, SG.StrategyDocument),
        (SG.sourceSpan, SG.DocumentElement, OA.TextPositionSelector),
        (SG.sourceSegment, SG.DocumentElement, OA.TextPositionSelector),
        (SG.municipality, SG.StrategyDocument, SG.Municipality),
        (SG.forGoal, SG.Activity, SG.Goal),
        (SG.hasStatus, SG.Activity, SG.StatusReport),
        (SG.carriesForward, SG.StrategyDocument, SG.StrategyDocument),
        (SG.carriesOver, SG.DocumentElement, SG.DocumentElement),
        (SG.overlapNode, SG.Overlap, SG.DocumentElement),
        (SG.sharedTopic, SG.Overlap, SKOS.Concept),
        (SG.assignedTo, SG.TopicAssignment, SG.DocumentElement),
        (SG.topic, SG.TopicAssignment, SKOS.Concept),
        (SG.text, SG.DocumentElement, RDF.langString),
        (SG.order, SG.DocumentElement, rns.XSD.integer),
        (SG.number, SG.DocumentElement, rns.XSD.string),
        (SG.subtitle, SG.DocumentElement, RDF.langString),
        (SG.issuer, SG.RelatedDocument, rns.XSD.string),
        (SG.period, SG.StrategyDocument, rns.XSD.string),
        (SG.documentKind, SG.StrategyDocument, rns.XSD.string),
        (SG.theme, SG.StrategyDocument, RDF.langString),
        (SG.sourceFile, OA.TextPositionSelector, rns.XSD.string),
        (SG.startLine, OA.TextPositionSelector, rns.XSD.positiveInteger),
        (SG.endLine, OA.TextPositionSelector, rns.XSD.positiveInteger),
        (SG.municipalityCode, SG.Municipality, rns.XSD.string),
        (SG.score, SG.Overlap, rns.XSD.double),
        (SG.confidence, SG.TopicAssignment, rns.XSD.double),
    ],
)
def test_domain_and_range(onto: Graph, prop: URIRef, domain: URIRef, range_: URIRef) -> None:
    assert set(onto.objects(prop, RDFS.domain)) == {domain}
    assert set(onto.objects(prop, RDFS.range)) == {range_}


@pytest.mark.parametrize("name", ["year", "sha256", "method", "level", "embeddingModel"])
def test_shared_datatype_properties_have_a_range(onto: Graph, name: str) -> None:
    assert (SG[name], RDFS.range, None) in onto


def test_followsup_spans_documents_and_focus_areas(onto: Graph) -> None:
    # Used StrategyDocument -> StrategyDocument and FocusArea -> FocusArea: the domain must cover both.
    assert set(onto.objects(SG.followsUp, RDFS.domain)) == {PROV.Entity}
    assert set(onto.objects(SG.followsUp, RDFS.range)) == {PROV.Entity}


def test_parser_node_kinds_are_ontology_classes(onto: Graph) -> None:
    import ingest.model as model
    for kind in model.NodeKind:
        assert (SG[kind.value], RDFS.subClassOf, SG.DocumentElement) in onto, kind

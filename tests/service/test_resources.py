"""service/resources.py: every IRI the graph mints described for people: its kind, a readable name, where its
page is, and what the graph says about it and what points to it (the routes that serve these: tests/service/
routes/test_graph_api.py and test_graph_api_dereference.py). IRIs are taken from the bundled build, never written out."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from ontology import ID_NS, ONTOLOGY_FILE, SG, SG_NS, TOPIC_NS, resource_path
from service.generation import Generation
from service.resources import (
    KIND_NAMES,
    MAX_INCOMING,
    ONTOLOGY_IRI,
    describe_resource,
    href_of,
    kind_of,
    label_of,
    ontology_rdf,
    ontology_view,
    term_label,
)


def _first(generation: Generation, cls: str) -> str:
    rows = list(generation.store.query(f"SELECT ?s WHERE {{ ?s a <{SG_NS}{cls}> }} ORDER BY ?s LIMIT 1"))
    assert rows, f"the bundled graph has no sg:{cls}"
    return str(rows[0]["s"].value)


@pytest.mark.parametrize(("cls", "kind"), [("StrategyDocument", "document"), ("Principle", "node"),
                                           ("Municipality", "municipality"), ("Committee", "committee"),
                                           ("Overlap", "overlap"), ("TopicAssignment", "topic-assignment")])
def test_each_kind_of_minted_iri_is_known(generation: Generation, cls: str, kind: str) -> None:
    iri = _first(generation, cls)
    assert kind_of(iri, generation) == kind
    assert KIND_NAMES[kind] != KIND_NAMES["unknown"]


def test_topics_the_ontology_and_strangers(generation: Generation) -> None:
    assert kind_of(TOPIC_NS + "scheme", generation) == "topic-scheme"
    assert kind_of(TOPIC_NS + "frivillighed", generation) == "topic"
    assert kind_of(ONTOLOGY_IRI, generation) == kind_of(SG_NS, generation) == "ontology"
    assert kind_of(SG_NS + "Track", generation) == "ontology-term"
    assert kind_of(ID_NS + "findes-ikke", generation) == "unknown"
    assert kind_of("https://example.org/x", generation) == "unknown"


def test_each_resource_links_to_its_page_on_this_site(generation: Generation) -> None:
    doc = next(iter(generation.documents))
    assert href_of(ID_NS + doc, generation) == f"/dokument/{doc}"
    principle = _first(generation, "Principle")
    assert href_of(principle, generation).startswith("/node?id=")
    assert href_of(TOPIC_NS + "frivillighed", generation) == "/emner/frivillighed"
    assert href_of(SG_NS + "Track", generation) == "/ontology#Track"
    municipality = _first(generation, "Municipality")
    assert href_of(municipality, generation) == "/id/" + municipality[len(ID_NS):]


def test_names_come_from_the_graph_and_the_ontology_in_danish(generation: Generation) -> None:
    onto = Graph().parse(resource_path(ONTOLOGY_FILE))
    danish = {str(o) for o in onto.objects(SG.Principle, None) if getattr(o, "language", None) == "da"}
    assert term_label(SG_NS + "Principle") in danish
    doc = next(iter(generation.documents.values()))
    assert label_of(doc.iri, generation) == doc.title
    node = next(n for n in generation.nodes if n.label)
    assert label_of(node.id, generation) == node.label or label_of(node.id, generation).endswith(" …")


def test_a_principle_is_described_with_its_statements_and_what_points_to_it(generation: Generation) -> None:
    iri = _first(generation, "Principle")
    view = describe_resource(generation, iri)
    assert view is not None and view.kind == "node"
    assert any(t.iri == SG_NS + "Principle" for t in view.types)
    assert view.outgoing and view.incoming
    for statement in view.incoming:
        assert len(statement.values) <= MAX_INCOMING and statement.total >= len(statement.values)


def test_an_overlap_is_named_after_its_two_nodes(generation: Generation) -> None:
    view = describe_resource(generation, _first(generation, "Overlap"))
    assert view is not None and view.label.startswith("»") and "« og »" in view.label


@pytest.mark.parametrize("iri", [ID_NS + "findes-ikke", ID_NS + "a b", ID_NS + "a\\b"])
def test_nothing_is_described_for_an_iri_the_graph_does_not_hold(generation: Generation, iri: str) -> None:
    assert describe_resource(generation, iri) is None


def test_the_ontology_view_lists_every_class_and_its_rdf_forms_parse() -> None:
    onto = Graph().parse(resource_path(ONTOLOGY_FILE))
    view = ontology_view()
    classes = dict(view.groups)["Klasser"]
    declared = {str(s)[len(SG_NS):] for s in onto.subjects(RDF.type, OWL.Class) if str(s).startswith(SG_NS)}
    assert {t.name for t in classes} == declared
    assert ontology_rdf("text/turtle") == resource_path(ONTOLOGY_FILE).read_bytes()
    assert len(Graph().parse(data=ontology_rdf("application/n-triples"), format="nt")) == len(onto)


def test_literals_read_as_danish_numbers_and_words() -> None:
    import pyoxigraph

    from ontology import SG_NS, XSD
    from service.resources import literal_text

    score = pyoxigraph.Literal("0.9003", datatype=pyoxigraph.NamedNode(str(XSD.decimal)))
    assert literal_text(SG_NS + "score", score) == "0,9003"
    assert literal_text(SG_NS + "level", pyoxigraph.Literal("strong")) == "stærk"
    assert literal_text(SG_NS + "level", pyoxigraph.Literal("related")) == "beslægtet"
    assert literal_text(SG_NS + "text", pyoxigraph.Literal("Vi skaber 2.0")) == "Vi skaber 2.0"

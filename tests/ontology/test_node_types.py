"""ontology/node_types.py: node types and their groupings as the ontology declares them, read once."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS

from ontology import ONTOLOGY_FILE, SG, resource_path
from ontology import node_types as nt


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(resource_path(ONTOLOGY_FILE), format="turtle")


def _subclasses(onto: Graph, grouping: str) -> set[str]:
    """Local names of the classes below ``grouping``, as rdflib's own closure finds them."""
    return {str(c).removeprefix(str(SG)) for c in onto.transitive_subjects(RDFS.subClassOf, SG[grouping])} - {grouping}


def test_node_types_are_the_document_element_classes_in_ontology_order(onto: Graph) -> None:
    classes = {str(c).removeprefix(str(SG)) for c in onto.subjects(RDFS.subClassOf, SG.DocumentElement)}
    assert set(nt.NODE_TYPES) == classes == {k.value for k in nt.NodeKind}
    assert nt.NODE_TYPES[:3] == ("Vision", "Track", "Bearing")
    assert len(nt.NODE_TYPES) == len(set(nt.NODE_TYPES))


@pytest.mark.parametrize(("name", "grouping"), [
    ("CONTAINERS", "Container"), ("HEADED_ELEMENTS", "HeadedElement"), ("THEMATIC", "ThematicElement"),
    ("TEXT_UNITS", "TextUnit"), ("COMMITMENTS", "Commitment"), ("REFERENCES", "Reference"),
])
def test_each_grouping_is_what_the_ontology_says(onto: Graph, name: str, grouping: str) -> None:
    declared = _subclasses(onto, grouping) - {"HeadedElement", "ThematicElement", "Commitment"}
    assert getattr(nt, name) == declared
    assert nt.members(grouping) == declared


def test_groupings_nest_as_the_code_relies_on() -> None:
    assert nt.THEMATIC < nt.HEADED_ELEMENTS < nt.CONTAINERS
    assert {"Section"} == nt.HEADED_ELEMENTS - nt.THEMATIC  # a foreword or introduction sets no theme
    assert nt.COMMITMENTS < nt.TEXT_UNITS
    assert nt.DOCUMENT in nt.CONTAINERS and nt.DOCUMENT not in nt.NODE_TYPES
    assert (nt.CONTAINERS - {nt.DOCUMENT}) | {nt.DOCUMENT_FILTER} == nt.ROLLUP_TARGETS
    assert nt.THEMATIC | {"Statement", "Activity"} == nt.TOPIC_COVER
    assert not nt.REFERENCES & (nt.CONTAINERS | nt.TEXT_UNITS)
    # an activity holds its status reports and is compared one by one with other documents' text
    assert "Activity" in nt.CONTAINERS & nt.TEXT_UNITS


def test_filter_types_list_every_type_once_roll_up_targets_first() -> None:
    assert sorted(nt.FILTER_TYPES) == sorted({*nt.NODE_TYPES, nt.DOCUMENT_FILTER})
    n = len(nt.ROLLUP_TARGETS)
    assert set(nt.FILTER_TYPES[:n]) == nt.ROLLUP_TARGETS


def test_danish_names_come_from_the_labels(onto: Graph) -> None:
    for t in (*nt.NODE_TYPES, nt.DOCUMENT):
        label = next(str(v) for v in onto.objects(SG[t], RDFS.label) if getattr(v, "language", None) == "da")
        assert nt.NAMES[t].label == label
        assert nt.danish_name(t) == (nt.NAMES[t].short if (SG[t], SG.shortLabel, None) in onto else label)
    assert nt.danish_name("Bearing") == "pejlemærke" and nt.danish_plural("Bearing") == "pejlemærker"
    assert nt.danish_name("Track") == "spor" and nt.NAMES["Track"].label == "strategispor"
    assert nt.danish_name(nt.DOCUMENT_FILTER) == nt.danish_name(nt.DOCUMENT) == "dokument"
    assert nt.NAMES["FocusArea"].label_en == "focus area"


def test_an_unknown_type_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="'Chapter'"):
        nt.danish_name("Chapter")
    with pytest.raises(nt.OntologyError, match="sg:Nothing"):
        nt.members("Nothing")

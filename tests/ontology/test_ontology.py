"""ontology/__init__.py: the namespaces every package uses and the Turtle files shipped inside the package (their
content is tested per file: test_strategigraf.py, test_shapes.py, test_topics.py)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from ontology import (
    ID,
    ID_NS,
    ONTOLOGY_FILE,
    PREFIXES,
    SG,
    SG_NS,
    SHAPES_FILE,
    TOPIC,
    TOPIC_NS,
    TOPICS_FILE,
    resource_path,
)


@pytest.mark.parametrize("name", [ONTOLOGY_FILE, SHAPES_FILE, TOPICS_FILE])
def test_each_shipped_file_is_found_inside_the_package_and_parses(name: str) -> None:
    path = resource_path(name)
    assert path.is_file() and path.parent.name == "ontology"
    assert len(Graph().parse(path, format="turtle")) > 50


def test_the_namespaces_are_the_w3id_ones_the_iris_are_minted_under() -> None:
    assert str(SG) == SG_NS == "https://w3id.org/strategigraf/ontology#"
    assert str(ID) == ID_NS == "https://w3id.org/strategigraf/id/"
    assert str(TOPIC) == TOPIC_NS == "https://w3id.org/strategigraf/topic/"
    assert str(SG.Track) == SG_NS + "Track"


def test_the_prefixes_the_files_declare_are_the_ones_the_code_binds() -> None:
    """A prefix written in the Turtle files means what PREFIXES says it means (the SPARQL endpoint and the
    serialisers bind PREFIXES)."""
    bound = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    assert len(set(bound.values())) == len(bound)  # no two prefixes for one namespace
    for name in (ONTOLOGY_FILE, SHAPES_FILE, TOPICS_FILE):
        declared = dict(Graph().parse(resource_path(name), format="turtle").namespaces())
        for prefix, ns in declared.items():
            if prefix in bound:
                assert str(ns) == bound[prefix], (name, prefix)

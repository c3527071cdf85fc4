"""SHACL validation runs in the build and refuses a broken graph, naming the node and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from ingest.errors import ValidationError
from ingest.validate import find_violations, validate_graph
from ontology import ID, SG


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

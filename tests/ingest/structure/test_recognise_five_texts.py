"""The five bundled texts through the text reader and the one recogniser reproduce the old parsers' trees.

The golden structure (tests/data/golden-structure.json) is what the five document-fitted layout parsers made:
every node's kind, key, label, text, segments, attributes, links, parent and order. Each document is expected
to match it exactly; `tests/ingest/structure/golden_compare.py -v` prints the differences when one does not.
"""

from __future__ import annotations

import pytest

from ingest.model import NodeKind
from ingest.read.text import read_text_document
from ingest.structure.recognise import recognise
from tests.ingest.structure.golden_compare import CORPORA, compare, document_files, read_source_text

DOCUMENTS = ["slagelse-2024-2030", "faxe-strategi", "slagelse-2019", "slagelse-2014", "slagelse-2015-opfoelgning"]


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_recognised_tree_equals_the_golden_structure(doc_id: str) -> None:
    result = compare(doc_id)
    assert result.missing == [] and result.extra == [] and result.kind_or_label == [], result.summary()
    assert result.text == [] and result.segments == [], result.summary()
    assert result.parent == [] and result.order == [], result.summary()
    assert result.attrs == [] and result.links == [], result.summary()
    assert result.themes_equal


@pytest.mark.parametrize(("doc", "kind", "n"), [
    ("slagelse-2024-2030", NodeKind.VISION, 1), ("slagelse-2024-2030", NodeKind.TRACK, 8),
    ("slagelse-2024-2030", NodeKind.STATEMENT, 20),
    ("faxe-strategi", NodeKind.BEARING, 4), ("faxe-strategi", NodeKind.PRINCIPLE, 13),
    ("faxe-strategi", NodeKind.STATEMENT, 77), ("faxe-strategi", NodeKind.MOTTO, 4),
    ("faxe-strategi", NodeKind.RELATED_DOCUMENT, 5),
    ("slagelse-2014", NodeKind.VISION, 3), ("slagelse-2014", NodeKind.FOCUS_AREA, 3),
    ("slagelse-2015-opfoelgning", NodeKind.FOCUS_AREA, 4), ("slagelse-2015-opfoelgning", NodeKind.GOAL, 7),
    ("slagelse-2015-opfoelgning", NodeKind.ACTIVITY, 11), ("slagelse-2015-opfoelgning", NodeKind.STATUS_REPORT, 11),
    ("slagelse-2019", NodeKind.VISION, 1), ("slagelse-2019", NodeKind.BEARING, 5),
    ("slagelse-2019", NodeKind.STATEMENT, 24),
])
def test_class_counts_of_the_build_test(doc: str, kind: NodeKind, n: int) -> None:
    """The counts tests/ingest/test_build.py asserts on the graph, here straight from the recogniser."""
    file = document_files()[doc]
    parsed = recognise(read_text_document(read_source_text(CORPORA / file)), file=file)
    assert sum(1 for node in parsed.all_nodes() if node.kind is kind) == n


def test_themes_of_the_2019_text() -> None:
    file = document_files()["slagelse-2019"]
    parsed = recognise(read_text_document(read_source_text(CORPORA / file)), file=file)
    assert set(parsed.themes) == {"frivillighed", "netværksinddragelse", "boliger til udsatte og sårbare borgere"}

"""ingest/model.py: the provenance rule (a node's text is what its segments cover, whitespace normalised, words
hyphenated across a line end joined) and the document tree."""

from __future__ import annotations

import pytest

from ingest.model import (
    Node,
    NodeKind,
    ParsedDocument,
    line_of_offset,
    make_node,
    normalize_ws,
    segment_text,
)


def test_whitespace_runs_become_one_space_and_the_ends_are_stripped() -> None:
    assert normalize_ws("  Vi  vil\n\tstyrke\u00a0fællesskaber \n") == "Vi vil styrke fællesskaber"
    assert normalize_ws("\n \t") == ""


def test_segments_are_joined_with_a_space() -> None:
    source = "Spor 5: Netværk | side 4 | og fællesskaber"
    assert segment_text(source, [(0, 15), (27, 42)]) == "Spor 5: Netværk og fællesskaber"


def test_a_word_hyphenated_across_a_line_end_is_joined() -> None:
    source = "en tæt opfølg-\n   ning af målene"
    assert segment_text(source, [(0, 13), (18, 32)]) == "en tæt opfølgning af målene"


def test_a_hyphen_without_a_line_break_between_segments_stays_a_gap() -> None:
    source = "by- og landdistrikter"
    assert segment_text(source, [(0, 2), (4, 21)]) == "by og landdistrikter"


def test_make_node_trims_each_segment_to_its_first_and_last_character() -> None:
    source = "  Spor 5  \n\n   Netværk  "
    node = make_node(NodeKind.TRACK, "track/5", source, [(0, 10), (10, 12), (12, 24)], label="Spor 5", number="5")
    assert node.segments == [(2, 8), (15, 22)]  # the blank segment dropped
    assert node.text == "Spor 5 Netværk" == segment_text(source, node.segments)
    assert (node.start, node.end) == (2, 22)
    assert node.attrs == {"number": "5"} and node.label == "Spor 5"


def test_make_node_refuses_a_node_without_text() -> None:
    with pytest.raises(ValueError, match="track/9"):
        make_node(NodeKind.TRACK, "track/9", "   \n ", [(0, 5)])


def test_walk_and_all_nodes_are_depth_first_in_document_order() -> None:
    source = "Spor 1 Vi vil A Spor 2"

    def node(kind: NodeKind, key: str, s: int, e: int, *children: Node) -> Node:
        made = make_node(kind, key, source, [(s, e)])
        made.children.extend(children)
        return made

    first = node(NodeKind.TRACK, "track/1", 0, 6, node(NodeKind.STATEMENT, "track/1/statement/1", 7, 15))
    second = node(NodeKind.TRACK, "track/2", 16, 22)
    doc = ParsedDocument(nodes=[first, second])
    assert [n.key for n in doc.all_nodes()] == ["track/1", "track/1/statement/1", "track/2"]
    assert [n.key for n in first.walk()] == ["track/1", "track/1/statement/1"]


def test_line_numbers_are_one_based() -> None:
    text = "a\nb\nc"
    assert [line_of_offset(text, i) for i in (0, 1, 2, 4)] == [1, 1, 2, 3]

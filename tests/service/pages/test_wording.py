"""service/pages/wording.py: the pages' Danish words (type names from the ontology, counts in the right number)
and the template filters (highlights escaped, links, Danish numbers, query strings with only the fields in use)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from ontology.node_types import FILTER_TYPES, NODE_TYPES
from service.pages.wording import (
    FILTERS,
    SEARCH_TYPES,
    TYPE_LABELS,
    anchor,
    capfirst,
    document_url,
    heat,
    highlight,
    node_url,
    number,
    percent,
    plural,
    query_string,
    shorten,
    type_count,
    type_label,
    type_plural,
)


def test_every_node_type_has_a_danish_label_from_the_ontology() -> None:
    assert set(NODE_TYPES) <= set(TYPE_LABELS)
    assert type_label("Principle") == "Princip" and type_label("Track") == "Spor"
    assert type_label("Unknown") == "Unknown" and type_label(None) == ""
    assert list(FILTER_TYPES) == SEARCH_TYPES


@pytest.mark.parametrize(("count", "expected"), [(0, "0 principper"), (1, "1 princip"), (2, "2 principper"),
                                                 (1234, "1.234 principper"), (None, "0 principper")])
def test_counts_take_the_noun_in_the_right_number(count: int | None, expected: str) -> None:
    assert plural(count, "princip", "principper") == expected
    assert type_count(count, "Principle") == expected


def test_a_plural_comes_from_the_ontology_and_an_unknown_type_falls_back_to_its_label() -> None:
    assert type_plural("Bearing") == "pejlemærker"
    assert type_plural("Unknown") == "unknown"


def test_highlights_mark_the_spans_and_escape_everything_else() -> None:
    text = "<b>Netværk</b> & fællesskab"
    marked = str(highlight(text, [(3, 10), (17, 27), (5, 8), (40, 50)]))  # overlapping and out-of-range spans
    assert marked == "&lt;b&gt;<mark>Netværk</mark>&lt;/b&gt; &amp; <mark>fællesskab</mark>"
    assert str(highlight(None, None)) == ""


def test_long_text_is_shortened_at_a_word_boundary() -> None:
    text = "Vi vil styrke  borgerens\nnetværk og fællesskaber i hele kommunen"
    assert shorten(text, 200) == " ".join(text.split())
    assert shorten(text, 30) == "Vi vil styrke borgerens …"
    assert capfirst("netværk") == "Netværk" and capfirst(None) == ""


def test_links_to_nodes_and_documents() -> None:
    iri = "https://w3id.org/strategigraf/id/faxe-strategi/bearing/1"
    assert node_url(iri) == "/node?id=https%3A%2F%2Fw3id.org%2Fstrategigraf%2Fid%2Ffaxe-strategi%2Fbearing%2F1"
    assert node_url(iri, "faxe-strategi", "StrategyDocument") == "/dokument/faxe-strategi"
    assert document_url("a b/c") == "/dokument/a%20b%2Fc"
    assert anchor(iri) == "k-faxe-strategi-bearing-1"


def test_numbers_the_danish_way() -> None:
    assert number(0.756) == "0,76" and number(3.14159, 1) == "3,1" and number(None) == "–"
    assert percent(0.756) == "76 %" and percent(None) == "–"


@pytest.mark.parametrize(("value", "css"), [(None, "h0"), (0.0, "h0"), (-0.2, "h0"), (0.01, "h1"), (0.55, "h6"),
                                            (1.0, "h10"), (1.7, "h10")])
def test_heat_map_cells_are_shaded_in_tenths(value: float | None, css: str) -> None:
    assert heat(value) == css


def test_query_strings_carry_only_the_fields_in_use() -> None:
    query = query_string(q="netværk", type=["Principle", "Track"], kommune="", fra=None)
    assert parse_qsl(query.removeprefix("?")) == [("q", "netværk"), ("type", "Principle"), ("type", "Track")]
    assert query_string(q="", kommune=None) == ""


def test_the_template_filters_are_these_functions() -> None:
    assert FILTERS["highlight"] is highlight and FILTERS["type_count"] is type_count
    assert all(callable(f) for f in FILTERS.values())

"""Content negotiation (RFC 9110 q-values) and language choice (RFC 4647 basic filtering)."""

from __future__ import annotations

import pytest

from service.conneg import negotiate, parse_accept, preferred_language

TURTLE, JSON_LD, HTML = "text/turtle", "application/ld+json", "text/html"


@pytest.mark.parametrize("header", [None, "", "   "])
def test_no_accept_header_accepts_anything(header: str | None) -> None:
    assert parse_accept(header) == [("*/*", 1.0)]
    assert negotiate(header, [TURTLE, JSON_LD]) == TURTLE  # the first offer


def test_ranges_are_ordered_by_q_then_specificity_then_position() -> None:
    ranges = parse_accept("*/*;q=0.1, text/*;q=0.8, application/json;q=0.8, text/html, Text/Turtle")
    assert ranges == [("text/html", 1.0), ("text/turtle", 1.0), ("application/json", 0.8), ("text/*", 0.8),
                      ("*/*", 0.1)]


@pytest.mark.parametrize(("param", "q"), [("q=2", 1.0), ("q=-1", 0.0), ("q=abc", 0.0), ("Q=0.5", 0.5),
                                          ("level=1", 1.0)])
def test_q_values_are_clamped_and_bad_ones_refuse(param: str, q: float) -> None:
    assert parse_accept(f"text/html;{param}") == [("text/html", q)]


def test_empty_ranges_are_skipped() -> None:
    assert parse_accept("text/html,, ;q=1") == [("text/html", 1.0)]


def test_the_offer_with_the_higher_q_wins() -> None:
    assert negotiate("text/turtle;q=0.5, application/ld+json", [TURTLE, JSON_LD]) == JSON_LD


def test_a_specific_range_overrides_a_wildcard_for_its_type() -> None:
    assert negotiate("text/*;q=0.9, text/html;q=0", [HTML, TURTLE]) == TURTLE
    assert negotiate("*/*;q=0.1, text/html", [TURTLE, HTML]) == HTML


def test_nothing_acceptable_is_none() -> None:
    assert negotiate("image/png", [TURTLE, JSON_LD]) is None
    assert negotiate("text/turtle;q=0", [TURTLE]) is None


def test_offers_order_breaks_ties() -> None:
    assert negotiate("text/turtle, application/ld+json", [JSON_LD, TURTLE]) == JSON_LD


@pytest.mark.parametrize(("header", "expected"), [
    ("da-DK,da;q=0.9,en;q=0.8", "da"),   # a Danish browser
    ("en-GB,en;q=0.9", "en"),
    ("en;q=0.5, da", "da"),
    ("*", "da"),                          # anything: the first offer
    ("fr-FR, de", None),
    (None, None),
    ("", None),
])
def test_preferred_language(header: str | None, expected: str | None) -> None:
    assert preferred_language(header, ["da", "en"]) == expected


def test_a_more_specific_language_tag_decides() -> None:
    assert preferred_language("da;q=0.2, da-DK;q=0.9, en;q=0.5", ["en", "da"]) == "da"

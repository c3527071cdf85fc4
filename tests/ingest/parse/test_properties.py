"""Arbitrary text never crashes a parser: it parses (with exact provenance) or raises ParseError."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import ParseError
from ingest.model import normalize_ws
from ingest.parse import LAYOUTS, parse_document
from tests.strategies import danish_text, layoutish_text


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@settings(max_examples=int(os.environ.get("STRATEGIGRAF_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(danish_text, layoutish_text))
def test_parser_parses_or_raises_its_own_error(layout: str, text: str) -> None:
    try:
        doc = parse_document(layout, text, "fuzz.txt")
    except ParseError as exc:
        assert "fuzz.txt" in str(exc)
        return
    for node in doc.all_nodes():
        assert node.text
        assert all(0 <= s < e <= len(text) for s, e in node.segments)
        assert normalize_ws(" ".join(text[s:e] for s, e in node.segments)) == node.text

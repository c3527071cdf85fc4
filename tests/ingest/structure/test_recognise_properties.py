"""Arbitrary text never breaks the one reader: any text is read into blocks and recognised into a tree whose
every node keeps exact provenance in the text (``make fuzz`` runs more examples)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.document import stated_date
from ingest.model import segment_text
from ingest.read.text import read_text_document
from ingest.structure.recognise import recognise
from tests.strategies import danish_text, layoutish_text


@settings(max_examples=int(os.environ.get("STRATEGIGRAF_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(danish_text, layoutish_text))
@example(text="# Handicappolitik\rVi vil styrke fællesskaber.\r- Flere boliger\r")  # old Mac line ends (CR only)
def test_any_text_is_recognised_with_exact_provenance(text: str) -> None:
    read = read_text_document(text)
    for block in read.blocks:
        assert all(0 <= s < e <= len(read.text) for s, e in block.segments)
        assert segment_text(read.text, block.segments) == block.text
    doc = recognise(read, file="fuzz.txt")
    keys = [node.key for node in doc.all_nodes()]
    assert len(keys) == len(set(keys))
    for node in doc.all_nodes():
        assert node.text
        assert all(0 <= s < e <= len(read.text) for s, e in node.segments)
        assert segment_text(read.text, node.segments) == node.text
    date = stated_date(read, doc)
    assert date is None or date[:4].isdigit()

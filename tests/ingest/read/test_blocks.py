"""ingest/read/blocks.py: the block model every reader produces, a block's text read from its spans (so text and
provenance agree), and the text builder of the binary formats."""

from __future__ import annotations

from ingest.model import segment_text
from ingest.read.blocks import Block, BlockKind, ReadDocument, TextBuilder, block_from_spans


def test_a_block_is_read_from_its_spans_trimmed() -> None:
    text = "  Pejlemærke 2:  \n  Sammen om  \nfællesskaber "
    block = block_from_spans(BlockKind.HEADING, text, [(0, 17), (17, 32), (32, 45)], level=2, number="2")
    assert block is not None
    assert block.text == "Pejlemærke 2: Sammen om fællesskaber"
    assert block.segments == [(2, 15), (20, 29), (32, 44)]
    assert segment_text(text, block.segments) == block.text
    assert (block.kind, block.level, block.number) == (BlockKind.HEADING, 2, "2")
    assert (block.start, block.end) == (2, 44)


def test_spans_holding_only_whitespace_make_no_block() -> None:
    assert block_from_spans(BlockKind.PARAGRAPH, "a  \n\t b", [(1, 4), (4, 6)]) is None
    assert block_from_spans(BlockKind.PARAGRAPH, "abc", []) is None


def test_a_page_break_has_no_span_and_is_no_content() -> None:
    brk = Block(kind=BlockKind.PAGE_BREAK, text="", segments=[], page=2)
    para = Block(kind=BlockKind.PARAGRAPH, text="Vi vil", segments=[(0, 6)], page=1)
    doc = ReadDocument(text="Vi vil", blocks=[para, brk], format="pdf", pages=2)
    assert (brk.start, brk.end) == (0, 0)
    assert doc.content_blocks() == [para]


def test_the_text_builder_hands_out_the_span_of_each_chunk() -> None:
    builder = TextBuilder()
    first = builder.append("Forord")
    second = builder.append("Vi vil styrke fællesskaber.")
    third = builder.append("side 2", sep="\f")
    text = builder.text
    assert text == "Forord\nVi vil styrke fællesskaber.\fside 2"
    assert [text[s:e] for s, e in (first, second, third)] == ["Forord", "Vi vil styrke fællesskaber.", "side 2"]


def test_the_first_chunk_gets_no_separator_and_an_empty_separator_joins_directly() -> None:
    builder = TextBuilder()
    assert builder.append("ab") == (0, 2)
    assert builder.append("cd", sep="") == (2, 4)
    assert builder.text == "abcd"

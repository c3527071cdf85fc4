"""ingest/document.py: one file → its text and document tree (read by format, recognised, dated by a dateline),
the step build, preview, add and upload share. The five bundled texts through it: test_recognise_bundled.py."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.document import load_document, page_starts, stated_date
from ingest.errors import ParseError, ReadError
from ingest.model import NodeKind, segment_text
from ingest.read.blocks import Block, BlockKind, ReadDocument
from ingest.read.text import read_text_document
from ingest.structure.recognise import recognise

STRATEGY = """# Handicappolitik for Testby Kommune

Januar 2015

## Spor 1: Bolig

Vi vil have flere i egen bolig.

- Vi bygger 20 nye boliger.
"""


def test_a_file_becomes_its_text_and_tree_with_the_hash_of_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "strategi.md"
    path.write_text(STRATEGY, encoding="utf-8")
    loaded = load_document(path)
    assert loaded.format == "markdown" and loaded.page_starts == ()
    assert loaded.source.text == STRATEGY and loaded.source.encoding == "utf-8"
    assert loaded.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    nodes = loaded.parsed.all_nodes()
    assert [(n.kind, n.key) for n in nodes] == [(NodeKind.TRACK, "track/1"), (NodeKind.PASSAGE, "track/1/passage/1"),
                                                 (NodeKind.STATEMENT, "track/1/statement/1")]
    assert all(segment_text(loaded.source.text, n.segments) == n.text for n in nodes)
    assert loaded.read is not None and loaded.read.blocks


def test_a_dateline_near_the_start_dates_the_document(tmp_path: Path) -> None:
    path = tmp_path / "strategi.md"
    path.write_text(STRATEGY, encoding="utf-8")
    assert load_document(path).parsed.attrs["date"] == "2015-01"


def test_a_date_inside_a_sentence_does_not_date_the_document() -> None:
    body = ("Den 9. november 2020 blev der afholdt en workshop om boliger.\n\n"
            "## Spor 1: Bolig\n\nVi vil have flere i egen bolig.\n")
    told = read_text_document("# Handicappolitik\n\n" + body)
    assert stated_date(told, recognise(told, file="told.md")) is None
    dated = read_text_document("# Handicappolitik\n\nNovember 2020\n\n" + body)
    assert stated_date(dated, recognise(dated, file="dated.md")) == "2020-11"


def test_an_empty_file_is_a_read_error_and_a_file_of_blank_lines_has_no_tree(tmp_path: Path) -> None:
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    with pytest.raises(ReadError) as caught:
        load_document(empty)
    assert caught.value.reason == "empty" and caught.value.file == str(empty)
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"   \n\n  ")
    with pytest.raises(ParseError, match="no text found to make a document tree"):
        load_document(blank)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "strategi.md"
    path.write_text(STRATEGY, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        load_document(path, max_bytes=10)
    assert caught.value.reason == "too-large"


def test_page_starts_are_where_each_page_first_has_text() -> None:
    text = "Forord\nVi vil.\nSpor 1\nBolig"
    blocks = [Block(BlockKind.HEADING, "Forord", [(0, 6)], level=1, page=1),
              Block(BlockKind.PARAGRAPH, "Vi vil.", [(7, 14)], page=1),
              Block(BlockKind.PAGE_BREAK, "", [], page=2),
              Block(BlockKind.HEADING, "Spor 1", [(15, 21)], level=2, page=3),
              Block(BlockKind.PARAGRAPH, "Bolig", [(22, 27)], page=3)]
    assert page_starts(ReadDocument(text=text, blocks=blocks, format="pdf", pages=3)) == ((0, 1), (15, 3))
    assert page_starts(ReadDocument(text=text, blocks=blocks, format="markdown")) == ()

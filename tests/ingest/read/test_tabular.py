"""The tab-table reader on follow-up reports exported with HTML fragments in their cells (tests/data/read/tabular/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from ingest.model import segment_text
from ingest.read import BlockKind, ReadDocument
from ingest.read.tabular import looks_like_tab_table, read_tab_table
from tests.strategies import layoutish_text

DATA = Path(__file__).resolve().parents[2] / "data" / "read" / "tabular"
FOLLOW_UP = DATA / "guldborgsund-opfoelgning-handleplan-2023.txt"
CRLF_PLAN = DATA / "ringsted-handleplan-demens-2024.txt"


def _read(path: Path) -> ReadDocument:
    return read_tab_table(path.read_bytes().decode("utf-8"))


@pytest.fixture(scope="module")
def report() -> ReadDocument:
    return _read(FOLLOW_UP)


def _cell(doc: ReadDocument, table: int, row: int, col: int) -> str:
    found = [b for b in doc.blocks if b.kind is BlockKind.TABLE_CELL and (b.table, b.row, b.col) == (table, row, col)]
    assert len(found) == 1, (table, row, col)
    return found[0].text


@pytest.mark.parametrize("path", [FOLLOW_UP, CRLF_PLAN])
def test_every_block_points_at_its_own_text_and_no_markup(path: Path) -> None:
    doc = _read(path)
    assert doc.format == "text"
    for block in doc.blocks:
        assert segment_text(doc.text, block.segments) == block.text
        for s, e in block.segments:
            assert "<" not in doc.text[s:e] and ">" not in doc.text[s:e], doc.text[s:e]
            assert "&nbsp;" not in doc.text[s:e]
            assert "\t" not in doc.text[s:e] and "\r" not in doc.text[s:e]


def test_tables_are_recognised_by_content() -> None:
    assert looks_like_tab_table(FOLLOW_UP.read_text(encoding="utf-8"))
    assert looks_like_tab_table(CRLF_PLAN.read_bytes().decode("utf-8"))
    prose = "Politikken gælder for alle borgere.\n\nDen revideres hvert fjerde år.\n"
    assert not looks_like_tab_table(prose)
    assert not looks_like_tab_table("<!DOCTYPE html>\n<table><tr><td>Mål\tStatus</td></tr></table>\nA\tB\n")


def test_cover_lines_headings_and_closing_paragraph(report: ReadDocument) -> None:
    outside = [(b.kind, b.style.get("role"), b.text) for b in report.blocks if b.kind is not BlockKind.TABLE_CELL]
    assert outside == [
        (BlockKind.PARAGRAPH, "front-matter", "Guldborgsund Kommune Social- og Sundhedsforvaltningen"),
        (BlockKind.PARAGRAPH, "front-matter", "Opfølgning på Handleplan for Socialpsykiatri og Udsatte 2023"),
        (BlockKind.PARAGRAPH, "front-matter", "December 2023"),
        (BlockKind.HEADING, None, "Handleplanens indsatsområder"),
        (BlockKind.HEADING, None, "Indsatser på tværs"),
        (BlockKind.PARAGRAPH, None, "Opfølgningen forelægges Social- og Sundhedsudvalget på mødet i januar 2024."),
    ]
    assert all(b.level == 1 for b in report.blocks if b.kind is BlockKind.HEADING)


def test_header_row_gives_every_cell_its_column_header(report: ReadDocument) -> None:
    headers = [b for b in report.blocks if b.style.get("role") == "header"]
    assert [(b.table, b.col, b.text) for b in headers if b.table == 0] == [
        (0, 0, "Indsatsområde"), (0, 1, "Målsætning"), (0, 2, "Handlinger"), (0, 3, "Ansvarlig"), (0, 4, "Status")]
    assert all(b.row == 0 for b in headers)
    names = ["Indsatsområde", "Målsætning", "Handlinger", "Ansvarlig", "Status"]
    for block in report.blocks:
        if block.kind is BlockKind.TABLE_CELL:
            assert block.col is not None and block.header == names[block.col]
    assert {b.table for b in report.blocks if b.kind is BlockKind.TABLE_CELL} == {0, 1}


def test_html_fragments_and_bullets_fall_between_segments(report: ReadDocument) -> None:
    status = [b for b in report.blocks if (b.table, b.row, b.col) == (0, 1, 4)][0]
    assert status.text == "De 12 skæve boliger er taget i brug i oktober 2023. Housing First anvendes nu i alle bostøtteteams."
    assert len(status.segments) == 2  # split at the <br>
    assert _cell(report, 0, 2, 4) == "Aftale indgået med tre af fire boligselskaber."  # <ul><li> around it
    bullets = [b for b in report.blocks if (b.table, b.row, b.col) == (1, 1, 4)][0]
    assert bullets.text == "Dialogmødet blev holdt den 4. maj. Puljen har støttet 9 aktiviteter."
    assert [report.text[s:e] for s, e in bullets.segments] == [
        "Dialogmødet blev holdt den 4. maj.", "Puljen har støttet 9 aktiviteter."]


def test_a_cell_continued_on_the_next_line_is_one_block(report: ReadDocument) -> None:
    activity = [b for b in report.blocks if (b.table, b.row, b.col) == (0, 4, 2)][0]
    assert activity.text == ("A. IPS-forløb (individuelt planlagt job med støtte) udvides fra 40 til 60 pladser og "
                             "kobles til jobcentrets virksomhedskonsulenter.")
    assert len(activity.segments) == 2
    status = [b for b in report.blocks if (b.table, b.row, b.col) == (0, 4, 4)][0]
    assert status.text.endswith("og 21 af dem er i ordinært job eller uddannelse.")
    assert len(status.segments) == 2
    # the continuation line is no row of its own: the next row is the next goal
    assert _cell(report, 0, 5, 1) == "2) Unge mellem 18 og 25 år skal fastholdes i uddannelse."


def test_rows_that_span_from_above_keep_their_columns(report: ReadDocument) -> None:
    # "\t2) Udsættelser ..." starts with an empty theme cell; "\t\tB. ..." with empty theme and goal cells.
    assert _cell(report, 0, 2, 1).startswith("2) Udsættelser")
    assert not [b for b in report.blocks if (b.table, b.row, b.col) == (0, 2, 0)]
    assert _cell(report, 0, 3, 2).startswith("B. Økonomisk rådgivning")
    # "2) Unge ...\tA. ...\t...\t...\t" lacks its leading theme cell: its "2)" continues the goals' "1)".
    assert _cell(report, 0, 5, 2) == "A. Mentorordning for unge på ungdomsuddannelserne."
    assert _cell(report, 0, 5, 3) == "UU-vejledningen"


def test_a_numbered_row_of_a_table_numbered_in_its_first_column_is_not_shifted() -> None:
    doc = _read(CRLF_PLAN)
    heading = [b for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert [b.text for b in heading] == ["Handleplan for værdig ældrepleje og demensindsats Status pr. 1. juni 2024"]
    assert _cell(doc, 0, 3, 0) == "2) Ingen borger skal vente mere end fire uger på en udredning."
    assert _cell(doc, 0, 3, 1) == "Samarbejde med hukommelsesklinikken om faste tider."
    assert _cell(doc, 0, 3, 2) == "2025"
    assert _cell(doc, 0, 1, 3) == "Gennemført. Alle distrikter er dækket."
    assert _cell(doc, 0, 2, 1) == "Pårørende tilbydes et kursus om demens."  # "om&nbsp;demens.&nbsp;"
    assert not [b for b in doc.blocks if (b.row, b.col) == (3, 3)]


@settings(max_examples=150, deadline=None)
@given(layoutish_text)
def test_any_text_reads_without_error_and_keeps_provenance(text: str) -> None:
    looks_like_tab_table(text)
    doc = read_tab_table(text)
    for block in doc.blocks:
        assert segment_text(doc.text, block.segments) == block.text

"""The Word reader on documents made with python-docx (tests/data/read/docx/make_fixtures.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingest.errors import SourceError
from ingest.model import segment_text
from ingest.read import BlockKind, ReadDocument, ReadError, read_file
from ingest.read.docx import format_number

DATA = Path(__file__).resolve().parents[2] / "data" / "read" / "docx"


@pytest.fixture(scope="module")
def policy() -> ReadDocument:
    return read_file(DATA / "politik-socialpsykiatri.docx")


def _by_text(doc: ReadDocument, text: str):
    return next(b for b in doc.blocks if b.text == text)


def test_every_block_points_at_its_own_text(policy: ReadDocument) -> None:
    for block in policy.content_blocks():
        assert segment_text(policy.text, block.segments) == block.text


def test_format_and_core_properties(policy: ReadDocument) -> None:
    assert policy.format == "docx"
    assert policy.meta["title"] == "Politik for socialpsykiatri og misbrug 2025-2028"
    assert policy.meta["author"] == "Næstved Kommune, Social og Sundhed"
    assert policy.meta["created"] == "2025-03-14"


def test_headings_keep_their_levels_under_the_title(policy: ReadDocument) -> None:
    headings = [(b.level, b.text) for b in policy.blocks if b.kind is BlockKind.HEADING]
    assert headings == [
        (1, "Politik for socialpsykiatri og misbrug 2025-2028"),
        (2, "Forord"),
        (2, "Vores vision"),
        (2, "Indsatsområder"),
        (3, "Indsatsområde 1: Recovery og egen mestring"),
        (3, "Indsatsområde 2: Sammenhængende forløb"),
        (4, "Et trygt sted at bo"),  # the Danish-named style "Overskrift 3"
        (2, "Opfølgning"),
    ]


def test_contents_entries_are_left_out(policy: ReadDocument) -> None:
    assert not [b for b in policy.blocks if "\t2" in b.text or b.text.startswith("Forord ")]
    assert sum(b.text == "Forord" for b in policy.blocks) == 1


def test_bullets_with_their_depth_and_marker(policy: ReadDocument) -> None:
    bullets = [(b.depth, b.marker, b.text) for b in policy.blocks if b.kind is BlockKind.LIST_ITEM and b.marker]
    assert bullets == [
        (0, "•", "styrke brugen af peerstøtte i botilbud og bostøtte"),
        (0, "•", "tilbyde kurser i recovery for borgere og pårørende"),
        (1, "•", "Recoveryskolen udbyder mindst ti kurser om året"),
        (0, "•", "følge op på borgerens mål hver tredje måned"),
    ]


def test_numbered_lists_continue_and_restart_as_word_shows_them(policy: ReadDocument) -> None:
    numbered = [(b.number, b.text) for b in policy.blocks if b.kind is BlockKind.LIST_ITEM and b.number]
    assert numbered == [
        ("1.", "alle borgere har en udskrivningsaftale ved udskrivning"),
        ("2.", "ventetiden til misbrugsbehandling er under 14 dage"),
        ("3.", "der er én fast kontaktperson i kommunen"),
        ("4.", "samarbejdsaftalen med regionen genforhandles i 2026"),  # continued after a paragraph
        ("1.", "kortlægger vi ventetider og udskrivningsforløb"),  # a new list: "Start forfra ved 1"
        ("2.", "opretter vi et fælles netværksmøde"),
    ]


def test_numbers_and_bullets_stay_out_of_the_spans(policy: ReadDocument) -> None:
    item = _by_text(policy, "kortlægger vi ventetider og udskrivningsforløb")
    s, e = item.segments[0]
    assert policy.text[s - 3:s] == "1. "
    assert policy.text[s:e] == item.text


def test_table_cells_with_headers_and_merged_cells_read_once(policy: ReadDocument) -> None:
    cells = [b for b in policy.blocks if b.kind is BlockKind.TABLE_CELL]
    assert {b.table for b in cells} == {0}
    grid = {(b.row, b.col): b for b in cells}
    assert [grid[(0, c)].text for c in range(4)] == ["Indsats", "Ansvarlig", "Tidsplan", "Status"]
    assert all(grid[(0, c)].header is None for c in range(4))
    merged = grid[(1, 1)]
    assert (merged.text, merged.header, merged.style.get("rowspan")) == ("Socialpsykiatrien", "Ansvarlig", "2")
    assert (2, 1) not in grid
    assert sum(b.text == "Socialpsykiatrien" for b in cells) == 1
    wide = grid[(3, 1)]
    assert wide.text == "Misbrugscentret og regionens psykiatri i samarbejde"
    assert wide.style.get("colspan") == "2"
    assert (3, 2) not in grid
    assert (grid[(3, 3)].text, grid[(3, 3)].header) == ("Ikke startet", "Status")
    assert (grid[(2, 2)].text, grid[(2, 2)].header) == ("2025-2026", "Tidsplan")


def test_hard_page_break_starts_page_two(policy: ReadDocument) -> None:
    breaks = [b for b in policy.blocks if b.kind is BlockKind.PAGE_BREAK]
    assert [b.page for b in breaks] == [2]
    assert policy.pages == 2
    assert _by_text(policy, "Vores vision").page == 1
    assert _by_text(policy, "Opfølgning").page == 2
    assert _by_text(policy, "Politikken evalueres i 2028 af Social- og Sundhedsudvalget.").page == 2


def test_pages_from_the_breaks_word_rendered_without_counting_a_hard_break_twice() -> None:
    doc = read_file(DATA / "rendered-pages.docx")
    assert doc.meta["pagination"] == "rendered"
    pages = [(b.page, b.text) for b in doc.content_blocks()]
    assert pages == [
        (1, "Misbrugsbehandling for unge"),
        (1, "Første side handler om rådgivning."),
        (2, "Anden side handler om ambulant behandling."),
        (2, "Behandlingen er gratis og anonym."),
        (3, "Tredje side handler om opfølgning efter endt behandling."),
    ]
    assert doc.pages == 3


@pytest.mark.parametrize(("n", "fmt", "shown"), [
    (4, "decimal", "4"), (3, "lowerLetter", "c"), (27, "lowerLetter", "aa"), (14, "upperRoman", "XIV"),
    (2, "upperLetter", "B"), (7, "decimalZero", "07"),
])
def test_number_formats_as_word_writes_them(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


@pytest.mark.parametrize(("name", "reason", "words"), [
    ("zip-bomb.docx", "zip-bomb", "expands 1013 times"),
    ("zip-bomb-many-parts.docx", "zip-bomb", "over the limit of 268435456"),
    ("xxe.docx", "xml-entities", "word/document.xml contains XML entity declarations"),
    ("billion-laughs.docx", "xml-entities", "word/document.xml contains XML entity declarations"),
    ("truncated.docx", "corrupt", "truncated or corrupt DOCX file"),
    ("damaged-part.docx", "corrupt", "word/document.xml is not well-formed XML"),
    ("strict.docx", "unsupported-format", "a Strict Open XML document is not supported"),
])
def test_bad_word_files_are_refused_with_their_reason(name: str, reason: str, words: str) -> None:
    path = DATA / "bad" / name
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert caught.value.reason == reason
    assert isinstance(caught.value, SourceError) and caught.value.exit_code == 4
    assert str(caught.value).startswith(f"{path}: ")
    assert words in str(caught.value)


def test_external_entity_never_reaches_the_text() -> None:
    with pytest.raises(ReadError) as caught:
        read_file(DATA / "bad" / "xxe.docx")
    assert "root:" not in str(caught.value)


def test_headings_numbered_by_a_list_linked_to_their_styles() -> None:
    doc = read_file(DATA / "nummererede-overskrifter.docx")
    headings = [(b.level, b.number, b.text) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == [
        (1, "1.", "Indledning"),
        (2, "1.1", "Baggrund"),
        (2, "1.2", "Målgruppe"),
        (1, "2.", "Housing First"),
        (2, "2.1", "Opfølgning"),
    ]
    items = [(b.depth, b.number, b.text) for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        (0, "a)", "skaffe flere billige boliger"),
        (1, "i.", "ti skæve boliger i Slagelse"),
        (1, "ii.", "fem skæve boliger i Korsør"),
        (0, "b)", "give bostøtte fra første dag"),  # the sub-list does not restart the outer level
    ]


def test_table_rows_inside_content_controls_are_read() -> None:
    doc = read_file(DATA / "nummererede-overskrifter.docx")
    cells = [(b.row, b.col, b.header, b.text) for b in doc.blocks if b.kind is BlockKind.TABLE_CELL]
    assert cells == [
        (0, 0, None, "Mål"),
        (0, 1, None, "Måling"),
        (1, 0, "Mål", "Ingen udskrives til gaden"),
        (1, 1, "Måling", "Optælling hvert andet år"),
    ]


def test_password_protected_word_file_is_refused_as_encrypted() -> None:
    path = DATA / "bad" / "adgangskode.docx"
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert caught.value.reason == "encrypted"
    assert str(caught.value) == (f"{path}: the Office document is encrypted with a password; save it without a "
                                 "password and add it again")


def test_package_announcing_thousands_of_parts_is_refused_before_its_directory_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mange-dele.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        for i in range(5000):
            zf.writestr(f"word/media/tom{i}.bin", b"")
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert caught.value.reason == "zip-bomb"
    assert "announces 5001 parts, over the limit of 4096" in str(caught.value)

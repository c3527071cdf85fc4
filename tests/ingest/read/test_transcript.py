"""The web-transcript reader on flattened PDF transcripts of two other municipalities (tests/data/read/transcript/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings

from ingest.model import segment_text
from ingest.read import BlockKind, ReadDocument
from ingest.read.transcript import looks_like_transcript, read_transcript
from tests.strategies import layoutish_text

DATA = Path(__file__).resolve().parents[2] / "data" / "read" / "transcript"
WITH_TOC = DATA / "vordingborg-psykiatri-misbrugspolitik-2021.txt"
NO_TOC = DATA / "lolland-udsattepolitik-2024.txt"
BULLETS = DATA / "odsherred-frivillighedsstrategi-2022.txt"
RUNNING_HEADER = "Psykiatri- og misbrugspolitik 2021-2025"


@pytest.fixture(scope="module")
def policy() -> ReadDocument:
    return read_transcript(WITH_TOC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plain() -> ReadDocument:
    return read_transcript(NO_TOC.read_text(encoding="utf-8"))


def _headings(doc: ReadDocument) -> list[tuple[int, str | None, str]]:
    return [(b.level, b.number, b.text) for b in doc.blocks if b.kind is BlockKind.HEADING]


@pytest.mark.parametrize("path", [WITH_TOC, NO_TOC, BULLETS])
def test_every_block_points_at_its_own_text(path: Path) -> None:
    doc = read_transcript(path.read_text(encoding="utf-8"))
    assert doc.format == "web-transcript"
    assert not doc.warnings
    for block in doc.blocks:
        assert segment_text(doc.text, block.segments) == block.text


def test_transcripts_are_recognised_by_content() -> None:
    assert looks_like_transcript(WITH_TOC.read_text(encoding="utf-8"))
    assert looks_like_transcript(NO_TOC.read_text(encoding="utf-8"))
    assert looks_like_transcript(BULLETS.read_text(encoding="utf-8"))
    prose = "# Handicappolitik\n\nPolitikken gælder for alle borgere.\n\n- Bolig\n- Arbejde\n"
    assert not looks_like_transcript(prose)
    assert not looks_like_transcript("Mål\tAktivitet\tStatus\n1) Færre hjemløse\tSkæve boliger\tI gang\n")


def test_related_documents_are_listed_once_each(policy: ReadDocument) -> None:
    head = policy.blocks[0]
    assert (head.kind, head.level, head.text, head.style["role"]) == (
        BlockKind.HEADING, 1, "Relaterede dokumenter", "related-documents")
    related = [b.text for b in policy.blocks if b.style.get("role") == "related-document"]
    assert related == ["Sundhedspolitik 2020-2024 Vordingborg Kommune", "Handicappolitik. Et liv som alle andre",
                       "Udsattepolitik for Guldborgsund Kommune 2019", "Rusmiddelstrategi for unge. Region Sjælland"]
    assert all(b.kind is BlockKind.LIST_ITEM and b.page is None for b in policy.blocks[1:5])


def test_headings_come_from_the_table_of_contents_with_levels(policy: ReadDocument) -> None:
    numbered = [h for h in _headings(policy) if h[1]]
    assert numbered == [
        (1, "1.", "Forord"), (1, "2.", "Vores visioner"), (1, "3.", "Politikkens tre temaer"),
        (2, "3.1", "Et godt hverdagsliv"), (2, "3.2", "Uddannelse og beskæftigelse"),
        (2, "3.3", "Sammenhængende forløb"), (1, "4.", "Opfølgning")]
    # the contents (twice: before the list and after "Transkript:") never becomes a block
    assert not [b for b in policy.blocks if "..." in b.text]


def test_page_numbers_and_running_headers_never_reach_a_block(policy: ReadDocument) -> None:
    for block in policy.blocks:
        assert RUNNING_HEADER not in block.text
        assert not re.search(r"\s\d$", block.text), block.text
    pages = [b.page for b in policy.blocks if b.kind is BlockKind.PAGE_BREAK]
    assert pages == [4, 5, 6, 7]
    assert policy.pages == 7
    forord = next(b for b in policy.blocks if b.text == "Forord")
    assert forord.page == 3


def test_a_sentence_across_a_page_break_keeps_a_segment_per_page(policy: ReadDocument) -> None:
    block = next(b for b in policy.blocks if b.text.startswith("Vi vil skabe et samlet forløb"))
    assert block.text == "Vi vil skabe et samlet forløb, hvor borgeren kun skal fortælle sin historie én gang."
    assert len(block.segments) == 2
    assert block.page == 6
    between = policy.text[block.segments[0][1]:block.segments[1][0]]
    assert "6" in between and RUNNING_HEADER in between


def test_vision_chapter_lists_its_visions_as_headings(policy: ReadDocument) -> None:
    i = next(i for i, b in enumerate(policy.blocks) if b.text == "Vores visioner")
    chapter = [(b.kind, b.level, b.text) for b in policy.blocks[i + 1:i + 7]]
    assert chapter == [
        (BlockKind.HEADING, 2, "Alle borgere skal have mulighed for et meningsfuldt liv"),
        (BlockKind.PARAGRAPH, 0, "Det betyder, at vi tager udgangspunkt i den enkeltes drømme og ressourcer."),
        (BlockKind.PARAGRAPH, 0, "Vi ser borgeren som ekspert i eget liv."),
        (BlockKind.HEADING, 2, "Recovery er grundlaget for alle vores indsatser"),
        (BlockKind.PARAGRAPH, 0, "Vi tror på, at man kan komme sig helt eller delvist fra psykiske vanskeligheder og "
                                 "misbrug."),
        (BlockKind.PARAGRAPH, 0, "Indsatsen tilrettelægges derfor, så den understøtter den enkeltes egen proces."),
    ]


def test_lead_in_box_items_one_per_lost_line(policy: ReadDocument) -> None:
    i = next(i for i, b in enumerate(policy.blocks) if b.text == "Et godt hverdagsliv")
    after = policy.blocks[i + 1:]
    box = next(j for j, b in enumerate(after) if b.style.get("role") == "list-box")
    assert [b.kind for b in after[:box]] == [BlockKind.PARAGRAPH] * 3
    assert (after[box].text, after[box].level, after[box].style["lead_in"]) == ("Det vil vi:", 3, "Det vil vi:")
    items = [b.text for b in after[box + 1:box + 4]]
    assert items == ["Vi vil tilbyde alle borgere en fast kontaktperson.",
                     "Vi vil udvide åbningstiden i Akuttilbuddet til hele døgnet",
                     "Vi vil styrke samarbejdet med de praktiserende læger om borgere med både psykiske lidelser og "
                     "misbrug."]
    assert all(b.kind is BlockKind.LIST_ITEM for b in after[box + 1:box + 4])


def test_verbless_items_group_the_others(policy: ReadDocument) -> None:
    i = next(i for i, b in enumerate(policy.blocks) if b.text == "Uddannelse og beskæftigelse")
    j = next(j for j, b in enumerate(policy.blocks) if b.text == "Sammenhængende forløb")
    box = [(b.kind, b.level, b.text) for b in policy.blocks[i + 1:j] if b.kind is not BlockKind.PARAGRAPH]
    assert box == [
        (BlockKind.HEADING, 3, "Det vil vi:"),
        (BlockKind.HEADING, 4, "Flere i job"),
        (BlockKind.LIST_ITEM, 0, "Vi vil udbrede IPS-metoden til alle borgere i socialpsykiatrien, der ønsker et arbejde."),
        (BlockKind.LIST_ITEM, 0, "Vi vil samarbejde med lokale virksomheder om praktikpladser."),
        (BlockKind.HEADING, 4, "Flere i uddannelse"),
        # "Og vi vil ..." continues the item before it
        (BlockKind.LIST_ITEM, 0, "Vi vil give unge mentorstøtte under hele uddannelsen. Og vi vil følge op på hvert "
                                 "forløb hvert halve år."),
    ]


def test_closing_references_one_item_each(policy: ReadDocument) -> None:
    i = next(i for i, b in enumerate(policy.blocks) if b.style.get("role") == "references")
    assert (policy.blocks[i].text, policy.blocks[i].level) == ("Kilder", 1)
    refs = [b.text for b in policy.blocks[i + 1:]]
    assert refs == [
        "Sundhedsstyrelsen: Anbefalinger for tværsektorielle forløb for mennesker med psykiske lidelser, 2018",
        "Socialstyrelsen: Recovery-orienteret rehabilitering, 2019",
        "Vordingborg Kommune: Sundhedspolitik 2020-2024"]
    assert all(b.style.get("role") == "reference" for b in policy.blocks[i + 1:])


def test_without_contents_headings_follow_their_numbering(plain: ReadDocument) -> None:
    assert _headings(plain) == [
        (1, None, "Udsattepolitik 2024-2027"), (1, "1.", "Baggrund"), (1, "2.", "Mål for indsatsen"),
        (2, "2.1", "Færre hjemløse"), (3, None, "Det vil vi:"), (2, "2.2", "Færre i misbrug"),
        (1, "3.", "Opfølgning")]
    assert plain.meta["title"] == "Udsattepolitik 2024-2027"
    assert plain.blocks[0].style["role"] == "title"
    # "14 dage" and "2027. Det ..." are no headings: numbers out of sequence
    assert any(b.text.endswith("må højst være 14 dage.") for b in plain.blocks if b.kind is BlockKind.PARAGRAPH)


def test_side_n_af_m_footers_give_the_pages(plain: ReadDocument) -> None:
    assert all("Side" not in b.text for b in plain.blocks)
    assert [b.page for b in plain.blocks if b.kind is BlockKind.PAGE_BREAK] == [2, 3]
    items = [(b.text, b.page) for b in plain.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [("Tilbyde en bolig inden for tre måneder", 2),
                     ("Styrke bostøtten efter Housing First-princippet", 2)]
    assert plain.pages == 3


@pytest.fixture(scope="module")
def bulleted() -> ReadDocument:
    return read_transcript(BULLETS.read_text(encoding="utf-8"))


def test_related_list_ends_at_the_first_page_without_a_marker(bulleted: ReadDocument) -> None:
    related = [b.text for b in bulleted.blocks if b.style.get("role") == "related-document"]
    assert related == ["Frivillighedspolitik 2018. Odsherred Kommune",
                       "Strategi for civilsamfund og frivillighed. Kalundborg Kommune"]
    assert bulleted.meta["title"] == "Strategi for frivillighed 2022-2025"


def test_inline_bullets_are_list_items_without_their_glyph(bulleted: ReadDocument) -> None:
    i = next(i for i, b in enumerate(bulleted.blocks) if b.text == "Den bygger på tre principper:")
    run = [(b.kind, b.marker, b.text) for b in bulleted.blocks[i:i + 5]]
    assert run == [
        (BlockKind.PARAGRAPH, None, "Den bygger på tre principper:"),
        (BlockKind.LIST_ITEM, "•", "Frivilligheden er frivillig"),
        (BlockKind.LIST_ITEM, "•", "Kommunen understøtter og erstatter ikke"),
        (BlockKind.LIST_ITEM, "•", "Samarbejdet sker i øjenhøjde"),
        # the last bullet ends where the flattening lost a line break
        (BlockKind.PARAGRAPH, None, "Strategien gælder for alle kommunens forvaltninger."),
    ]
    assert all("•" not in b.text for b in bulleted.blocks)


def test_two_boxes_under_one_heading(bulleted: ReadDocument) -> None:
    i = next(i for i, b in enumerate(bulleted.blocks) if b.text == "Flere frivillige")
    j = next(j for j, b in enumerate(bulleted.blocks) if b.text == "Stærke foreninger")
    assert [(b.kind, b.text) for b in bulleted.blocks[i + 2:j]] == [
        (BlockKind.HEADING, "Hvad vil vi?"),
        (BlockKind.LIST_ITEM, "Oprette en digital frivilligportal"),
        (BlockKind.LIST_ITEM, "Holde en årlig frivillighedsfestival"),
        (BlockKind.HEADING, "Hvad gør vi?"),
        (BlockKind.LIST_ITEM, "Frivilligcentret får ansvaret for portalen"),
        (BlockKind.LIST_ITEM, "Festivalen afholdes første gang i september 2023"),
    ]
    assert [b.number for b in bulleted.blocks if b.kind is BlockKind.HEADING and b.number] == ["1.", "2.", "2.1", "2.2"]


@settings(max_examples=150, deadline=None)
@given(layoutish_text)
def test_any_text_reads_without_error_and_keeps_provenance(text: str) -> None:
    looks_like_transcript(text)
    doc = read_transcript(text)
    for block in doc.blocks:
        assert segment_text(doc.text, block.segments) == block.text

"""The PDF reader on real PDFs made with reportlab (tests/data/read/pdf/make_fixtures.py regenerates them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import SourceError
from ingest.model import normalize_ws
from ingest.read.blocks import Block, BlockKind, ReadDocument
from ingest.read.pdf import ReadError, dehyphenate, read_pdf

DATA = Path(__file__).resolve().parents[2] / "data" / "read" / "pdf"
A4 = (595.28, 841.89)


def read(name: str) -> ReadDocument:
    return read_pdf((DATA / name).read_bytes(), file=f"corpora/{name}")


@pytest.fixture(scope="module")
def handicap() -> ReadDocument:
    return read("handicappolitik.pdf")


@pytest.fixture(scope="module")
def psyk() -> ReadDocument:
    return read("psykiatriplan.pdf")


def of_kind(doc: ReadDocument, kind: BlockKind) -> list[Block]:
    return [b for b in doc.blocks if b.kind is kind]


def find(doc: ReadDocument, start: str) -> Block:
    [block] = [b for b in doc.blocks if b.text.startswith(start)]
    return block


# --- the designed policy ---------------------------------------------------------------------------------------


def test_whether_headings_set_only_by_font_size_and_weight_get_levels(handicap: ReadDocument) -> None:
    headings = [(b.page, b.level, b.number, b.text) for b in of_kind(handicap, BlockKind.HEADING)]
    assert headings == [
        (1, 1, None, "Handicappolitik 2025–2029"),
        (3, 2, None, "Forord"),
        (3, 2, "1.", "Vision og værdier"),
        (3, 3, None, "Værdier"),
        (4, 2, "2.", "Indsatsområder"),
        (4, 3, "2.1", "Bolig og hverdagsliv"),
        (4, 3, "2.2", "Beskæftigelse og uddannelse"),  # wrapped over two lines in its column
        (5, 2, "3.", "Opfølgning"),
        (5, 4, None, "Kontakt"),  # body size, bold
    ]


def test_whether_the_cover_tagline_is_a_subtitle_not_a_heading_level(handicap: ReadDocument) -> None:
    tagline = find(handicap, "Et liv med lige muligheder")
    assert tagline.kind is BlockKind.PARAGRAPH
    assert tagline.style["role"] == "subtitle"


def test_whether_running_header_footer_and_page_numbers_leave_no_block(handicap: ReadDocument) -> None:
    texts = [b.text for b in handicap.content_blocks()]
    assert not [t for t in texts if "Side " in t and " af 5" in t]
    assert not [t for t in texts if "·" in t]
    # the header's words are still in the extracted text, between the blocks' segments
    assert handicap.text.count("Handicappolitik 2025–2029 · Vesthimmerlands Kommune") == 4
    assert handicap.text.count("Side 4 af 5") == 1


def test_whether_the_contents_page_leaves_no_block(handicap: ReadDocument) -> None:
    texts = [b.text for b in handicap.content_blocks()]
    assert "Indhold" not in texts
    assert not [t for t in texts if "...." in t]
    assert not [b for b in handicap.content_blocks() if b.page == 2]
    # each chapter heading counted once, though the contents page names it
    assert texts.count("Forord") == 1
    assert texts.count("Indsatsområder") == 1


def test_whether_a_word_hyphenated_at_a_line_end_is_joined(handicap: ReadDocument) -> None:
    block = find(handicap, "Vesthimmerlands Kommune vil være et sted")
    assert "Den nye handicappolitik er blevet til i et tæt samarbejde" in block.text
    assert "handicap-" not in block.text and "handicap- politik" not in block.text
    assert len(block.segments) == 5  # one piece of extracted text per printed line
    pieces = [handicap.text[s:e] for s, e in block.segments]
    assert pieces[2].endswith("Den nye handicappolitik")
    assert pieces[3].startswith("er blevet til")


def test_whether_a_danish_elision_hyphen_is_kept() -> None:
    assert dehyphenate(["tilbud på social-", "og sundhedsområdet"]) == ["tilbud på social-", "og sundhedsområdet"]
    assert dehyphenate(["for bo-", "eller aktivitetstilbud"]) == ["for bo-", "eller aktivitetstilbud"]
    assert dehyphenate(["den nye handicap-", "politik gælder"]) == ["den nye handicappolitik", "gælder"]
    assert dehyphenate(["Region Syd-", "Danmark"]) == ["Region Syd-", "Danmark"]  # capital: a name, keep


def test_whether_pages_and_page_breaks_are_kept(handicap: ReadDocument) -> None:
    assert handicap.pages == 5
    breaks = of_kind(handicap, BlockKind.PAGE_BREAK)
    assert [b.page for b in breaks] == [2, 3, 4, 5]
    assert handicap.text.count("\f") == 4
    assert find(handicap, "Forord").page == 3
    assert find(handicap, "Kontakt").page == 5
    assert {b.page for b in of_kind(handicap, BlockKind.TABLE_CELL)} == {5}
    # blocks come in page order, each page's blocks after its break
    pages = [b.page or 0 for b in handicap.blocks]
    assert pages == sorted(pages)


def test_whether_every_content_block_has_a_bounding_box_on_its_page(handicap: ReadDocument) -> None:
    for block in handicap.content_blocks():
        assert block.bbox is not None, block
        x0, top, x1, bottom = block.bbox
        assert 0 <= x0 < x1 <= A4[0] and 0 <= top < bottom <= A4[1], block
    assert find(handicap, "Forord").bbox == pytest.approx((70.0, 115.0, 137.7, 133.0), abs=0.5)


def test_whether_a_two_column_page_is_read_column_by_column(handicap: ReadDocument) -> None:
    page4 = [b.text for b in handicap.content_blocks() if b.page == 4]
    assert page4[:4] == [
        "Indsatsområder",
        "Bolig og hverdagsliv",
        "Et godt hjem er grundlaget for et godt hverdagsliv. Mange borgere med handicap ønsker at bo i egen "
        "bolig med den støtte, der passer til dem, frem for i et botilbud langt fra familie og netværk.",
        "Det vil vi:",
    ]
    assert page4.index("Sikre at hjælpemidler er på plads, før en borger flytter ind.") \
        < page4.index("Beskæftigelse og uddannelse")
    assert "Arbejde og uddannelse giver fællesskab, selvværd og økonomisk frihed. Kommunen vil derfor " \
           "samarbejde med lokale virksomheder om flere fleksjob og skånejob." in page4
    right = find(handicap, "Arbejde og uddannelse")
    left = find(handicap, "Et godt hjem")
    assert right.bbox and left.bbox and left.bbox[2] < right.bbox[0]


def test_whether_bullets_and_numbers_become_list_items_with_depth(handicap: ReadDocument) -> None:
    items = [(b.marker, b.number, b.depth, b.text) for b in of_kind(handicap, BlockKind.LIST_ITEM)]
    assert items == [
        ("•", None, 0, "Ligeværd"),
        ("–", None, 1, "Borgeren bliver mødt som en ligeværdig part i alle beslutninger om eget liv."),
        ("•", None, 0, "Tilgængelighed"),
        ("–", None, 1, "Bygninger, digitale løsninger og information skal kunne bruges af alle."),
        ("–", None, 1, "Vi tilbyder tolkning og let læsbare udgaver af vigtige breve."),
        ("•", None, 0, "Sammenhæng"),
        (None, "1.", 0, "Udvide den bostøtte, der gives i borgerens eget hjem."),
        (None, "2.", 0, "Etablere tre nye bofællesskaber for unge voksne inden 2027."),
        (None, "3.", 0, "Sikre at hjælpemidler er på plads, før en borger flytter ind."),
        ("▪", None, 0, "Virksomhedspraktik med mentor"),
        ("▪", None, 0, "Uddannelsesvejledning efter 9. klasse"),
        ("▪", None, 0, "Hjælp til transport til arbejdspladsen"),
    ]
    # the marker is in the extracted text just before the item's first segment, not inside it
    item = find(handicap, "Ligeværd")
    assert handicap.text[item.start - 2:item.start] == "• "


def test_whether_a_ruled_table_becomes_cells_with_column_headers(handicap: ReadDocument) -> None:
    cells = of_kind(handicap, BlockKind.TABLE_CELL)
    assert len(cells) == 12
    assert {c.table for c in cells} == {0}
    header = [(c.row, c.col, c.text, c.header) for c in cells if c.row == 0]
    assert header == [(0, 0, "Indsats", None), (0, 1, "Ansvarlig", None), (0, 2, "Tidsplan", None)]
    row2 = [(c.col, c.text, c.header) for c in cells if c.row == 2]
    assert row2 == [(0, "Nye bofællesskaber", "Indsats"), (1, "Teknik og Miljø", "Ansvarlig"),
                    (2, "2026–2027", "Tidsplan")]
    assert all(c.bbox is not None for c in cells)
    # the table sits between the paragraph above it and the heading below it
    kinds = [b.kind for b in handicap.content_blocks() if b.page == 5]
    assert kinds == [BlockKind.HEADING, BlockKind.PARAGRAPH, *[BlockKind.TABLE_CELL] * 12, BlockKind.HEADING,
                     BlockKind.PARAGRAPH]


def test_whether_the_metadata_comes_from_the_pdf(handicap: ReadDocument, psyk: ReadDocument) -> None:
    assert handicap.format == "pdf"
    assert handicap.meta == {"title": "Handicappolitik 2025–2029", "author": "Vesthimmerlands Kommune",
                             "created": "2025-02-27"}
    assert psyk.meta["created"] == "2025-11-03"
    assert psyk.meta["author"] == "Guldborgsund Kommune, Socialafdelingen"


@pytest.mark.parametrize("name", ["handicappolitik.pdf", "psykiatriplan.pdf", "vaerdighedspolitik.pdf"])
def test_whether_every_block_keeps_the_provenance_contract(name: str) -> None:
    doc = read(name)
    assert doc.blocks
    for block in doc.blocks:
        assert normalize_ws(" ".join(doc.text[s:e] for s, e in block.segments)) == block.text, block
        assert all(0 <= s < e <= len(doc.text) for s, e in block.segments), block
        assert block.page is not None
        if block.kind is not BlockKind.PAGE_BREAK:
            assert block.text and block.text == block.text.strip()
    starts = [b.start for b in doc.blocks]
    assert starts == sorted(starts)


# --- the plain Helvetica plan --------------------------------------------------------------------------------


def test_whether_headings_at_body_size_are_told_apart_by_weight(psyk: ReadDocument) -> None:
    headings = [(b.page, b.level, b.text) for b in of_kind(psyk, BlockKind.HEADING)]
    assert headings == [
        (2, 1, "Psykiatriplan for Guldborgsund Kommune"),
        (2, 2, "Baggrund"),
        (2, 2, "Planens fire temaer"),
        (3, 1, "Tema 1: Tidlig hjælp"),
        (3, 2, "Det vil vi måle"),
        (3, 1, "Tema 2: Overgange"),
        (4, 1, "Tema 3 og 4: Bostøtte og pårørende"),
        (4, 2, "Økonomi"),
    ]


def test_whether_a_contents_page_without_dotted_leaders_leaves_no_block(psyk: ReadDocument) -> None:
    # the contents title goes, though a sentence stands between it and the rows; the sentence stays
    assert [(b.kind, b.text) for b in psyk.content_blocks() if b.page == 1] == [
        (BlockKind.PARAGRAPH, "Planen har en indledning og fire temaer, som hver har egne mål og indsatser.")]
    assert "Indholdsfortegnelse" not in [b.text for b in psyk.blocks]
    assert [b.text for b in psyk.blocks].count("Baggrund") == 1
    # the entries stay in the extracted text as whole rows, the page number after the title
    assert "\nTema 2: Overgange 3\n" in psyk.text


def test_whether_dashed_page_numbers_and_a_right_aligned_header_leave_no_block(psyk: ReadDocument) -> None:
    texts = [b.text for b in psyk.content_blocks()]
    assert not [t for t in texts if t.startswith("- ") or t == "Psykiatriplan 2026–2030"]
    assert "- 2 -" in psyk.text


def test_whether_a_footnote_mark_stays_on_its_word_and_the_footnote_is_marked(psyk: ReadDocument) -> None:
    paragraph = find(psyk, "Antallet af borgere")
    assert "søger støtte efter serviceloven1 på grund af psykiske vanskeligheder" in paragraph.text
    assert len(paragraph.segments) == 2
    footnote = find(psyk, "1 Servicelovens §§ 82, 85 og 107")
    assert (footnote.kind, footnote.page, footnote.style["role"]) == (BlockKind.PARAGRAPH, 2, "footnote")
    assert psyk.blocks[psyk.blocks.index(footnote) + 1].kind is BlockKind.PAGE_BREAK
    assert [b for b in psyk.content_blocks() if b.style.get("role") == "footnote"] == [footnote]


def test_whether_a_note_in_the_margin_does_not_cut_the_paragraph_beside_it(psyk: ReadDocument) -> None:
    paragraph = find(psyk, "Kommunen indgår en samarbejdsaftale")
    assert paragraph.text.endswith("Aftalen følges op to gange årligt i det fælles koordinationsudvalg.")
    assert len(paragraph.segments) == 2
    note = find(psyk, "Ny i 2026")
    assert (note.kind, note.page) == (BlockKind.PARAGRAPH, 3)
    assert psyk.blocks.index(note) == psyk.blocks.index(paragraph) + 1


def test_whether_nested_numbering_and_hanging_indents_make_items(psyk: ReadDocument) -> None:
    items = [(b.number or b.marker, b.depth, b.text) for b in of_kind(psyk, BlockKind.LIST_ITEM)]
    assert items[:6] == [
        ("1.", 0, "Tidlig hjælp uden henvisning, så borgere kan få en samtale i åben rådgivning samme uge."),
        ("2.", 0, "Bedre overgange mellem region og kommune, når en borger udskrives fra en psykiatrisk "
                  "afdeling, så ingen står uden et sted at bo eller en aftale om støtte."),
        ("a)", 1, "Udskrivningsaftale senest dagen før udskrivning."),
        ("b)", 1, "Fast kontaktperson i kommunen de første tre måneder."),
        ("3.", 0, "Recovery-orienteret bostøtte med fokus på borgerens egne mål."),
        ("4.", 0, "Inddragelse af pårørende og peer-medarbejdere."),
    ]
    assert items[6:] == [
        ("-", 0, "Ventetid til første samtale under fem hverdage"),
        ("-", 0, "Andel borgere, der ikke har brug for yderligere støtte efter tre måneder, opgjort hvert halve "
                 "år og fordelt på alder og bopæl"),
    ]
    assert len(find(psyk, "Bedre overgange").segments) == 2


# --- the serif policy with two column bands ------------------------------------------------------------------


@pytest.fixture(scope="module")
def dignity() -> ReadDocument:
    return read("vaerdighedspolitik.pdf")


def test_whether_larger_regular_headings_rank_below_bold_ones_and_a_lead_stays_prose(dignity: ReadDocument) -> None:
    headings = [(b.page, b.level, b.number, b.text) for b in of_kind(dignity, BlockKind.HEADING)]
    assert headings == [
        (1, 1, None, "Værdighedspolitik 2026"),
        (1, 1, "1", "Indledning"),  # bare numbers counting up over one level are numbering
        (1, 2, "1.1", "Hvorfor en værdighedspolitik"),
        (1, 2, "1.2", "Hvem gælder politikken for"),
        (2, 1, "2", "Fire værdier"),
        (2, 2, "2.1", "Selvbestemmelse"),
        (2, 2, "2.2", "Respekt"),
        (2, 2, "2.3", "Tryghed"),
        (2, 2, "2.4", "Nærvær"),
        (2, 1, "3", "Sådan arbejder vi med politikken"),
        (3, 1, "4", "Opfølgning"),
        (4, 2, "4.1", "Kontakt"),
    ]
    lead = find(dignity, "Alle borgere i Lolland Kommune")
    assert lead.kind is BlockKind.PARAGRAPH and lead.style["font_size"] == "12"


def test_whether_alternating_running_heads_and_bare_page_numbers_leave_no_block(dignity: ReadDocument) -> None:
    texts = [b.text for b in dignity.content_blocks()]
    assert "Lolland Kommune" not in texts
    assert texts.count("Værdighedspolitik 2026") == 1  # the title on page 1, not the running head of 2 and 4
    assert not [t for t in texts if t.isdigit()]
    assert dignity.text.split("\n").count("Lolland Kommune") == 2


def test_whether_a_danish_elision_at_a_line_end_keeps_its_hyphen(dignity: ReadDocument) -> None:
    block = find(dignity, "Politikken er skrevet til alle medarbejdere")
    assert "ledere på social- og sundhedsområdet og til de private leverandører" in block.text


def test_whether_a_paragraph_over_a_page_break_is_marked_as_continued(dignity: ReadDocument) -> None:
    before = find(dignity, "Politikken omfatter ældre borgere")
    after = find(dignity, "leverandører af personlig og praktisk hjælp")
    assert (before.page, after.page) == (1, 2)
    assert before.text.endswith("både kommunale og private")
    assert after.text.endswith("inviteres til at bruge politikken på samme måde.")
    assert after.style["continues"] == "previous-page"
    assert "continues" not in find(dignity, "Det betyder, at vi:").style
    between = dignity.blocks[dignity.blocks.index(before) + 1:dignity.blocks.index(after)]
    assert [b.kind for b in between] == [BlockKind.PAGE_BREAK]


def test_whether_two_bands_of_columns_are_read_band_by_band(dignity: ReadDocument) -> None:
    page2 = [b.text for b in dignity.content_blocks() if b.page == 2]
    order = ["Fire værdier", "Selvbestemmelse", "Borgeren bestemmer", "Respekt", "Vi møder borgeren", "Tryghed",
             "Borgeren skal vide", "Nærvær", "Tid til en snak", "Sådan arbejder vi", "Hver leder drøfter",
             "Borgere og pårørende kan give besked"]
    positions = [next(n for n, t in enumerate(page2) if t.startswith(p) or t.endswith(p)) for p in order]
    assert positions == sorted(positions)
    assert find(dignity, "Borgere og pårørende kan give besked").text.endswith(
        "giver en årlig tilbagemelding til Social- og Sundhedsudvalget.")


def test_whether_a_merged_table_cell_is_one_block_under_its_first_column(dignity: ReadDocument) -> None:
    cells = [(c.row, c.col, c.text, c.header, c.style.get("colspan")) for c in of_kind(dignity, BlockKind.TABLE_CELL)
             if c.row == 3]
    assert cells == [(3, 0, "Nærvær", "Værdi", None),
                     (3, 1, "Indgår i tilsynsrapporten fra embedslægen", "Måles ved", "2")]
    assert {c.page for c in of_kind(dignity, BlockKind.TABLE_CELL)} == {3}
    assert find(dignity, "Antal forskellige medarbejdere pr. borger").header == "Måles ved"


def test_whether_wrapped_bullets_keep_their_hanging_lines(dignity: ReadDocument) -> None:
    items = [(b.marker, b.depth, b.text) for b in of_kind(dignity, BlockKind.LIST_ITEM)]
    assert items == [
        ("●", 0, "tilbyder borgeren et måltid, der ligner det, borgeren plejer at spise, og som serveres på det "
                 "tidspunkt, borgeren ønsker"),
        ("●", 0, "giver pårørende en fast kontaktperson på plejecentret"),
        ("●", 0, "sikrer lindrende pleje og mulighed for, at pårørende kan overnatte i den sidste tid"),
    ]


def test_whether_open_line_spacing_keeps_paragraphs_whole() -> None:
    doc = read("hjemloesestrategi.pdf")
    blocks = [(b.kind, b.text.split(".")[0], len(b.segments)) for b in doc.content_blocks()]
    assert blocks == [
        (BlockKind.HEADING, "Hjemløsestrategi 2026", 1),
        (BlockKind.PARAGRAPH, "Ingen borgere i Odsherred Kommune skal sove på gaden eller bo på et herberg i mere "
                              "end tre måneder", 3),
        (BlockKind.PARAGRAPH, "Indsatsen bygger på et tæt samarbejde mellem boligsociale medarbejdere, jobcentret, "
                              "misbrugscentret og de almene boligorganisationer, som stiller boliger til rådighed "
                              "gennem den kommunale anvisning", 3),
    ]


# --- files that cannot be read ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason", "words"),
    [
        ("krypteret.pdf", "encrypted", "encrypted with a password"),
        ("scannet.pdf", "no-text-layer", "OCR is not available"),
        ("afkortet.pdf", "corrupt", "damaged or truncated"),
        ("ugyldig.pdf", "corrupt", "damaged or truncated"),
        ("tom.pdf", "empty", "contains no text"),
    ],
)
def test_whether_an_unreadable_pdf_is_refused_with_its_reason(name: str, reason: str, words: str) -> None:
    with pytest.raises(ReadError) as caught:
        read(name)
    error = caught.value
    assert isinstance(error, SourceError) and error.exit_code == 4
    assert error.reason == reason
    assert error.file == f"corpora/{name}"
    assert str(error).startswith(f"corpora/{name}: ") and words in str(error)


def test_whether_a_scanned_page_among_typed_ones_is_left_out_with_a_warning() -> None:
    doc = read("delvist-scannet.pdf")
    assert doc.warnings == ["page 2 has no text layer (an image only) and is left out; OCR is not available"]
    assert [(b.kind, b.text) for b in doc.content_blocks()] == [
        (BlockKind.HEADING, "Aftale om bostøtte"),
        (BlockKind.PARAGRAPH, "Aftalen gælder fra 1. maj 2025 og følges op efter seks måneder sammen med borgeren."),
    ]
    assert doc.pages == 2


def test_whether_a_font_without_a_unicode_map_gives_a_warning() -> None:
    # the same file with its fonts' /ToUnicode maps hidden: the Danish letters have no character any more
    data = (DATA / "vaerdighedspolitik.pdf").read_bytes().replace(b"/ToUnicode", b"/ToUnicodX")
    doc = read_pdf(data, file="corpora/vaerdighedspolitik.pdf")
    assert doc.warnings == ["characters whose font has no Unicode map are kept as (cid:N) on page(s) 1, 2, 3, 4"]
    assert find(doc, "V(cid:1)rdighedspolitik 2026").kind is BlockKind.HEADING


def test_whether_truncation_anywhere_is_refused() -> None:
    data = (DATA / "handicappolitik.pdf").read_bytes()
    for keep in (0.1, 0.5, 0.9, 0.99):
        with pytest.raises(ReadError) as caught:
            read_pdf(data[: int(len(data) * keep)], file="corpora/afkortet.pdf")
        assert caught.value.reason == "corrupt", keep


def test_unmapped_symbol_glyph_at_line_start_is_a_bullet() -> None:
    """reportlab's "•" in a standard font reaches pdfminer as "(cid:127)": such a glyph opening a line is the
    item's bullet, kept out of the text, and no warning about unmapped characters remains."""
    path = Path(__file__).resolve().parents[2] / "data" / "structure-eval" / "aarhus-handicappolitik-2023.pdf"
    doc = read_pdf(path.read_bytes(), file=str(path))
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert len(items) >= 20
    assert all("(cid:" not in b.text for b in doc.blocks)
    assert items[0].text.startswith("Flere borgere med handicap bor i egen bolig")
    assert not any("Unicode map" in w for w in doc.warnings)

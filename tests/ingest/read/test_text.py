"""The text reader: Markdown, plain text and real ``pdftotext -layout`` output become blocks with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import segment_text
from ingest.read.blocks import Block, BlockKind, ReadDocument
from ingest.read.text import read_text_document, text_flavour
from tests.ingest.structure.pdftext import pdftotext_pages

MARKDOWN = """\
# Psykiatripolitik for Roskilde Kommune 2025-2029

Roskilde Byråd vedtog politikken den **27. marts 2025**. Læs mere på [roskilde.dk](https://www.roskilde.dk).

## 1. Et liv med mening

Borgere med psykiske vanskeligheder skal have et godt hverdagsliv.

Det vil vi:

- ▶ Vi tilbyder samtaler uden ventetid.
- • Vi samarbejder med *Psykiatrien Region Sjælland* om udskrivning.
* Vi styrker peer-støtten
  i alle tilbud.

### Mål i 2027

1. Ventetiden er under to uger.
2) Flere borgere er i job eller uddannelse.
   - heraf mindst 40 unge

a) Alle botilbud har en pårørendepolitik.

**SAMMEN OM DET GODE LIV!**

| Indsatsområde | Mål | Status |
|---|---|---|
| Bolig | Flere i egen bolig | I gang |
| Job | 50 flere i job | Ikke startet |
"""


def _check_provenance(doc: ReadDocument) -> None:
    for block in doc.blocks:
        if block.kind is BlockKind.PAGE_BREAK:
            continue
        joined = segment_text(doc.text, block.segments)
        assert joined == block.text, block


def _kinds(doc: ReadDocument) -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in doc.blocks if b.kind is not BlockKind.PAGE_BREAK]


def test_markdown_headings_lists_tables_and_emphasis() -> None:
    doc = read_text_document(MARKDOWN)
    assert doc.format == "markdown" and text_flavour(MARKDOWN) == "markdown"
    _check_provenance(doc)
    headings = [(b.level, b.number, b.text) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == [(1, None, "Psykiatripolitik for Roskilde Kommune 2025-2029"),
                        (2, "1.", "Et liv med mening"), (3, None, "Mål i 2027")]
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [(b.text, b.marker, b.number, b.depth) for b in items] == [
        ("Vi tilbyder samtaler uden ventetid.", "▶", None, 0),
        ("Vi samarbejder med Psykiatrien Region Sjælland om udskrivning.", "•", None, 0),
        ("Vi styrker peer-støtten i alle tilbud.", "*", None, 0),
        ("Ventetiden er under to uger.", None, "1.", 0),
        ("Flere borgere er i job eller uddannelse.", None, "2)", 0),
        ("heraf mindst 40 unge", "-", None, 1),
        ("Alle botilbud har en pårørendepolitik.", None, "a)", 0),
    ]
    paragraph = next(b for b in doc.blocks if b.text.startswith("Roskilde Byråd"))
    # Markup falls between segments, and segments join with a space (the provenance contract): "2025 ."
    assert paragraph.text == "Roskilde Byråd vedtog politikken den 27. marts 2025 . Læs mere på roskilde.dk ."
    assert not any("**" in doc.text[s:e] or "https" in doc.text[s:e] for s, e in paragraph.segments)
    motto = next(b for b in doc.blocks if b.text == "SAMMEN OM DET GODE LIV!")
    assert motto.style.get("emphasis") == "bold"
    assert paragraph.style.get("emphasis") is None


def test_markdown_pipe_table_cells_know_their_column_headers() -> None:
    doc = read_text_document(MARKDOWN)
    cells = [b for b in doc.blocks if b.kind is BlockKind.TABLE_CELL]
    assert [(c.row, c.col, c.text, c.header) for c in cells] == [
        (0, 0, "Indsatsområde", None), (0, 1, "Mål", None), (0, 2, "Status", None),
        (1, 0, "Bolig", "Indsatsområde"), (1, 1, "Flere i egen bolig", "Mål"), (1, 2, "I gang", "Status"),
        (2, 0, "Job", "Indsatsområde"), (2, 1, "50 flere i job", "Mål"), (2, 2, "Ikke startet", "Status"),
    ]
    assert all(c.style.get("role") == "header" for c in cells if c.row == 0)


PLAIN = """\
SOCIALPOLITIK

Greve Kommune 2024

1. Indledning

Socialpolitikken gælder for alle voksne borgere i Greve Kommune, som har brug for hjælp.

2. Vores mål

3.1 Flere i arbejde

Vi vil have flere borgere i job. Det kræver et tæt samarbejde med virksomhederne.

- Vi opretter 30 nye praktikpladser.
- Vi tilbyder mentorstøtte i op til et år
  efter ansættelsen.

Indhold ........................ 2
Opfølgning

Socialudvalget følger op hvert år.
"""


def test_plain_text_headings_numbers_and_bullets() -> None:
    doc = read_text_document(PLAIN)
    assert doc.format == "text"
    _check_provenance(doc)
    headings = [(b.level, b.number, b.text) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == [(1, None, "SOCIALPOLITIK"), (2, None, "Greve Kommune 2024"), (1, "1.", "Indledning"),
                        (1, "2.", "Vores mål"), (2, "3.1", "Flere i arbejde"), (2, None, "Opfølgning")]
    items = [b.text for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == ["Vi opretter 30 nye praktikpladser.",
                     "Vi tilbyder mentorstøtte i op til et år efter ansættelsen."]
    assert not any("....." in b.text for b in doc.blocks), "a dotted-leader contents line became a block"


def _pdftotext_fixture(tmp_path: Path) -> str:
    """A three-page A4 PDF made with reportlab, turned into text by poppler's ``pdftotext -layout``."""
    pages = [
        [("Helvetica-Bold", 16, "Udsattestrategi 2025"),
         ("Helvetica", 11, "Hjemløshed skal forebygges, før den opstår. Derfor samarbejder vi med boligsel-"),
         ("Helvetica", 11, "skaberne om tidlig kontakt til lejere i restance.")],
        [("Helvetica-Bold", 14, "Bolig først"),
         ("Helvetica", 11, "Alle borgere, der bliver hjemløse, får tilbudt en bolig med bostøtte inden for tre"),
         ("Helvetica", 11, "måneder.")],
        [("Helvetica-Bold", 14, "Opfølgning"),
         ("Helvetica", 11, "Udvalget følger strategien hvert halve år.")],
    ]
    return pdftotext_pages(tmp_path / "udsattestrategi.pdf", pages, header="Næstved Kommune · Udsattestrategi 2025")


def test_pdftotext_pages_running_headers_page_numbers_and_hyphenation(tmp_path: Path) -> None:
    text = _pdftotext_fixture(tmp_path)
    assert "\f" in text
    doc = read_text_document(text)
    assert doc.format == "pdftotext" and doc.pages == 3
    content = [b for b in doc.blocks if b.kind is not BlockKind.PAGE_BREAK]
    texts = [b.text for b in content]
    assert not any("Næstved Kommune · Udsattestrategi" in t for t in texts), "running header kept"
    assert not any(t.startswith("Side ") for t in texts), "page number kept"
    assert [b.page for b in doc.blocks if b.kind is BlockKind.PAGE_BREAK] == [2, 3]
    joined = next(b for b in content if "boligselskaberne" in b.text)
    assert "boligsel skaberne" not in joined.text and "boligsel-" not in joined.text
    # The joined word spans two segments, each pointing into the original text.
    assert any(text[s:e].endswith("boligsel") for s, e in joined.segments)
    assert any(text[s:e].startswith("skaberne") for s, e in joined.segments)
    headings = [(b.text, b.page) for b in content if b.kind is BlockKind.HEADING]
    assert ("Bolig først", 2) in headings and ("Opfølgning", 3) in headings
    last = next(b for b in content if b.text.startswith("Udvalget følger"))
    assert last.page == 3


def test_every_block_of_the_bundled_markdown_and_plain_texts_keeps_its_provenance() -> None:
    corpora = Path(__file__).resolve().parents[3] / "corpora"
    for name in ("slagelse-2024-2030-politisk-strategi.txt", "faxe-strategi-voksensocialomraadet.txt",
                 "slagelse-2019-politiske-pejlemaerker.txt"):
        doc = read_text_document((corpora / name).read_text(encoding="utf-8"))
        _check_provenance(doc)
        assert all(isinstance(b, Block) and b.segments for b in doc.content_blocks())


def test_line_end_hyphen_joins_a_word_but_keeps_suspended_compounds() -> None:
    """"boligsel-⏎skaberne" is one word; "handicap-⏎og psykiatriområdet" keeps its hyphen and its space."""
    text = ("Indsatser\n\nVi styrker samarbejdet med boligsel-\nskaberne og handicap-\n"
            "og psykiatriområdet om opfølg-\nningen.\n")
    doc = read_text_document(text)
    para = next(b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH)
    assert para.text == ("Vi styrker samarbejdet med boligselskaberne og handicap- og psykiatriområdet "
                         "om opfølgningen.")
    assert segment_text(doc.text, para.segments) == para.text
    assert all("-" not in doc.text[s:e][-1:] for s, e in para.segments[:1])


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_old_mac_and_windows_line_ends_read_like_unix_ones(newline: str) -> None:
    unix = "# Handicappolitik\n\nVi vil styrke bostøtten.\n\n- Flere i egen bolig\n- Kortere ventetid\n"
    doc = read_text_document(unix.replace("\n", newline))
    assert _kinds(doc) == _kinds(read_text_document(unix))
    assert len(doc.text) == len(unix.replace("\n", newline))  # offsets are offsets into the file's text
    _check_provenance(doc)

"""The web-page reader on a municipal page with its full site chrome (tests/data/read/html/)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ingest.model import segment_text
from ingest.read import BlockKind, ReadDocument, ReadError, read_bytes, read_file

DATA = Path(__file__).resolve().parents[2] / "data" / "read" / "html"


@pytest.fixture(scope="module")
def page() -> ReadDocument:
    return read_file(DATA / "handicappolitik-holbaek.html")


def test_every_block_points_at_its_own_text(page: ReadDocument) -> None:
    assert page.format == "html"
    for block in page.blocks:
        assert segment_text(page.text, block.segments) == block.text


def test_page_metadata(page: ReadDocument) -> None:
    assert page.meta["title"] == "Handicappolitik 2025-2028"
    assert page.meta["html_title"] == "Handicappolitik 2025-2028 | Holbæk Kommune"
    assert page.meta["site_name"] == "Holbæk Kommune"
    assert page.meta["created"] == "2025-01-28"
    assert page.meta["description"].startswith("Politik for borgere med fysisk, psykisk og kognitivt handicap")
    assert page.meta["language"] == "da"


def test_headings_of_the_main_content_only(page: ReadDocument) -> None:
    headings = [(b.level, b.text) for b in page.blocks if b.kind is BlockKind.HEADING]
    assert headings == [
        (1, "Handicappolitik 2025-2028"),
        (2, "Vision"),
        (2, "Fire indsatsområder"),
        (3, "Uddannelse og beskæftigelse"),
        (3, "Bolig og hverdagsliv"),
        (3, "Fritid og fællesskab"),
        (3, "Tilgængelighed og kommunikation"),
        (4, "Sådan måler vi"),
        (2, "Handleplan"),
        (3, "Sådan blev politikken til"),  # an accordion's <summary>, one level under "Handleplan"
    ]


@pytest.mark.parametrize("chrome", [
    "cookies",  # cookie banner
    "Tillad alle",
    "Gå til hovedindhold",  # skip link
    "Politik og demokrati",  # menu and breadcrumbs
    "Politikker og strategier",
    "Forside",
    "Del på Facebook",  # share and print toolbar
    "Print siden",
    "Send som e-mail",
    "Søg på holbaek.dk",  # search form
    "Kontakt",  # sidebar
    "Psykiatripolitik",
    "Var siden nyttig",  # feedback box
    "Senest opdateret",  # article footer
    "Kanalstræde",  # site footer
    "Privatlivspolitik",
    "skjult",  # display:none
    "dataLayer",  # scripts
    "position:fixed",  # styles
])
def test_site_chrome_never_reaches_the_text(page: ReadDocument, chrome: str) -> None:
    assert chrome not in page.text


def test_paragraphs_keep_inline_markup_words_apart_and_lose_soft_hyphens(page: ReadDocument) -> None:
    paragraphs = [b.text for b in page.blocks if b.kind is BlockKind.PARAGRAPH]
    assert paragraphs[0].startswith("Byrådet vedtog den 22. januar 2025 en ny handicappolitik.")
    assert ("Politikken er udarbejdet i tæt samarbejde med Handicaprådet, handicaporganisationerne og en "
            "følgegruppe af borgere og pårørende.") in paragraphs
    assert any(p.startswith("Borgere med handicap skal have et hjem") for p in paragraphs)
    assert "Det vil vi:" in paragraphs


def test_lists_with_depth_numbers_and_markers(page: ReadDocument) -> None:
    items = [(b.depth, b.number or b.marker, b.text) for b in page.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        (0, "•", "styrke samarbejdet mellem jobcentret og virksomhederne om fleksjob og skånejob"),
        (0, "•", "give unge med handicap en særlig vejledning i overgangen fra skole til uddannelse"),
        (1, "•", "med en fast kontaktperson fra 8. klasse"),
        (1, "•", "med besøg på ungdomsuddannelserne"),
        (0, "•", "gå foran som arbejdsplads og ansætte flere medarbejdere med handicap"),
        (0, "1.", "Vi bygger 40 nye almene boliger med tilgængelighed inden 2027."),
        (0, "2.", "Vi tilbyder bostøtte i eget hjem før botilbud."),
        (0, "3.", "Vi sikrer, at borgeren selv er med til at lægge sin plan."),
        (0, "4.", "Alle kommunale kulturhuse og haller har en tilgængelighedsbeskrivelse på nettet."),  # start="4"
        (0, "5.", "Foreningspuljen prioriterer aktiviteter for borgere med og uden handicap sammen."),
        (0, "a.", "andelen af borgere, der oplever god tilgængelighed"),  # type="a"
        (0, "b.", "antallet af klager over tilgængelighed"),
    ]


def test_table_cells_with_headers_and_spans(page: ReadDocument) -> None:
    cells = {(b.row, b.col): b for b in page.blocks if b.kind is BlockKind.TABLE_CELL}
    assert [cells[(0, c)].text for c in range(3)] == ["Indsats", "Ansvarlig", "Frist"]
    merged = cells[(1, 1)]
    assert (merged.text, merged.header, merged.style) == ("Center for Børn og Unge", "Ansvarlig", {"rowspan": "2"})
    assert (2, 1) not in cells
    assert (cells[(2, 2)].text, cells[(2, 2)].header) == ("Januar 2026", "Frist")
    wide = cells[(3, 1)]
    assert (wide.text, wide.header, wide.style) == ("Kultur og Fritid, løbende i hele perioden", "Ansvarlig",
                                                    {"colspan": "2"})
    caption = next(b for b in page.blocks if b.style.get("caption"))
    assert caption.text == "Handleplan 2025-2026"


def test_page_without_main_or_article_yields_the_same_content(page: ReadDocument) -> None:
    """The densest container is found (and widened to the one holding the <h1>); Windows-1252 is decoded."""
    spec = importlib.util.spec_from_file_location("html_fixtures", DATA / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    data = fixtures.without_main((DATA / "handicappolitik-holbaek.html").read_text(encoding="utf-8"))
    assert b"<main" not in data and b"<article" not in data
    plain = read_bytes(data, file="uden-main.html")
    expected = [(b.kind, b.text.replace("FN’s", "FN's")) for b in page.blocks]
    assert [(b.kind, b.text) for b in plain.blocks] == expected


@pytest.mark.parametrize("name", ["xxe.xhtml", "billion-laughs.html"])
def test_entity_declarations_are_refused(name: str) -> None:
    path = DATA / "bad" / name
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert caught.value.reason == "xml-entities"
    assert caught.value.exit_code == 4
    assert str(caught.value).startswith(f"{path}: the page's DOCTYPE contains entity declarations")


def test_an_ordinary_xhtml_doctype_is_accepted() -> None:
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
             '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
             "<head><title>Ældrepolitik - Faxe Kommune</title></head><body><div id=\"indhold\">"
             "<h1>Ældrepolitik</h1><p>Ældre i Faxe Kommune skal kunne leve det liv, de ønsker, også når de får "
             "brug for hjælp.</p></div></body></html>")
    doc = read_bytes(xhtml.encode(), file="aeldrepolitik.xhtml")
    assert doc.meta["title"] == "Ældrepolitik"
    assert [b.text for b in doc.blocks][0] == "Ældrepolitik"


def test_a_page_of_chrome_only_warns() -> None:
    html = ('<!doctype html><html><body><nav><a href="/">Forside</a></nav>'
            '<div class="cookie-banner"><p>Vi bruger cookies til statistik og til at huske dine valg.</p></div>'
            "</body></html>")
    doc = read_bytes(html.encode(), file="tom.html")
    assert doc.blocks == []
    assert doc.warnings == ["tom.html: no main content found on the page"]


def test_title_in_a_banner_above_main_and_paragraphs_made_of_line_breaks() -> None:
    html = ('<!DOCTYPE html><html lang="da"><body><header class="site-header"><nav><a href="/">Forside</a></nav>'
            '</header><section class="hero"><h1>Sundhedspolitik 2024-2027</h1></section><main><div class="text">'
            "Sundhedspolitikken gælder for hele Faxe Kommune.<br><br>Den bygger på tre temaer:<br>"
            "trivsel, bevægelse og fællesskab.<ul><li>Trivsel</li></ul></div></main></body></html>")
    doc = read_bytes(html.encode(), file="sundhedspolitik.html")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (BlockKind.HEADING, "Sundhedspolitik 2024-2027"),
        (BlockKind.PARAGRAPH, "Sundhedspolitikken gælder for hele Faxe Kommune."),
        (BlockKind.PARAGRAPH, "Den bygger på tre temaer: trivsel, bevægelse og fællesskab."),
        (BlockKind.LIST_ITEM, "Trivsel"),
    ]
    assert doc.blocks[0].level == 1

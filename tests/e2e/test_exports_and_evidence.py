"""Exports, evidence and links in a real browser (headless Chromium against a real server): the »Eksportér til
Excel (CSV)« links of the search, overlap and compare pages download CSV that Danish Excel reads; the print
stylesheet hides navigation and forms and writes evidence addresses out; »Kilde« names the document by title,
year and page and links to the text's page and the original; an empty search answers with a message; a submitted
form's link carries only the filters in use."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.e2e

S14, S24, FAXE = "slagelse-2014", "slagelse-2024-2030", "faxe-strategi"
BOM = b"\xef\xbb\xbf"


def downloaded_rows(page: Any, link_name: str) -> tuple[str, list[dict[str, str]]]:
    """Click the export link, and read the downloaded file as Danish Excel would (BOM, UTF-8, ';')."""
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(link_name)).click()
    download = info.value
    body = Path(download.path()).read_bytes()
    assert body.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    return download.suggested_filename, rows


def test_export_links_download_csv_for_excel(page: Any, page_log: Any) -> None:
    page.goto("/?q=p%C3%A5r%C3%B8rende")
    shown = page.locator("ol.results > li").count()
    name, rows = downloaded_rows(page, "Eksportér til Excel")
    assert name == "soegning-paaroerende.csv"
    assert len(rows) == shown > 0
    assert any("pårørende" in r["Tekst"].lower() for r in rows)

    page.goto(f"/overlap?a={S24}&b={FAXE}")
    name, rows = downloaded_rows(page, "Eksportér til Excel")
    assert name == f"overlap-{S24}-{FAXE}.csv"
    assert len(rows) == page.locator("ol.pair-list > li").count() > 0
    assert {r["Kommune A"] for r in rows} == {"Slagelse Kommune"}

    page.goto(f"/sammenlign?fra={S14}&til={S24}")
    name, rows = downloaded_rows(page, "Eksportér til Excel")
    assert name == f"sammenligning-{S14}-{S24}.csv"
    assert "Videreført" in {r["Afsnit"] for r in rows}
    page_log.assert_clean()


def test_print_hides_navigation_and_forms_and_writes_addresses_out(page: Any, page_log: Any, shoot: Any) -> None:
    page.goto("/?q=netv%C3%A6rk&type=Principle")
    assert page.locator(".site-header").is_visible() and page.locator("form.search-form").is_visible()
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", "form.search-form", ".export", ".api-link"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("ol.results").is_visible()
    main_width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert main_width >= page.evaluate("document.body.clientWidth") - 1, "full width"
    after = page.evaluate("getComputedStyle(document.querySelector('.cite a'), '::after').content")
    assert "/node?id=" in after and after.strip('"').lstrip(" <").startswith("http"), after
    breaks = page.evaluate("getComputedStyle(document.querySelector('.result')).breakInside")
    assert breaks == "avoid"
    shoot(page, "search-print")
    page_log.assert_clean()


def test_kilde_names_title_year_and_page_and_links_to_the_passage_and_original(page: Any, page_log: Any,
                                                                              axe: Any) -> None:
    page.goto(f"/?q=sammenh%C3%A6ng+og+kvalitet&document={S14}")
    cite = page.locator("ol.results > li .cite").first
    text = cite.inner_text()
    assert re.search(r"Kilde: Slagelse Kommune: Strategi 2014 .* \(2014\), side \d+", text), text
    assert ".txt" not in text and "tegn" not in text
    original = cite.get_by_role("link", name=re.compile("Åbn originalen"))
    assert original.get_attribute("href") == f"/documents/{S14}/original"
    strength = page.locator("ol.results > li .strength").first.inner_text()
    assert re.match(r"Match: (stærk|middel|svag) – ", strength), strength
    axe(page, "search-evidence")

    page_number = re.search(r"side (\d+)", text).group(1)  # type: ignore[union-attr]
    cite.get_by_role("link", name=re.compile(r"\(2014\), side")).click()
    page.wait_for_url(re.compile(r"/node\?id="))
    source = page.locator("section[aria-labelledby=source-heading]")
    assert f"(2014), side {page_number}" in source.locator(".cite").inner_text()
    assert page.locator("#source-span").is_visible(), "the passage is shown"
    assert source.get_by_role("link", name=re.compile("Åbn originalen")).get_attribute("href") == \
        f"/documents/{S14}/original"
    facts = page.locator("dl.facts").inner_text()
    assert "Permanent henvisning" in facts and "IRI" not in facts
    axe(page, "node-evidence")
    with page.expect_response(re.compile(f"/documents/{S14}/original")) as response:
        page.goto(f"/documents/{S14}/original")
    assert response.value.status == 200
    page_log.assert_clean()


@pytest.mark.parametrize("width", [390, 1280])
def test_empty_search_shows_a_danish_message(page: Any, page_log: Any, axe: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(re.compile(r"\?q=$"))
    message = page.locator(".empty-query")
    assert "Søgefeltet er tomt" in message.inner_text()
    assert page.locator("ol.results").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe(page, f"search-empty-{width}")
    page.goto("/?q=%20%20%20")
    assert page.locator(".empty-query").is_visible()
    page_log.assert_clean()


def test_long_query_is_shortened_in_the_heading(page: Any, page_log: Any) -> None:
    query = " ".join(["bolig og netværk for borgere med handicap"] * 12)
    page.goto("/?q=" + query.replace(" ", "+"))
    heading = page.locator("#results-heading")
    assert len(heading.inner_text()) < 140
    assert heading.get_attribute("title") == query
    page.get_by_text("Vis hele søgningen").click()
    assert query in page.locator(".full-query").inner_text()
    page_log.assert_clean()


def test_a_submitted_search_link_carries_only_the_filters_in_use(page: Any, page_log: Any) -> None:
    page.goto("/")
    page.get_by_label("Søgeord").fill("netværk")
    page.locator("details.filters > summary").click()
    page.get_by_label("Type").select_option("Principle")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(re.compile(r"type=Principle"))
    assert parse_qs(urlsplit(page.url).query) == {"q": ["netværk"], "type": ["Principle"]}
    assert page.locator("ol.results > li").count() >= 1

    # A filter away from its default is sent; back and forward leave the form usable.
    page.get_by_role("radio", name="Ord", exact=True).check()
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(re.compile(r"mode=keyword"))
    assert parse_qs(urlsplit(page.url).query) == {"q": ["netværk"], "type": ["Principle"], "mode": ["keyword"]}
    page.go_back()
    page.wait_for_url(lambda url: "mode=" not in url)
    assert not page.get_by_label("Kommune").is_disabled()

    # The overlap form too.
    page.goto("/overlap")
    page.get_by_label("Dokument A").select_option(S24)
    page.get_by_label("Dokument B").select_option(FAXE)
    page.get_by_role("button", name="Vis overlap").click()
    page.wait_for_url(re.compile(r"b="))
    assert parse_qs(urlsplit(page.url).query) == {"a": [S24], "b": [FAXE]}
    page_log.assert_clean()

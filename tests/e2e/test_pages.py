"""The web pages in a real browser (headless Chromium) against a real uvicorn server.

Each test saves a screenshot to artefacts/e2e/ and checks the page with axe-core (no serious or critical
violations), and fails on console errors, Content-Security-Policy violations and requests leaving the server.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_search_netvaerk_principles_show_faxe_with_evidence(page: Any, page_log: Any, shoot: Any, axe: Any) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "da"
    shoot(page, "search-empty")
    axe(page, "search-empty")

    page.get_by_label("Søgeord").fill("netværk")
    page.locator("details.filters > summary").click()
    page.get_by_label("Type", exact=True).select_option(label="Princip")
    page.get_by_role("button", name="Søg", exact=True).click()

    heading = page.locator("#results-heading")
    heading.wait_for()
    assert re.search(r"\d+ principper for »netværk«", heading.inner_text())
    results = page.locator("ol.results > li")
    assert results.count() >= 3
    assert all(b == "Princip" for b in results.locator(".result-meta .badge").all_inner_texts())
    faxe = results.filter(has_text="Faxe Kommune")
    assert faxe.count() >= 3, "Faxe's principles on networks should be found"
    first = faxe.first
    assert first.locator(".breadcrumb li").count() >= 2  # document › bearing
    evidence = first.locator(".evidence li")
    assert evidence.count() >= 1
    marks = [m.lower() for m in faxe.locator(".evidence mark").all_inner_texts()]
    assert any("netværk" in m for m in marks), marks
    assert page.get_by_label("Type", exact=True).input_value() == "Principle"  # the form keeps the filter
    shoot(page, "search-netvaerk-principles")
    axe(page, "search-netvaerk-principles")
    page_log.assert_clean()


def test_node_page_from_a_search_result(page: Any, page_log: Any, shoot: Any, axe: Any) -> None:
    page.goto("/?q=netv%C3%A6rk&type=Principle&municipality=faxe")
    link = page.locator("ol.results > li .result-title a").first
    title = link.inner_text().strip()
    link.click()
    page.wait_for_url(re.compile(r"/node\?id="))
    assert page.locator("h1").inner_text().strip() == title
    crumbs = page.get_by_role("navigation", name="Placering i dokumentet")
    assert crumbs.locator("li").count() >= 2
    assert page.locator(".kicker .badge").inner_text() == "Princip"
    span = page.locator("pre.source mark#source-span")
    assert span.is_visible()
    assert title.split()[0] in span.inner_text()
    assert page.get_by_role("heading", name="Emner").is_visible()
    assert page.get_by_role("heading", name="Overlap i andre dokumenter").is_visible()
    assert page.locator("#children-heading").is_visible()
    shoot(page, "node")
    axe(page, "node")

    # The breadcrumb's document link leads to the document page.
    crumbs.locator("li a").first.click()
    page.wait_for_url(re.compile(r"/dokument/faxe-strategi"))
    page_log.assert_clean()


def test_node_iri_redirects_browsers_to_the_node_page(page: Any, live_server: str) -> None:
    page.goto("/id/faxe-strategi/bearing/2/principle/1")
    assert page.url == live_server + "/node?id=https://w3id.org/strategigraf/id/faxe-strategi/bearing/2/principle/1"
    assert page.locator("h1").is_visible()
    page.goto("/id/faxe-strategi")
    assert page.url == live_server + "/dokument/faxe-strategi"


def test_document_tree_is_collapsible_with_keyboard(page: Any, page_log: Any, shoot: Any, axe: Any) -> None:
    page.goto("/dokument/faxe-strategi")
    assert "Strategi for det specialiserede" in page.locator("h1").inner_text()
    item = page.locator(".tree li:has(> details:not([open]))").first.get_attribute("id")
    closed = page.locator(f"[id='{item}'] > details")
    summary = closed.locator("> summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert closed.get_attribute("open") is not None
    page.keyboard.press("Enter")
    assert closed.get_attribute("open") is None
    page.get_by_role("button", name="Fold alle ud").click()
    assert page.locator(".tree details:not([open])").count() == 0
    shoot(page, "document")
    axe(page, "document")
    page.get_by_role("button", name="Fold alle sammen").click()
    assert page.locator(".tree details[open]").count() == 0
    page_log.assert_clean()


def test_document_tree_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    try:
        page = context.new_page()
        page.goto("/dokument/slagelse-2024-2030")
        assert page.locator(".tree-tools").is_hidden()  # the JS-only buttons stay hidden
        item = page.locator(".tree li:has(> details)").first.get_attribute("id")
        details = page.locator(f"[id='{item}'] > details")
        was_open = details.get_attribute("open") is not None
        details.locator("> summary").click()
        assert (details.get_attribute("open") is not None) is not was_open
        details.locator("> summary").click()
        assert (details.get_attribute("open") is not None) is was_open
        assert page.locator(".tree details").count() >= 8  # Slagelse 2024-2030 has 8 tracks
    finally:
        context.close()


def test_documents_list(page: Any, page_log: Any, shoot: Any, axe: Any) -> None:
    page.goto("/dokumenter")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 5
    assert page.get_by_role("link", name="Politiske pejlemærker 2019").is_visible()
    shoot(page, "documents")
    axe(page, "documents")
    page_log.assert_clean()


def test_keyboard_skip_link_and_visible_focus(page: Any) -> None:
    page.goto("/dokumenter")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link must become visible when focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "indhold"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused == "A"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_overlap_view_shows_heatmap_and_pairs(page: Any, page_log: Any, shoot: Any, axe: Any) -> None:
    page.goto("/overlap")
    assert page.locator("#pairs-overview + table tbody tr, table.data tbody tr").count() >= 3  # document pairs
    axe(page, "overlap-start")
    page.get_by_label("Dokument A").select_option("faxe-strategi")
    page.get_by_label("Dokument B").select_option("slagelse-2024-2030")
    page.get_by_role("button", name="Vis overlap").click()
    page.wait_for_url(re.compile(r"a=faxe-strategi&b=slagelse-2024-2030"))

    assert page.locator("table.heatgrid tbody tr").count() >= 5  # Faxe's principles (or bearings) as rows
    assert page.locator("table.heatgrid td.hm-cell a").count() > 0  # cells link to their pairs
    assert "format=svg" in (page.get_by_role("link", name="SVG").get_attribute("href") or "")
    heading = page.locator("#pairs-heading").inner_text()
    count = int(heading.split()[0])
    assert count > 10, heading
    pairs = page.locator("ol.pair-list > li")
    assert pairs.count() == min(count, 150)
    first = pairs.first
    assert first.locator(".strength-word").inner_text() in ("Stærk", "Middel", "Svag")
    assert re.search(r"score \d,\d\d", first.locator(".score-note").inner_text())
    assert re.match(r"Hvorfor (stærk|middel|svag): \S", first.locator(".pair-why").inner_text())
    assert first.locator("a").count() >= 2
    page.locator("details.matrix-table > summary").click()
    assert page.locator("table.heat tbody tr").count() >= 5  # Faxe's principles (or bearings) as rows
    shoot(page, "overlap")
    axe(page, "overlap")
    page_log.assert_clean()


def test_compare_view_for_one_municipality_across_years(page: Any, page_log: Any, shoot: Any, axe: Any) -> None:
    page.goto("/sammenlign")
    page.get_by_label("Kommune", exact=True).select_option("slagelse")
    page.get_by_label("Fra (tidligere dokument)").select_option("slagelse-2019")
    page.get_by_label("Til (senere dokument)").select_option("slagelse-2024-2030")
    page.get_by_role("button", name="Sammenlign").click()
    page.wait_for_url(re.compile(r"fra=slagelse-2019"))
    assert page.locator("#summary-heading").inner_text() == "Fra 2019 til 2024"
    assert page.locator("#carried-heading").is_visible()
    assert page.locator("#new-heading").is_visible() and page.locator("#dropped-heading").is_visible()
    carried = page.locator("#carried-heading + ol.pair-list > li")
    assert carried.count() >= 1
    shoot(page, "compare")
    axe(page, "compare")

    page.goto("/sammenlign?kommune=slagelse&fra=slagelse-2014&til=slagelse-2015-opfoelgning")
    assert page.get_by_role("heading", name=re.compile("^Opfølgning")).is_visible()
    assert page.locator(".followups .status").count() >= 3
    shoot(page, "compare-follow-up")
    page_log.assert_clean()


def test_topic_pages(page: Any, page_log: Any, shoot: Any, axe: Any) -> None:
    page.goto("/emner")
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 10
    shoot(page, "topics")
    axe(page, "topics")
    page.get_by_role("link", name="Netværk og pårørende", exact=True).click()
    page.wait_for_url(re.compile(r"/emner/netvaerk-og-paaroerende"))
    assert page.locator("h1").inner_text() == "Netværk og pårørende"
    for name in ("Faxe Kommune", "Slagelse Kommune"):
        section = page.locator("section.topic-muni").filter(has=page.get_by_role("heading", name=name, exact=True))
        assert section.locator(".cover-head").count() >= 1, name
    faxe = page.locator("section.topic-muni").filter(has=page.get_by_role("heading", name="Faxe Kommune"))
    assert "Princip" in faxe.locator(".cover-head .badge").all_inner_texts()
    shoot(page, "topic")
    axe(page, "topic")

    # The topic filter of the search page.
    page.goto("/?q=netv%C3%A6rk&topic=netvaerk-og-paaroerende")
    assert page.get_by_label("Emne").input_value() == "netvaerk-og-paaroerende"
    assert page.locator("ol.results > li").count() >= 1
    page_log.assert_clean()


def test_sparql_editor_runs_an_example_and_downloads_csv(page: Any, page_log: Any, shoot: Any, axe: Any) -> None:
    page.goto("/sparql-editor")
    page.locator(".yasqe .CodeMirror").wait_for()
    shoot(page, "sparql-empty")
    axe(page, "sparql-empty")

    example = page.locator("li.example").filter(has_text="Principper om netværk pr. kommune")
    example.get_by_role("button", name=re.compile("Kør eksemplet")).click()
    rows = page.locator(".yasr table tbody tr")
    rows.first.wait_for()
    assert rows.count() >= 3
    assert "Faxe Kommune" in page.locator(".yasr table tbody").inner_text()
    assert "netværk" in page.evaluate("window.strategigrafYasgui.getTab().getQuery()")

    with page.expect_download() as info:
        page.get_by_role("button", name="CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as fh:
        header = fh.readline()
    assert "kommune" in header and "princip" in header
    page.locator(".download .dl-status").filter(has_text="hentet").wait_for()

    shoot(page, "sparql-results")
    axe(page, "sparql-results")
    page_log.assert_clean()  # includes: no Content-Security-Policy violations from YASGUI


def test_not_found_pages_are_html(page: Any) -> None:
    response = page.goto("/node?id=https://w3id.org/strategigraf/id/findes-ikke")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Ikke fundet"
    response = page.goto("/dokument/findes-ikke")
    assert response is not None and response.status == 404

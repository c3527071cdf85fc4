"""The overlap page in a real browser (headless Chromium against a real server): the topic filter narrows the pairs
to those sharing the topic (and combines with the level filter), each container of document A stands once with
the containers of B and the pairs beneath it, a heat-map cell links to exactly the pairs it counts, the heat map's
names are legible and whole on focus, and the page stays within a phone's width. Also the compare page's wording
(counts in the right number, no bare scores).

What is expected is read from the server's JSON API (/overlaps, /overlaps/matrix), so the tests hold for any
corpus whose two documents overlap."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

S24, FAXE = "slagelse-2024-2030", "faxe-strategi"
PAGE = "/overlap?" + urlencode({"a": S24, "b": FAXE})


def api(page: Any, path: str, **params: str) -> Any:
    response = page.request.get(path + "?" + urlencode({"a": S24, "b": FAXE, **params}))
    assert response.ok, (path, params, response.status)
    return response.json()


def heading_count(page: Any) -> int:
    text = page.locator("#pairs-heading").inner_text()
    match = re.match(r"(\d+) matchende par$", text)
    assert match, text
    return int(match.group(1))


def node_id(href: str | None) -> str:
    return parse_qs(urlsplit(href or "").query)["id"][0]


def shown_pairs(page: Any) -> list[tuple[str, str]]:
    """(node of A, node of B) of every pair on the page, in page order (the two side links of each pair)."""
    out = []
    for item in page.locator("li.pair").all():
        sides = item.locator(".pair-side a")
        assert sides.count() == 2
        out.append((node_id(sides.nth(0).get_attribute("href")), node_id(sides.nth(1).get_attribute("href"))))
    return out


def lies_in(node: dict[str, Any], container: str) -> bool:
    return node["id"] == container or container in {a["id"] for a in node["ancestors"]}


def test_topic_filter_shows_only_pairs_sharing_the_topic(page: Any, page_log: Any, shoot: Any) -> None:
    page.goto(PAGE)
    total = heading_count(page)
    counted = []  # (topic id, label, pairs) of each topic offered
    for option in page.locator("#topic option").all():
        if option.get_attribute("value"):
            match = re.fullmatch(r"(.+) \((\d+)\)", option.inner_text())
            assert match, option.inner_text()
            counted.append((option.get_attribute("value") or "", match.group(1), int(match.group(2))))
    assert len(counted) >= 3
    topic, label, expected = max(counted, key=lambda t: t[2])
    assert 0 < expected < total

    page.get_by_label("Emne").select_option(topic)
    page.get_by_role("button", name="Vis overlap").click()
    page.wait_for_url(re.compile(r"topic="))
    assert parse_qs(urlsplit(page.url).query) == {"a": [S24], "b": [FAXE], "topic": [topic]}
    assert heading_count(page) == expected == page.locator("li.pair").count()
    for item in page.locator("li.pair").all():
        assert label.lower() in item.locator(".pair-topics").inner_text().lower()
    assert label.lower() in page.locator(".pairs-filter").inner_text().lower()
    body = api(page, "/overlaps", topic=topic)
    assert body["count"] == expected
    assert set(shown_pairs(page)) == {(p["a"]["id"], p["b"]["id"]) for p in body["pairs"]}
    shoot(page, "overlap-topic")

    # Combined with the level filter: pairs with a statement on the topic, as the API lists them.
    page.get_by_label("Niveau").select_option("statement")
    page.get_by_role("button", name="Vis overlap").click()
    page.wait_for_url(re.compile(r"level=statement"))
    both = api(page, "/overlaps", topic=topic, level="statement")
    assert 0 < both["count"] <= expected
    assert heading_count(page) == both["count"] == page.locator("li.pair").count()
    assert set(shown_pairs(page)) == {(p["a"]["id"], p["b"]["id"]) for p in both["pairs"]}
    page_log.assert_clean()


def test_pairs_stand_under_their_containers_each_container_once(page: Any, page_log: Any) -> None:
    page.goto(PAGE)
    pairs = {(p["a"]["id"], p["b"]["id"]): p for p in api(page, "/overlaps")["pairs"]}
    groups = page.locator("details.container-group")
    containers = [g.get_attribute("data-container") for g in groups.all()]
    assert len(containers) >= 3 and len(set(containers)) == len(containers), "a container of A stands once"
    seen = 0
    for group in groups.all():
        ca = group.get_attribute("data-container") or ""
        matches = group.locator(".container-match")
        bs = [m.get_attribute("data-container") for m in matches.all()]
        assert bs and len(set(bs)) == len(bs), "a container of B stands once under each container of A"
        for match in matches.all():
            cb = match.get_attribute("data-container") or ""
            for item in match.locator("li.pair").all():
                sides = item.locator(".pair-side a")
                key = (node_id(sides.nth(0).get_attribute("href")), node_id(sides.nth(1).get_attribute("href")))
                pair = pairs[key]
                assert lies_in(pair["a"], ca) and lies_in(pair["b"], cb), (key, ca, cb)
                seen += 1
        summary = group.locator("summary").inner_text()
        assert re.search(r"\d+ matchende par med \d+ punkt(er)? i ", summary), summary
    assert seen == len(pairs) == heading_count(page), "every pair once, under its containers"
    page_log.assert_clean()


def test_heat_map_cell_links_to_the_pairs_it_counts(page: Any, page_log: Any, shoot: Any) -> None:
    page.goto(PAGE)
    matrix = api(page, "/overlaps/matrix")
    cells = page.locator("table.heatgrid td.hm-cell a")
    assert cells.count() >= 5
    counts = [int(c.get_attribute("data-count") or 0) for c in cells.all()]
    assert [int(c.inner_text()) for c in cells.all()] == counts
    cell = cells.nth(max(range(len(counts)), key=counts.__getitem__))
    count = counts[max(range(len(counts)), key=counts.__getitem__)]
    assert count >= 2
    assert re.search(rf": {count} matchende par, (stærkt|middel|svagt) overlap$", cell.get_attribute("aria-label") or "")
    cell.click()
    page.wait_for_url(re.compile(r"container_b="))
    query = parse_qs(urlsplit(page.url).query)
    row, column = query["container_a"][0], query["container_b"][0]
    assert row in {r["id"] for r in matrix["rows"]} and column in {c["id"] for c in matrix["columns"]}
    assert heading_count(page) == count == page.locator("li.pair").count()
    expected = {(p["a"]["id"], p["b"]["id"]) for p in api(page, "/overlaps")["pairs"]
                if lies_in(p["a"], row) and lies_in(p["b"], column)}
    assert set(shown_pairs(page)) == expected and len(expected) == count
    assert [g.get_attribute("data-container") for g in page.locator("details.container-group").all()] == [row]
    assert page.locator("details.container-group[open]").count() == 1
    assert "Vis alle par" in page.locator(".pairs-filter").inner_text()
    shoot(page, "overlap-cell")
    page.get_by_role("link", name="Vis alle par").click()
    page.wait_for_url(lambda url: "container_" not in url)
    assert heading_count(page) > count
    page_log.assert_clean()


def test_heat_map_names_are_legible_and_whole_on_focus(page: Any, page_log: Any) -> None:
    page.goto(PAGE)
    matrix = api(page, "/overlaps/matrix")
    sizes = page.eval_on_selector_all(".heatgrid .hm-short, .heatgrid .hm-cell",
                                      "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) == len(matrix["rows"]) + len(matrix["columns"]) * (1 + len(matrix["rows"]))
    assert min(sizes) >= 12
    longest = max(range(len(matrix["columns"])), key=lambda j: len(matrix["columns"][j]["label"]))
    full_name = matrix["columns"][longest]["label"]
    label = page.locator("table.heatgrid thead th .hm-label").nth(longest)
    tip = label.locator(".hm-full")
    assert (tip.bounding_box() or {"width": 0})["width"] <= 1, "the full name is hidden until asked for"
    label.focus()
    box = tip.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 10
    assert tip.inner_text().startswith(full_name)
    assert float(tip.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 12
    # Row names too, by keyboard: Tab from the last column name reaches the first row name.
    page.locator("table.heatgrid thead th .hm-label").last.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('tbody th') !== null")
    assert focused
    assert page.evaluate("document.activeElement.querySelector('.hm-full').innerText").startswith(
        matrix["rows"][0]["label"])
    page_log.assert_clean()


@pytest.mark.parametrize("width", [390, 1280])
def test_filtered_page_fits_the_width_and_passes_axe(browser: Any, live_server: str, width: int) -> None:
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900}, base_url=live_server)
    try:
        page = context.new_page()
        page.goto(PAGE)
        cell = page.locator("table.heatgrid td.hm-cell a").first
        cell.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"container_b="))
        page.locator("table.heatgrid thead th .hm-label").last.focus()  # a full name shown
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page, f"overlap-cell-{width}")
    finally:
        context.close()


def test_compare_page_counts_in_the_right_number_and_says_strength_not_score(page: Any, page_log: Any) -> None:
    page.goto("/sammenlign?" + urlencode({"fra": FAXE, "til": S24}))
    text = " ".join(page.locator("main").inner_text().split())
    stats = page.locator("ul.stats li").all_inner_texts()
    assert len(stats) == 3
    for stat in stats:
        number, noun = stat.split(" ", 1)
        assert (number == "1") == bool(re.match(r"(fælles )?tema\b", noun)), stat
    assert not re.search(r"\b1 (nye|videreførte|temaer|matchende tekststykker)\b", text)
    assert not re.search(r"\bscore\b|\bIRI\b|\bknude", text, flags=re.I)
    assert re.search(r"Hvorfor (stærk|middel|svag): \S", text)
    page_log.assert_clean()

"""Every page at a phone's width (390 px) and a laptop's (1280 px) in Chromium: the page itself never scrolls
sideways (wide tables and the heat-map scroll inside their own box), and axe-core finds no serious or critical
violation on any page, the SPARQL editor with results included."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.site_pages import SitePage, admin_server, run_first_sparql_example, site_pages

pytestmark = pytest.mark.e2e
WIDTHS = (390, 1280)
__all__ = ["admin_server"]  # a fixture used below


def page_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def too_wide(page: Any, width: int) -> str:
    """The elements that stick out of the viewport outside any scrolling box (for the failure message)."""
    return str(page.evaluate("""(w) => Array.from(document.querySelectorAll('body *')).filter(e => {
        if (e.getBoundingClientRect().right <= w + 1) return false;
        for (let p = e.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return false; }
        return true; }).slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + e.className).join(', ')""", width))


def check(page: Any, site_page: SitePage, width: int) -> list[str]:
    response = page.goto(site_page.path)
    assert response is not None and response.status == site_page.status, (site_page.path, response and response.status)
    if site_page.sparql_results:
        run_first_sparql_example(page)
    problems = []
    if page_width(page) > width:
        problems.append(f"{site_page.name} ({site_page.path}) is {page_width(page)} px wide at {width} px: "
                        f"{too_wide(page, width)}")
    assert_accessible(page, f"{site_page.name}-{width}")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_axe_finds_nothing_serious(browser: Any, live_server: str, width: int) -> None:
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900}, base_url=live_server)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems = [p for site_page in site_pages(live_server) for p in check(page, site_page, width)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_upload_page_fits_and_passes_axe(browser: Any, admin_server: str, width: int) -> None:
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900}, base_url=admin_server)
    try:
        page = context.new_page()
        assert check(page, SitePage("upload", "/admin/dokumenter"), width) == []
    finally:
        context.close()

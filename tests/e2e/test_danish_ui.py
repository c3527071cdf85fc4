"""No English in what a person reads: every page in Chromium (and the error pages for a bad year range, an
unknown URL and a bad SPARQL query, in the editor and as a page) is read — its visible text and the names and
hints of its controls — and fails on a list of English UI words.

Left out: text marked as English (lang="en": a term's English name, a parser's technical message folded under
»Teknisk besked«) and text quoted from the corpus manifest (class data-text: data, in whatever language its
maintainer wrote it)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.site_pages import SitePage, admin_server, run_first_sparql_example, site_pages

pytestmark = pytest.mark.e2e
__all__ = ["admin_server"]  # a fixture used below

ENGLISH = ["Showing", "entries", "entry", "must", "Response", "Table", "Not Found", "Not found",
           "Internal Server Error", "Search", "Page size", "results", "seconds", "Simple view", "Ellipse",
           "Download", "Share query", "Run query", "Filter query", "Previous", "Next", "First", "Last", "No data",
           "Invalid", "unknown", "should", "Field required", "expected", "Try query", "Query syntax", "error at",
           "Close tab", "Add tab", "Open settings", "Unauthorized", "Method Not Allowed", "characters", "Activate",
           "Bad request", "not valid", "Loading"]
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")

READ = """() => {
  const skip = el => el.closest('[lang="en"], .data-text, .CodeMirror-lines');
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || skip(el) || !node.nodeValue.trim()) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (el.checkVisibility && !el.checkVisibility() && !el.closest('.visually-hidden')) continue;
    out.push(node.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    if (skip(el)) continue;
    for (const a of ['title', 'aria-label', 'placeholder', 'alt']) { const v = el.getAttribute(a); if (v) out.push(v); }
  }
  out.push(document.title);
  return out;
}"""


def english_in(page: Any) -> list[str]:
    texts: list[str] = page.evaluate(READ)
    return sorted({f"{m.group(0)!r} in {t[:120]!r}" for t in texts for m in [ENGLISH_RE.search(t)] if m})


def read(page: Any, site_page: SitePage) -> list[str]:
    response = page.goto(site_page.path)
    assert response is not None and response.status == site_page.status, (site_page.path, response and response.status)
    if site_page.sparql_results:
        run_first_sparql_example(page)
    return [f"{site_page.name}: {hit}" for hit in english_in(page)]


def test_no_english_ui_words_on_any_page(page: Any, live_server: str) -> None:
    found = [hit for site_page in site_pages(live_server) for hit in read(page, site_page)]
    assert not found, "English in the UI:\n" + "\n".join(found)


def test_a_bad_sparql_query_in_the_editor_is_explained_in_danish(page: Any) -> None:
    page.goto("/sparql-editor")
    page.locator(".yasqe .CodeMirror").wait_for()
    page.evaluate("void window.strategigrafYasgui.getTab().setQuery('SELEC ?x WHERE { ?x ?y ?z }')")
    page.evaluate("void window.strategigrafYasgui.getTab().query()")
    error = page.locator(".sparql-error")
    error.wait_for()
    assert "ikke gyldig SPARQL" in error.inner_text()
    assert "{" not in error.inner_text(), "the problem's JSON must not be shown raw"
    found = english_in(page)
    assert not found, "English in the editor's error:\n" + "\n".join(found)


def test_the_upload_page_is_danish(browser: Any, admin_server: str) -> None:
    context = browser.new_context(locale="da-DK", base_url=admin_server)
    try:
        found = read(context.new_page(), SitePage("upload", "/admin/dokumenter"))
    finally:
        context.close()
    assert not found, "English in the UI:\n" + "\n".join(found)

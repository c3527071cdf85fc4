"""Browser fixtures for the end-to-end tests: Debian's headless Chromium driven by Playwright for Python.

Chromium is never downloaded (``playwright install`` cannot reach its CDN here): the tests use the system
browser at /usr/bin/chromium (override with STRATEGIGRAF_CHROMIUM). When it is missing the tests FAIL with
a message saying how to install it, so CI cannot pass by skipping them.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "artefacts" / "e2e"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("STRATEGIGRAF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Chromium (uses the ``browser`` fixture, directly or through ``page``) with
    ``browser``, so that ``make test-fast`` (``-m "not browser and not model"``) can leave them out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def _chromium_path() -> str:
    path = CHROMIUM if os.path.isabs(CHROMIUM) else shutil.which(CHROMIUM)
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: the browser tests need Debian's chromium package "
                    "(apt-get install -y chromium; `make test` installs it when run as root) or "
                    "STRATEGIGRAF_CHROMIUM pointing at a Chromium binary", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = _chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[dev]'", pytrace=False)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageLog:
    """What the page said on the console, and requests that failed, during one test."""

    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(self.csp_violations)
        assert not self.external_requests, "requests left the server:\n" + "\n".join(self.external_requests)
        assert not self.console_errors, "console errors:\n" + "\n".join(self.console_errors)
        assert not self.failed_requests, "failed requests:\n" + "\n".join(self.failed_requests)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Any, live_server: str, page_log: PageLog) -> Iterator[Any]:
    """A fresh page (own context: no cookies or storage from other tests), Danish locale, 1280×900."""
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}, base_url=live_server,
                                  accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)

    def on_console(msg: Any) -> None:
        text = msg.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            page_log.csp_violations.append(text)
        elif msg.type == "error":
            page_log.console_errors.append(text)

    def on_request(request: Any) -> None:
        url = request.url
        if not url.startswith((live_server, "data:", "blob:", "about:")):
            page_log.external_requests.append(url)

    def on_response(response: Any) -> None:
        if response.status >= 500:
            page_log.failed_requests.append(f"{response.status} {response.url}")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: page_log.console_errors.append(f"page error: {exc}"))
    pg.on("request", on_request)
    pg.on("response", on_response)
    # securitypolicyviolation events reach the console only as messages; listen for them too
    pg.add_init_script("""
        document.addEventListener('securitypolicyviolation', function (e) {
          console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI);
        });
    """)
    yield pg
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot to artefacts/e2e/<name>.png (gitignored) and return its path."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_axe(page: Any, name: str, exclude: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the page; write the report to artefacts/e2e/<name>.axe.json; return the serious and
    critical violations. axe is evaluated through the DevTools protocol, so the page's CSP is untouched."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    context: dict[str, Any] = {"exclude": [[sel] for sel in exclude]} if exclude else {}
    result = page.evaluate(
        """async ([context, tags]) => {
             const r = await axe.run(Object.keys(context).length ? context : document,
                                     {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 200),
                                                                      summary: n.failureSummary}))}));
           }""", [context, AXE_TAGS])
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / f"{name}.axe.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Any, name: str, exclude: list[str] | None = None) -> None:
    bad = run_axe(page, name, exclude)
    assert not bad, f"axe: serious/critical violations on {name}:\n" + json.dumps(bad, ensure_ascii=False, indent=2)


@pytest.fixture
def shoot() -> Any:
    """``shoot(page, name)``: a full-page screenshot to artefacts/e2e/<name>.png."""
    return screenshot


@pytest.fixture
def axe() -> Any:
    """``axe(page, name)``: fail on serious or critical axe-core violations (report in artefacts/e2e/)."""
    return assert_accessible

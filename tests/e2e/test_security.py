"""Security constraints of the pages: CSP without inline script, nosniff, Referrer-Policy, escaping."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

PAGES = ["/", "/?q=netv%C3%A6rk&type=Principle", "/dokumenter", "/dokument/faxe-strategi",
         "/node?id=https://w3id.org/strategigraf/id/faxe-strategi/bearing/2/principle/1", "/overlap",
         "/sammenlign", "/emner", "/sparql-editor"]
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("path", PAGES)
def test_html_pages_send_security_headers_and_no_inline_script(live_server: str, path: str) -> None:
    r = httpx.get(live_server + path, headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    csp = directives(r.headers["content-security-policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert not INLINE_SCRIPT.search(r.text), "inline <script> found"
    assert not INLINE_HANDLER.search(r.text), "inline event handler attribute found"
    assert not STYLE_ATTR.search(r.text), "inline style attribute found"
    assert "cdn" not in r.text.lower()


def test_static_files_are_served_with_nosniff(live_server: str) -> None:
    for path in ["/static/css/site.css", "/static/js/site.js", "/static/vendor/yasgui/yasgui.min.js",
                 "/static/vendor/yasgui/yasgui.min.css"]:
        r = httpx.get(live_server + path, timeout=30)
        assert r.status_code == 200, path
        assert r.headers["x-content-type-options"] == "nosniff"
    assert httpx.get(live_server + "/static/nope.js", timeout=30).status_code == 404
    assert httpx.get(live_server + "/static/%2e%2e/routes.py", timeout=30).status_code == 404


def test_user_input_is_escaped(live_server: str) -> None:
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    r = httpx.get(live_server + "/", params={"q": payload, "type": "Principle"}, timeout=30)
    assert r.status_code in (200, 422)
    assert "<script>alert(1)" not in r.text
    assert "<img src=x" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    r = httpx.get(live_server + "/node", params={"id": payload}, timeout=30)
    assert r.status_code == 404
    assert "<script>alert(1)" not in r.text


def test_script_in_the_query_does_not_run_in_the_browser(page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E")
    assert page.get_by_label("Søgeord").input_value().startswith("<script>")
    assert not dialogs
    assert page.locator("img[src='x']").count() == 0

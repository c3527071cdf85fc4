"""service/pages/security.py: the security headers of the pages (all of them on HTML, the content-type ones on
anything else), on a small app of its own (the headers of the real pages: test_views.py; in a browser:
tests/e2e/test_security.py)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.testclient import TestClient

from service.pages.security import COMMON_HEADERS, CSP, HTML_HEADERS, SecureRoute, apply_security_headers


def test_html_gets_every_header_other_content_the_content_type_ones() -> None:
    page = apply_security_headers(HTMLResponse("<p>Hej</p>"))
    assert {k: page.headers[k] for k in HTML_HEADERS} == HTML_HEADERS
    data = apply_security_headers(JSONResponse({"a": 1}))
    assert {k: data.headers[k] for k in COMMON_HEADERS} == COMMON_HEADERS
    assert "content-security-policy" not in data.headers and "x-frame-options" not in data.headers


def test_a_header_the_response_set_itself_is_kept() -> None:
    response = HTMLResponse("<p>Hej</p>", headers={"Referrer-Policy": "no-referrer"})
    assert apply_security_headers(response).headers["referrer-policy"] == "no-referrer"


def test_the_policy_allows_no_inline_script_and_no_framing() -> None:
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["script-src"] == "'self'" and "unsafe-inline" not in CSP
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_a_router_of_secure_routes_adds_the_headers_to_every_response() -> None:
    router = APIRouter(route_class=SecureRoute)

    @router.get("/side", response_class=HTMLResponse)
    def page() -> str:
        return "<p>Hej</p>"

    @router.get("/tekst")
    def text() -> Response:
        return PlainTextResponse("hej")

    app = FastAPI()
    app.include_router(router)

    @app.get("/uden")
    def plain() -> Response:
        return HTMLResponse("<p>Hej</p>")

    with TestClient(app) as client:
        assert client.get("/side").headers["content-security-policy"] == CSP
        assert client.get("/tekst").headers["x-content-type-options"] == "nosniff"
        assert "content-security-policy" not in client.get("/uden").headers  # only the router's routes

"""service/asgi.py: the shortcut for plain GET /search answers exactly what the full application answers (status,
headers, bytes), everything it should not answer takes the full way, and the access log has one line per
request, also from a real `strategigraf serve`."""

from __future__ import annotations

import logging
import logging.config
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.asgi import ACCESS_LOGGER, ServiceApp, log_config, path_with_query

PLAIN = ["q=netv%C3%A6rk", "q=Hvilke+principper+d%C3%A6kker+netv%C3%A6rk%3F", "q=p%C3%A5r%C3%B8rende&k=3&type=Principle",
         "q=bolig&municipality=slagelse&year_from=2019&year_to=2030", "q=recovery&mode=keyword&literal=true",
         "q=hj%C3%A6lp+til+misbrug&mode=semantic&k=100", "q=x&type=Track&type=Bearing&format=json",
         "q=Hvad+siger+Odense+om+frivillighed%3F", "q=fritid&topic=netvaerk-og-paaroerende"]
"""Plainly valid searches: questions, filters, modes, repeated types, a municipality without documents."""


def _scope(query: str, path: str = "/search", method: str = "GET",
           headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "query_string": query.encode(),
            "headers": headers or [], "http_version": "1.1", "client": ("127.0.0.1", 5000)}


def _full_way(client: TestClient, query: str) -> httpx.Response:
    """The answer of the application without its shortcuts, from a cold response cache."""
    app: ServiceApp = client.app  # type: ignore[assignment]
    app.state.service.generation.json_cache.clear()
    shortcuts, app.shortcuts = app.shortcuts, {}
    try:
        return client.get("/search?" + query)
    finally:
        app.shortcuts = shortcuts


@pytest.mark.parametrize("query", PLAIN)
def test_the_shortcut_answers_byte_for_byte_what_the_route_answers(client: TestClient, query: str) -> None:
    app: ServiceApp = client.app  # type: ignore[assignment]
    full = _full_way(client, query)
    app.state.service.generation.json_cache.clear()
    short = client.get("/search?" + query)
    assert full.status_code == short.status_code == 200
    assert short.content == full.content
    assert list(short.headers.items()) == list(full.headers.items())


@pytest.mark.parametrize("query", PLAIN)
def test_plain_searches_are_answered_by_the_shortcut(client: TestClient, query: str) -> None:
    app: ServiceApp = client.app  # type: ignore[assignment]
    body = client.portal.call(app.shortcuts["/search"], app, _scope(query))  # on the app's own event loop
    assert body is not None and body.startswith(b'{"query":')


@pytest.mark.parametrize("query", ["q=x&format=csv", "k=5", "q=x&k=0", "q=x&unknown=1", "q=x&q=y"])
def test_downloads_and_requests_to_validate_are_left_to_fastapi(client: TestClient, query: str) -> None:
    app: ServiceApp = client.app  # type: ignore[assignment]
    assert client.portal.call(app.shortcuts["/search"], app, _scope(query)) is None


@pytest.mark.parametrize(("query", "headers", "method"), [
    ("q=x&municipality=atlantis", [], "GET"),  # refused by the search: FastAPI renders the 422
    ("q=" + "x" * 20_000, [], "GET"),  # LimitsMiddleware's 414
    ("q=netv%C3%A6rk", [(b"content-length", b"3")], "GET"),  # a body: LimitsMiddleware's to judge
    ("q=netv%C3%A6rk", [], "HEAD"),
])
def test_the_entry_leaves_what_a_middleware_or_handler_answers_to_them(
        client: TestClient, query: str, headers: list[tuple[bytes, bytes]], method: str) -> None:
    app: ServiceApp = client.app  # type: ignore[assignment]
    assert client.portal.call(app._shortcut, _scope(query, headers=headers, method=method)) is None


def test_refusals_and_limits_are_answered_as_before(client: TestClient) -> None:
    refused = client.get("/search", params={"q": "netværk", "municipality": "atlantis"})
    assert refused.status_code == 422 and "atlantis" in refused.json()["detail"]
    assert client.get("/search?q=" + "x" * 20_000).status_code == 414
    assert client.get("/search?q=netv%C3%A6rk&format=csv").headers["content-type"].startswith("text/csv")


def test_a_cross_origin_search_takes_the_full_way_for_its_cors_headers(settings: Any) -> None:
    from service.app import create_app

    configured = settings.model_copy(update={"cors_origins": ["https://kommune.example"]})
    with TestClient(create_app(configured)) as client:
        ok = client.get("/search?q=netv%C3%A6rk", headers={"Origin": "https://kommune.example"})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://kommune.example"
        same_site = client.get("/search?q=netv%C3%A6rk")
        assert same_site.content == ok.content and "access-control-allow-origin" not in same_site.headers


def test_access_line_arguments(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        for path in ("/search?q=netv%C3%A6rk&k=2", "/search?q=netv%C3%A6rk&k=0", "/no-such-page", "/health"):
            client.get(path)
    lines = [r.args for r in caplog.records if r.name == ACCESS_LOGGER]
    assert lines == [("testclient:50000", "GET", "/search?q=netv%C3%A6rk&k=2", "1.1", 200),
                     ("testclient:50000", "GET", "/search?q=netv%C3%A6rk&k=0", "1.1", 422),
                     ("testclient:50000", "GET", "/no-such-page", "1.1", 404),
                     ("testclient:50000", "GET", "/health", "1.1", 200)]


def test_the_logged_path_is_percent_encoded_as_uvicorn_writes_it() -> None:
    scope = _scope("q=" + urllib.parse.quote("ø"), path="/dokumenter/æ ø")
    assert path_with_query(scope) == "/dokumenter/%C3%A6%20%C3%B8?q=%C3%B8"
    assert path_with_query(_scope("", path="/health")) == "/health"


def test_log_config_adds_the_service_loggers_to_uvicorns() -> None:
    config = log_config()
    assert config["loggers"][ACCESS_LOGGER]["handlers"] == ["access"]
    assert config["loggers"]["strategigraf"]["handlers"] == ["default"]
    assert "uvicorn.access" in config["loggers"]  # uvicorn's own configuration is kept
    logging.config.dictConfig(log_config())  # a configuration logging accepts


def test_a_real_server_logs_start_up_and_each_request_once(live_server: str, live_server_log: Path) -> None:
    query = "/search?q=adgang+til+bolig&k=2"
    assert httpx.get(live_server + query, timeout=30).status_code == 200
    assert httpx.get(live_server + "/no-such-page", timeout=30).status_code == 404
    log = live_server_log.read_text(encoding="utf-8", errors="replace")
    assert "loaded build" in log  # the service's own logger reaches the output
    assert sum(f'"GET {query} HTTP/1.1" 200' in line for line in log.splitlines()) == 1
    assert sum('"GET /no-such-page HTTP/1.1" 404' in line for line in log.splitlines()) >= 1

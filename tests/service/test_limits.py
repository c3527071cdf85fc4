"""Request limits in front of every route: query-string length (414), body size (413, also when streamed
without a Content-Length), a bad Content-Length (400), per-path body limits and the upload's file limit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from service.limits import (
    MAX_QUERY_STRING,
    MULTIPART_OVERHEAD,
    UPLOAD_PATH,
    LimitsMiddleware,
    upload_body_limits,
    upload_file_limit,
)


async def _echo(request: Request) -> JSONResponse:
    """Reads the whole body, as a route does."""
    return JSONResponse({"received": len(await request.body())})


def _app(max_body_bytes: int, body_limits: dict[str, int] | None = None) -> Starlette:
    routes = [Route("/echo", _echo, methods=["GET", "POST"]), Route(UPLOAD_PATH, _echo, methods=["POST"])]
    return Starlette(routes=routes, middleware=[Middleware(LimitsMiddleware, max_body_bytes=max_body_bytes,
                                                           body_limits=body_limits)])


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_app(100, {UPLOAD_PATH: 1_000})) as test_client:
        yield test_client


def test_a_body_within_the_limit_reaches_the_route(client: TestClient) -> None:
    response = client.post("/echo", content=b"x" * 100)
    assert response.status_code == 200 and response.json() == {"received": 100}


def test_an_announced_body_over_the_limit_is_413_problem_json(client: TestClient) -> None:
    response = client.post("/echo", content=b"x" * 101)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"] == "request bodies are limited to 100 bytes"


def test_a_streamed_body_without_content_length_is_stopped_at_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 30

    response = client.post("/echo", content=chunks())
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["title"] == "Payload too large"


def test_a_content_length_that_is_no_number_is_400(client: TestClient) -> None:
    response = client.post("/echo", content=b"x", headers={"content-length": "many"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Content-Length is not a number"


def test_a_long_query_string_is_414_and_says_to_post(client: TestClient) -> None:
    assert client.get("/echo", params={"q": "x" * (MAX_QUERY_STRING - 2)}).status_code == 200
    response = client.get("/echo", params={"q": "x" * MAX_QUERY_STRING})
    assert response.status_code == 414
    assert "POST" in response.json()["detail"]


def test_a_path_with_a_limit_of_its_own_takes_more(client: TestClient) -> None:
    assert client.post(UPLOAD_PATH, content=b"x" * 1_000).status_code == 200
    assert client.post(UPLOAD_PATH, content=b"x" * 1_001).status_code == 413
    assert client.post("/echo", content=b"x" * 1_000).status_code == 413


def test_the_upload_backstop_lies_well_above_the_file_limit() -> None:
    fifty = 50 * 1024 * 1024
    limits = upload_body_limits(fifty)
    assert list(limits) == [UPLOAD_PATH]
    assert limits[UPLOAD_PATH] > fifty + MULTIPART_OVERHEAD
    app = _app(1_000_000, limits)
    assert upload_file_limit(app, fifty) == fifty  # the route's own refusal comes first


def test_the_file_limit_is_lowered_to_the_body_limit_in_force() -> None:
    assert upload_file_limit(_app(1_000_000), 50 * 1024 * 1024) == 1_000_000 - MULTIPART_OVERHEAD
    assert upload_file_limit(_app(10), 50 * 1024 * 1024) == 1  # never zero or negative
    assert upload_file_limit(Starlette(), 123) == 123  # no limits middleware: the file limit alone


def test_the_lifespan_scope_passes_through() -> None:
    with TestClient(_app(1)) as test_client:  # the lifespan scope went through the middleware
        assert test_client.get("/echo").status_code == 200


def test_the_stated_limit_is_the_one_the_body_limit_lets_through() -> None:
    """The page and the streaming check use the upload limit, lowered to the request body limit that
    service.limits enforces in front of every route (unless that gives the upload path a limit of its own)."""
    fifty = 50 * 1024 * 1024
    one_megabyte = Starlette(middleware=[Middleware(LimitsMiddleware, max_body_bytes=1_000_000)])
    assert upload_file_limit(one_megabyte, fifty) == 1_000_000 - MULTIPART_OVERHEAD
    # body_limits: a limit of its own for the upload path (as service.limits.upload_body_limits gives it)
    own_limit: dict[str, Any] = {"max_body_bytes": 1_000_000, "body_limits": {"/admin/documents": fifty + 64 * 1024}}
    roomy = Starlette(middleware=[Middleware(LimitsMiddleware, **own_limit)])
    assert upload_file_limit(roomy, fifty) == fifty
    assert upload_file_limit(Starlette(), fifty) == fifty

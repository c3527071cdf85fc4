"""The service's ASGI entry: the access log, written once a response is on its way, and short ways past the
web framework for the hottest requests.

:class:`ServiceApp` is the FastAPI application with two things done where a request enters it:

* **Access log** (logger :data:`ACCESS_LOGGER`, one line per HTTP request in uvicorn's format: client, request
  line, status). uvicorn's own access log formats and writes its line when the response *starts*, before the
  body is handed to the socket: on these machines about 0.6 ms on the path of every response (measured:
  ``benchmarks/bench_search.py`` protocol, a bare ASGI app behind uvicorn with and without its access log).
  Here the line is written after the application has returned, when the body is already written to the
  socket; ``strategigraf serve`` turns uvicorn's off (:func:`log_config` routes this one to the same output).
* **Shortcuts** (:attr:`ServiceApp.shortcuts`): per path, a function that answers a plain GET with the same
  bytes the full application would send, or says None and leaves the request to it. Middleware, routing and
  FastAPI's parameter handling cost ~1 ms per request on these machines (a no-op route, cold caches), a tenth of
  a query embedding; the one shortcut, GET /search with plainly valid parameters
  (:func:`service.routes.search_api.search_shortcut`), answers with what the route answers (tested byte for
  byte, headers included, in tests/service/test_asgi.py). A shortcut is only asked when nothing a middleware
  does could apply: no CORS origin, a query string within the limit, no request body.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from service.limits import MAX_QUERY_STRING

ACCESS_LOGGER = "strategigraf.access"
access_log = logging.getLogger(ACCESS_LOGGER)

Shortcut = Callable[["ServiceApp", Scope], Awaitable[bytes | None]]
"""Answer a GET request (the scope) with a JSON body, or None to leave it to the application."""
JSON_TYPE = b"application/json"


class ServiceApp(FastAPI):
    """FastAPI with the access log and the :attr:`shortcuts` at its ASGI entry (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shortcuts: dict[str, Shortcut] = {}
        """Per path (exact), the shortcut for plain GET requests to it."""
        self.cors = False
        """Whether CORS headers are added (then a request with an Origin header takes the full way)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            body = await self._shortcut(scope)
            if body is None:
                await super().__call__(scope, receive, sending)
            else:
                status = 200
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-length", str(len(body)).encode()),
                                        (b"content-type", JSON_TYPE)]})
                await send({"type": "http.response.body", "body": body})
        finally:
            if access_log.isEnabledFor(logging.INFO):
                access_log.info('%s - "%s %s HTTP/%s" %d', client_address(scope), scope["method"],
                                path_with_query(scope), scope["http_version"], status or 500)

    async def _shortcut(self, scope: Scope) -> bytes | None:
        shortcut = self.shortcuts.get(scope["path"]) if scope["method"] == "GET" else None
        if shortcut is None or self.dependency_overrides or scope.get("root_path"):
            return None
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
            return None  # LimitsMiddleware refuses it
        for name, _ in scope["headers"]:
            if name in (b"content-length", b"transfer-encoding") or (self.cors and name == b"origin"):
                return None
        try:
            return await shortcut(self, scope)
        except Exception:  # noqa: BLE001 - the full way answers it, with the application's error handling
            return None


def client_address(scope: Scope) -> str:
    """``host:port`` of the client, as uvicorn's access log writes it."""
    client = scope.get("client")
    return f"{client[0]}:{client[1]}" if client else "-"


def path_with_query(scope: Scope) -> str:
    """The request target as uvicorn's access log writes it: the path percent-encoded, then the query string."""
    path = quote(scope.get("root_path", "") + scope["path"])
    query: bytes = scope.get("query_string", b"")
    return f"{path}?{query.decode('ascii', 'replace')}" if query else path


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the service's loggers added: ``strategigraf`` (start-up, rebuilds)
    in uvicorn's default format and :data:`ACCESS_LOGGER` in its access-log format."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["strategigraf"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["loggers"][ACCESS_LOGGER] = {"handlers": ["access"], "level": "INFO", "propagate": False}
    return config

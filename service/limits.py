"""Request limits enforced before any route runs: body size and query-string length (clear 4xx, never 500).

The body limit is declared here once: ``max_body_bytes`` for every path, a roomier backstop for the upload of
original documents (:func:`upload_body_limits`), and :func:`upload_file_limit`, the largest file an upload can
carry under the limit in force, which the upload route states and streams against.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.problems import PROBLEM_JSON, TYPE_BASE

MAX_QUERY_STRING = 16_384
UPLOAD_PATH = "/admin/documents"
"""Where original documents are uploaded (service.routes.upload_api)."""
MULTIPART_OVERHEAD = 16 * 1024
"""Room in a request body for the multipart boundaries, part headers and form fields around the file."""


def upload_body_limits(max_upload_bytes: int) -> dict[str, int]:
    """``body_limits`` for :class:`LimitsMiddleware`: the upload path may carry a file of ``max_upload_bytes``.

    The upload route refuses a file with a Danish reason once its stream passes ``max_upload_bytes``; the
    middleware's backstop for that path lies well above, so that the route's answer is the one a client sees."""
    return {UPLOAD_PATH: 2 * max_upload_bytes + (1 << 20)}


def _limit_for(path: str, max_body_bytes: int, body_limits: dict[str, int] | None) -> int:
    """The body limit for ``path``: that of the first prefix in ``body_limits`` it starts with, else the default."""
    return next((limit for prefix, limit in (body_limits or {}).items() if path.startswith(prefix)), max_body_bytes)


def upload_file_limit(app: Starlette, max_upload_bytes: int) -> int:
    """The largest file an upload can carry: ``max_upload_bytes``, or less when the body limit that
    :class:`LimitsMiddleware` enforces for :data:`UPLOAD_PATH` is lower (so that the upload page states the
    limit that really applies, and the Danish refusal comes before the generic one)."""
    for middleware in app.user_middleware:
        if middleware.cls is LimitsMiddleware:
            options: dict[str, Any] = dict(middleware.kwargs)
            body = _limit_for(UPLOAD_PATH, int(options["max_body_bytes"]), options.get("body_limits"))
            return max(1, min(max_upload_bytes, body - MULTIPART_OVERHEAD))
    return max_upload_bytes


async def _reject(send: Send, status: int, title: str, detail: str) -> None:
    body = json.dumps({"type": TYPE_BASE + title.lower().replace(" ", "-"), "title": title, "status": status,
                       "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class LimitsMiddleware:
    """Refuse over-long query strings (414) and bodies over ``max_body_bytes`` (413), even when streamed."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_query_string: int = MAX_QUERY_STRING,
                 body_limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.max_query = max_query_string
        self.body_limits = body_limits or {}
        """Limits of their own for paths under a prefix (:func:`upload_body_limits`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query:
            await _reject(send, 414, "URI too long",
                          f"the query string is over {self.max_query} bytes; send long SPARQL queries by POST")
            return
        max_body = _limit_for(scope.get("path", ""), self.max_body, self.body_limits)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > max_body
                except ValueError:
                    await _reject(send, 400, "Bad request", "Content-Length is not a number")
                    return
                if too_big:
                    await _reject(send, 413, "Payload too large", f"request bodies are limited to {max_body} bytes")
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_body:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _reject(send, 413, "Payload too large", f"request bodies are limited to {max_body} bytes")


class _BodyTooLarge(Exception):
    pass

"""Request limits enforced before any route runs: body size and query-string length (clear 4xx, never 500)."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.problems import PROBLEM_JSON, TYPE_BASE

MAX_QUERY_STRING = 16_384


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
        """Larger limits for paths under a prefix (the upload of original documents)."""

    def _max_body(self, path: str) -> int:
        return next((limit for prefix, limit in self.body_limits.items() if path.startswith(prefix)), self.max_body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query:
            await _reject(send, 414, "URI too long",
                          f"the query string is over {self.max_query} bytes; send long SPARQL queries by POST")
            return
        max_body = self._max_body(scope.get("path", ""))
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

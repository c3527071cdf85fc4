"""Security headers for the pages and their static files.

The pages run no inline script: every script is a file under /static, so the Content-Security-Policy
allows scripts from this origin only. Styles come from files too.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HTML_HEADERS = {
    **COMMON_HEADERS,
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def apply_security_headers(response: Response) -> Response:
    """Add the headers to ``response``: all of them to HTML, the content-type ones to the rest."""
    content_type = response.headers.get("content-type", "")
    headers = HTML_HEADERS if content_type.startswith("text/html") else COMMON_HEADERS
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response


class SecureRoute(APIRoute):
    """An APIRoute whose responses carry the security headers (the pages router's route class)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def secured(request: Request) -> Response:
            return apply_security_headers(await handler(request))

        return secured

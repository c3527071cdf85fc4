"""Errors as RFC 9457 problem details (application/problem+json): type, title, status, detail.

API clients get problem+json, in English unless they prefer Danish (Accept-Language: da); a browser (Accept
preferring text/html) gets a Danish HTML page drawn by the renderer the app installs (service/pages/error_pages.py).
The Danish wording lives in :mod:`service.problem_messages`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.conneg import negotiate, preferred_language
from service.problem_messages import Wording, danish

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://w3id.org/strategigraf/problems/"


class ProblemDetail(BaseModel):
    """RFC 9457 problem details, the body of every error response."""

    type: str = Field(description="URI identifying the kind of problem")
    title: str = Field(description="Short summary of the kind of problem")
    status: int = Field(description="HTTP status code")
    detail: str = Field(description="What went wrong with this request, and how to fix it")
    technical: str | None = Field(None, description="In a Danish answer (Accept-Language: da): the original "
                                                    "technical message the Danish detail does not repeat")


def _problem_doc(description: str) -> dict[str, Any]:
    return {"description": description, "model": ProblemDetail,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}}}


# Documented on every operation: the errors any route can give.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: _problem_doc("Unknown id or path"),
    406: _problem_doc("No acceptable representation for the Accept header"),
    413: _problem_doc("Request body too large"),
    414: _problem_doc("Query string too long"),
    422: _problem_doc("Invalid parameters; detail says which and why"),
}


class Problem(Exception):
    """A domain error with its HTTP status; routes raise it, the handler renders it."""

    def __init__(self, status: int, title: str, detail: str, kind: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.kind = kind or title.lower().replace(" ", "-")
        self.headers = headers


def problem_response(status: int, title: str, detail: str, kind: str | None = None,
                     headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": TYPE_BASE + (kind or title.lower().replace(" ", "-")), "title": title, "status": status,
            "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def not_found(what: str, ident: str) -> Problem:
    return Problem(404, "Not found", f"no {what} with id {ident!r}", kind="not-found")


HtmlErrorRenderer = Callable[[Request, int, Wording], Response]
"""Draws an error page for a browser: the request, the HTTP status and the Danish wording of the problem."""

ERROR_OFFERS = [PROBLEM_JSON, "application/json", "text/html"]
HTTP_TITLES = {404: "Not found", 405: "Method not allowed", 406: "Not acceptable", 401: "Unauthorized",
               413: "Payload too large", 415: "Unsupported media type"}


def wants_html(request: Request) -> bool:
    """Whether the client prefers an HTML page to problem+json (a browser navigating; not fetch() or curl)."""
    return negotiate(request.headers.get("accept"), ERROR_OFFERS) == "text/html"


def install_handlers(app: FastAPI, html: HtmlErrorRenderer | None = None) -> None:
    """Render every error as problem+json, or as a Danish HTML page by ``html`` when the client prefers HTML."""

    def respond(request: Request, status: int, title: str, detail: str, kind: str | None,
                headers: dict[str, str] | None = None, errors: list[dict[str, Any]] | None = None,
                raw_errors: list[dict[str, Any]] | None = None) -> Response:
        """``errors``: the problem's documented ``errors`` member (loc, msg); ``raw_errors``: pydantic's errors
        with their types and limits, from which the Danish wording is made."""
        kind = kind or title.lower().replace(" ", "-")
        headers = {**(headers or {}), "Vary": "Accept, Accept-Language"}
        if html is not None and wants_html(request):
            response = html(request, status, danish(status, kind, detail, raw_errors))
            response.headers.update(headers)
            return response
        extra: dict[str, Any] = {"errors": errors} if errors is not None else {}
        if preferred_language(request.headers.get("accept-language"), ["en", "da"]) == "da":
            wording = danish(status, kind, detail, raw_errors)
            if wording.technical:
                extra["technical"] = wording.technical
            return problem_response(status, wording.title, wording.detail, kind,
                                    headers={**headers, "Content-Language": "da"}, **extra)
        return problem_response(status, title, detail, kind, headers=headers, **extra)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        return respond(request, exc.status, exc.title, exc.detail, exc.kind, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        raw = [dict(e) for e in exc.errors()]
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in raw]
        detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in errors)
        return respond(request, 422, "Invalid parameters", detail, "invalid-parameters", errors=errors,
                       raw_errors=raw)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        title = HTTP_TITLES.get(exc.status_code, "HTTP error")
        return respond(request, exc.status_code, title, str(exc.detail), None, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Starlette's ServerErrorMiddleware calls this and then re-raises, so the server still logs the traceback.
        return respond(request, 500, "Internal server error",
                       "the server could not answer this request; the error is logged", "internal-error")

"""Errors as RFC 9457 problem details (application/problem+json): type, title, status, detail."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://w3id.org/strategigraf/problems/"


class ProblemDetail(BaseModel):
    """RFC 9457 problem details, the body of every error response."""

    type: str = Field(description="URI identifying the kind of problem")
    title: str = Field(description="Short summary of the kind of problem")
    status: int = Field(description="HTTP status code")
    detail: str = Field(description="What went wrong with this request, and how to fix it")


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


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.title, exc.detail, exc.kind, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in errors)
        return problem_response(422, "Invalid parameters", detail, "invalid-parameters", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 406: "Not acceptable", 401: "Unauthorized",
                  413: "Payload too large", 415: "Unsupported media type"}
        title = titles.get(exc.status_code, "HTTP error")
        return problem_response(exc.status_code, title, str(exc.detail), headers=getattr(exc, "headers", None))

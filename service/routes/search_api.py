"""GET /search.

The route's signature is the documented contract (OpenAPI) and FastAPI validates requests against it. A request
whose parameters are all plainly valid (the usual case) is answered before it reaches FastAPI, by
:func:`search_shortcut` (a shortcut of :class:`service.asgi.ServiceApp`): it reads the query string once
(:func:`plain_arguments`) and makes the same body (:func:`json_body`), without the middleware, routing and
per-parameter dependency solving (about 1 ms per request on these machines). Anything else (an unknown or
repeated parameter, a number not written as plain digits, a value out of range, a CSV download, ...) goes
through FastAPI, so error answers (422 problem details) are FastAPI's own.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, FastAPI, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.types import Scope

from service import exports
from service.citations import citations
from service.deps import GenerationDep, SettingsDep
from service.generation import Generation
from service.problems import Problem
from service.question import MAX_YEAR, MIN_YEAR, search_params
from service.schemas import Interpretation, Mode, SearchResponse
from service.search import (
    MAX_K,
    SearchError,
    SearchParams,
    after_query_embedding,
    prefetch_query_vector,
    search,
    search_body,
)
from service.state import ServiceState

router = APIRouter(tags=["search"])
INLINE_NODES = 5000
"""Up to this many nodes a search runs on the event loop (about 1 ms of work after the query embedding);
larger generations search in the thread pool, so that one search does not hold up the loop."""
MAX_Q = 10_000
"""Longest ``q`` the route accepts (the service's own, lower limit is ``settings.max_query_chars``)."""
Format = Literal["json", "csv"]


async def search_route(
    http: Request,
    gen: GenerationDep,
    settings: SettingsDep,
    q: Annotated[str, Query(description="Query in Danish or English, e.g. netværk", max_length=MAX_Q)],
    k: Annotated[int, Query(ge=1, le=MAX_K, description="How many results")] = 10,
    type: Annotated[list[str] | None, Query(description="Node type(s), e.g. Principle; repeatable")] = None,
    municipality: Annotated[str | None, Query(description="Municipality key, e.g. faxe")] = None,
    document: Annotated[str | None, Query(description="Document id, e.g. slagelse-2024-2030")] = None,
    year_from: Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Earliest document year")] = None,
    year_to: Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Latest document year")] = None,
    mode: Annotated[Mode, Query(description="hybrid (default), semantic or keyword")] = Mode.hybrid,
    topic: Annotated[str | None, Query(description="Topic id or label, e.g. netvaerk-og-paaroerende: nodes tagged "
                                                   "with it or under a container tagged with it")] = None,
    literal: Annotated[bool, Query(description="Search the words as typed: no question understanding (types, "
                                               "municipality, years, document read from q)")] = False,
    format: Annotated[Format, Query(description="json (default) or csv: the results as a CSV "
                                                                "file Danish Excel opens (UTF-8 with BOM, ';')")] = "json",
) -> Response:
    request = SearchParams(q=q, k=k, types=tuple(type or ()), municipality=municipality, document=document,
                           year_from=year_from, year_to=year_to, mode=mode, topic=topic,
                           max_query_chars=settings.max_query_chars)
    if format == "csv":
        return await search_csv_response(gen, request, literal, q, str(http.base_url))
    return Response(await json_body(gen, request, literal, q), media_type="application/json")


async def json_body(gen: Generation, request: SearchParams, literal: bool, q: str) -> bytes:
    """The JSON body of a search for the query ``q`` as received (invalid parameters: :class:`Problem` 422)."""
    # A repeated query is answered here, on the event loop, from the bytes made the first time: the
    # interpretation is a function of the generation and the request, so the request is the key.
    key = (request, literal)
    body: bytes | None = gen.json_cache.get(key)
    if body is not None:
        return body
    params, interpreted = search_params(gen, request, literal)
    try:
        # The thread that embeds the query does the rest of the search right after (the loop awaits it; no
        # thread of the pool waits for the model). A query needing no embedding: a small generation's search
        # is done on the loop (about 1 ms), a large one's in the pool.
        body = await after_query_embedding(gen, params, lambda: search_json(gen, params, interpreted, q, key))
        if body is None:
            if len(gen.nodes) <= INLINE_NODES:
                body = search_json(gen, params, interpreted, q, key)
            else:
                body = await run_in_threadpool(search_json, gen, params, interpreted, q, key)
    except SearchError as exc:
        raise Problem(422, "Invalid parameters", str(exc), kind="invalid-parameters") from exc
    return body


def search_json(gen: Generation, params: SearchParams, interpreted: Interpretation | None, q: str,
                key: Hashable) -> bytes:
    """The /search response body for the query ``q`` as received, searched as ``params`` say; cached per
    generation under ``key`` (invalid parameters raise and are not cached)."""
    body = search_body(gen, params, q, interpreted)
    gen.json_cache.put(key, body)
    return body


async def search_csv_response(gen: Generation, request: SearchParams, literal: bool, q: str,
                              base_url: str) -> Response:
    """The results of a search as a CSV download for Danish Excel (service/exports.py)."""
    params, interpreted = search_params(gen, request, literal)
    try:
        await prefetch_query_vector(gen, params)
        response = (await run_in_threadpool(search, gen, params)).model_copy(
            update={"query": q, "interpreted": interpreted})
    except SearchError as exc:
        raise Problem(422, "Invalid parameters", str(exc), kind="invalid-parameters") from exc
    cited = citations(gen, (r.id for r in response.results))
    body = await run_in_threadpool(exports.search_csv, response, cited, base_url)
    return Response(body, media_type=exports.MEDIA_TYPE, headers={
        "Content-Disposition": exports.content_disposition(exports.filename("soegning", q))})


# ------------------------------------------------------------------------------- the query string read once
def _text(value: str) -> str | None:
    return value if len(value) <= MAX_Q else None


def _number(low: int, high: int) -> Callable[[str], int | None]:
    """Plain digits (no sign, space or leading zero) within ``low``-``high``; anything else is FastAPI's to judge."""
    def parse(value: str) -> int | None:
        if not (value.isascii() and value.isdigit() and value[0] != "0" and len(value) <= 9):
            return None
        number = int(value)
        return number if low <= number <= high else None
    return parse


def _choice(values: dict[str, Any]) -> Callable[[str], Any]:
    return values.get


PLAIN: dict[str, Callable[[str], Any]] = {
    "q": _text, "municipality": _text, "document": _text, "topic": _text, "type": _text,
    "k": _number(1, MAX_K), "year_from": _number(MIN_YEAR, MAX_YEAR), "year_to": _number(MIN_YEAR, MAX_YEAR),
    "mode": _choice({m.value: m for m in Mode}),
    "literal": _choice({"true": True, "false": False, "1": True, "0": False}),
    "format": _choice({f: f for f in get_args(Format)}),
}
"""Per query parameter of :func:`search_route`: its value from a plainly valid string, else None. A parameter
added to the route without an entry here is validated by FastAPI whenever a request gives it."""
REPEATABLE = frozenset({"type"})


def plain_arguments(query: QueryParams) -> dict[str, Any] | None:
    """The query parameters of :func:`search_route` when every one given is plainly valid (the values FastAPI's
    validation would give them; absent ones keep the signature's defaults), else None."""
    args: dict[str, Any] = {}
    for name, value in query.multi_items():
        parse = PLAIN.get(name)
        parsed = parse(value) if parse is not None else None
        if parsed is None:
            return None
        if name in REPEATABLE:
            args.setdefault(name, []).append(parsed)
        elif name in args:
            return None
        else:
            args[name] = parsed
    return args if "q" in args else None


async def search_shortcut(app: FastAPI, scope: Scope) -> bytes | None:
    """The body :func:`search_route` answers a GET /search with (status 200, ``application/json``) when every
    parameter is plainly valid and a generation is live; None leaves the request to FastAPI (CSV downloads,
    anything to validate or refuse). Invalid searches raise, and the caller leaves those to FastAPI too."""
    args = plain_arguments(QueryParams(scope["query_string"]))
    state: ServiceState = app.state.service
    if args is None or args.get("format", "json") != "json" or not state.ready:
        return None
    settings = state.settings
    q: str = args["q"]
    request = SearchParams(q=q, k=args.get("k", 10), types=tuple(args.get("type", ())),
                           municipality=args.get("municipality"), document=args.get("document"),
                           year_from=args.get("year_from"), year_to=args.get("year_to"),
                           mode=args.get("mode", Mode.hybrid), topic=args.get("topic"),
                           max_query_chars=settings.max_query_chars)
    return await json_body(state.generation, request, args.get("literal", False), q)


router.add_api_route("/search", search_route, methods=["GET"], response_model=SearchResponse,
                     summary="Semantic + keyword search with roll-up",
                     responses={200: {"content": {"text/csv": {}}}})

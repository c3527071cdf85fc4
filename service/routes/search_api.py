"""GET /search."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from service import exports
from service.citations import citations
from service.deps import GenerationDep, SettingsDep
from service.generation import Generation
from service.problems import Problem
from service.question import search_params
from service.schemas import Interpretation, Mode, SearchResponse
from service.search import SearchError, SearchParams, prefetch_query_vector, search

router = APIRouter(tags=["search"])
INLINE_NODES = 5000
"""Up to this many nodes a search runs on the event loop (about 1 ms of work after the query embedding);
larger generations search in the thread pool, so that one search does not hold up the loop."""


@router.get("/search", response_model=SearchResponse, summary="Semantic + keyword search with roll-up",
            responses={200: {"content": {"text/csv": {}}}})
async def search_route(
    http: Request,
    gen: GenerationDep,
    settings: SettingsDep,
    q: Annotated[str, Query(description="Query in Danish or English, e.g. netværk", max_length=10_000)],
    k: Annotated[int, Query(ge=1, le=100, description="How many results")] = 10,
    type: Annotated[list[str] | None, Query(description="Node type(s), e.g. Principle; repeatable")] = None,
    municipality: Annotated[str | None, Query(description="Municipality key, e.g. faxe")] = None,
    document: Annotated[str | None, Query(description="Document id, e.g. slagelse-2024-2030")] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2200, description="Earliest document year")] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2200, description="Latest document year")] = None,
    mode: Annotated[Mode, Query(description="hybrid (default), semantic or keyword")] = Mode.hybrid,
    topic: Annotated[str | None, Query(description="Topic id or label, e.g. netvaerk-og-paaroerende: nodes tagged "
                                                   "with it or under a container tagged with it")] = None,
    literal: Annotated[bool, Query(description="Search the words as typed: no question understanding (types, "
                                               "municipality, years, document read from q)")] = False,
    format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv: the results as a CSV "
                                                                "file Danish Excel opens (UTF-8 with BOM, ';')")] = "json",
) -> Response:
    request = SearchParams(q=q, k=k, types=tuple(type or ()), municipality=municipality, document=document,
                           year_from=year_from, year_to=year_to, mode=mode, topic=topic,
                           max_query_chars=settings.max_query_chars)
    if format == "csv":
        return await search_csv_response(gen, request, literal, q, str(http.base_url))
    # A repeated query is answered here, on the event loop, from the bytes made the first time: the
    # interpretation is a function of the generation and the request, so the request is the key.
    key = (request, literal)
    body = gen.json_cache.get(key)
    if body is None:
        params, interpreted = search_params(gen, request, literal)
        try:
            # The loop awaits the query embedding (no thread waits for the model), then does the rest of a small
            # generation's search itself (about 1 ms): two thread hand-offs fewer than through the pool.
            await prefetch_query_vector(gen, params)
            if len(gen.nodes) <= INLINE_NODES:
                body = search_json(gen, params, interpreted, q, key)
            else:
                body = await run_in_threadpool(search_json, gen, params, interpreted, q, key)
        except SearchError as exc:
            raise Problem(422, "Invalid parameters", str(exc), kind="invalid-parameters") from exc
    return Response(body, media_type="application/json")


def search_json(gen: Generation, params: SearchParams, interpreted: Interpretation | None, q: str,
                key: Hashable) -> bytes:
    """The /search response body for the query ``q`` as received, searched as ``params`` say; cached per
    generation under ``key`` (invalid parameters raise and are not cached)."""
    response = search(gen, params).model_copy(update={"query": q, "interpreted": interpreted})
    body = response.model_dump_json(by_alias=True).encode()
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

"""/sparql: the read-only SPARQL 1.1 Protocol endpoint, and /sparql/examples: the example-query catalogue.

The work is in the service/sparql package; this module reads the request, checks it (protocol and
guard), hands the job to the app's query runner (the generation's worker pools, or an external store)
and turns SparqlError into problem+json. It keeps no state of its own.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ontology import ID_NS, PREFIXES
from service.deps import GenerationDep, SettingsDep, SparqlDep
from service.problems import Problem
from service.sparql.catalogue import catalogue
from service.sparql.errors import SparqlError
from service.sparql.execution import QueryJob
from service.sparql.guard import inspect_query
from service.sparql.protocol import (
    FORM_TYPE,
    GRAPH_FORMATS,
    QUERY_TYPE,
    RESULT_FORMATS,
    choose_format,
    content_type,
    parse_form,
    parse_protocol_request,
)

router = APIRouter(tags=["sparql"])

PREFIX_MAP = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Problem(413, "Payload too large", f"the request body has {declared} bytes; the limit is {limit}",
                      kind="body-too-large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, "Payload too large", f"the request body exceeds the limit of {limit} bytes",
                          kind="body-too-large")
        chunks.append(chunk)
    return b"".join(chunks)


_DATASET_PARAMS: list[dict[str, Any]] = [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "The SPARQL query (GET; for POST use the form body or an application/sparql-query body)"},
    {"name": "default-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Graph(s) forming the default graph (overrides FROM); the data lives in the store's "
                    "unnamed default graph, so naming any graph gives an empty default graph"},
    {"name": "named-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}},
     "description": "Named graph(s) available to GRAPH (overrides FROM NAMED)"},
]
_OPENAPI: dict[str, Any] = {
    "parameters": _DATASET_PARAMS,
    "requestBody": {"required": False, "content": {
        FORM_TYPE: {"schema": {"type": "object", "properties": {
            "query": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
        QUERY_TYPE: {"schema": {"type": "string"}}}},
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Results; SELECT/ASK and CONSTRUCT/DESCRIBE in the negotiated format",
          "content": {m: {} for m in [*RESULT_FORMATS, *GRAPH_FORMATS]}},
    400: {"description": "Bad request: syntax error, missing or repeated query, body not UTF-8"},
    403: {"description": "SPARQL Update or federated SERVICE query refused (read-only endpoint)"},
    406: {"description": "No acceptable result format"},
    413: {"description": "Query or request body too long"},
    415: {"description": "Unsupported Content-Type for POST"},
    422: {"description": "More result rows (or triples) than the endpoint returns in one answer"},
    502: {"description": "The upstream SPARQL store (when one is configured) failed or could not be reached"},
    503: {"description": "The query exceeded the time limit, or every worker is busy"},
}


_SPARQL_DOC = dict(
    summary="SPARQL 1.1 query endpoint (read-only)",
    description="W3C SPARQL 1.1 Protocol query operation: GET ?query=, POST form-encoded or POST "
                "application/sparql-query. Results by Accept. Updates and SERVICE are refused; "
                "queries have a time limit and a row limit. Predeclared prefixes: "
                + ", ".join(f"{p}:" for p in PREFIX_MAP) + f"; relative IRIs resolve against {ID_NS}.",
    openapi_extra=_OPENAPI, responses=_RESPONSES, response_class=Response,
)


# One decorator per method: a multi-method api_route gives both methods one OpenAPI operation id.
@router.get("/sparql", operation_id="sparql_get", **_SPARQL_DOC)  # type: ignore[arg-type]
@router.post("/sparql", operation_id="sparql_post", **_SPARQL_DOC)  # type: ignore[arg-type]
@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False, response_class=Response)
async def sparql(request: Request, gen: GenerationDep, settings: SettingsDep, runner: SparqlDep) -> Response:
    body = await _read_body(request, settings.max_body_bytes) if request.method == "POST" else b""
    accept = request.headers.get("accept")
    try:
        url_params = parse_form(request.scope.get("query_string", b""), "the URL query string")
        req = parse_protocol_request(request.method, request.headers.get("content-type"), url_params, body,
                                     max_chars=settings.max_sparql_chars)
        form = inspect_query(req.query)
        if form is not None:
            choose_format(form, accept)  # 406 before spending a worker on the query
        job = QueryJob(req.query, req.dataset, accept, settings.sparql_max_rows, PREFIX_MAP, ID_NS)
        result = await run_in_threadpool(runner.run, gen, job, form, settings.sparql_timeout_s)
    except SparqlError as exc:
        raise Problem(exc.status, exc.title, exc.detail, kind=exc.kind, headers=exc.headers) from None
    headers = {"Vary": "Accept"}
    if result.rows is not None:
        headers["X-SPARQL-Result-Count"] = str(result.rows)
    return Response(result.body, media_type=content_type(result.media_type), headers=headers)


@router.get("/sparql/examples", summary="Example SPARQL queries answering real questions about the corpus")
def sparql_examples() -> list[dict[str, str]]:
    """Each example: id, Danish title, description and the query text (run it at /sparql)."""
    return catalogue()

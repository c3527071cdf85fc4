"""Upstream mode (settings.sparql_upstream): forwarding a checked query to an external SPARQL 1.1 store.

The query has passed the same guard as for the embedded store; here it is sent on with the
predeclared prefixes and BASE written out, the answer's rows are counted and the row limit applied,
and the store's failures are turned into SparqlError (503 at the time limit, 400 when it rejects the
query, 502 otherwise). See docs/scaling.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx
import pyoxigraph

from service.sparql.errors import SparqlError, too_many_results
from service.sparql.execution import QueryJob, QueryResult
from service.sparql.guard import QueryForm, code_view
from service.sparql.protocol import FORM_TYPE, GRAPH_FORMATS, RESULT_FORMATS, choose_format, parse_media_type

_DECLARED_PREFIX = re.compile(r"PREFIX\s*([A-Za-z][\w.\-]*)?\s*:", re.IGNORECASE)
_DECLARED_BASE = re.compile(r"(?<![\w])BASE\s*<>", re.IGNORECASE)


def with_prologue(query: str, prefixes: Mapping[str, str], base_iri: str | None) -> str:
    """``query`` with BASE and the predeclared prefixes it does not declare itself written out in front,
    so an external store reads it exactly as the embedded one (which predeclares them) would."""
    code = code_view(query)
    declared = {m.group(1) or "" for m in _DECLARED_PREFIX.finditer(code)}
    lines = [] if base_iri is None or _DECLARED_BASE.search(code) else [f"BASE <{base_iri}>"]
    lines += [f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items() if p not in declared]
    return "\n".join([*lines, query])


def _upstream_count(form: QueryForm | None, media: str, body: bytes) -> int | None:
    """Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) of an upstream answer; None when it cannot be read."""
    try:
        if form == QueryForm.SELECT and media in RESULT_FORMATS:
            parsed = pyoxigraph.parse_query_results(body, RESULT_FORMATS[media])
            return sum(1 for _ in parsed) if isinstance(parsed, pyoxigraph.QuerySolutions) else None
        if form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE) and media in GRAPH_FORMATS:
            return sum(1 for _ in pyoxigraph.parse(body, format=GRAPH_FORMATS[media]))
    except (SyntaxError, ValueError, OSError, TypeError):
        return None
    return None


class UpstreamStore:
    """An external SPARQL 1.1 query endpoint that answers in place of the embedded store.

    One HTTP client (with its connection pool) per store; :meth:`close` releases it.
    """

    def __init__(self, endpoint: str, graph: str | None = None) -> None:
        self.endpoint = endpoint
        self.graph = graph
        """Where ``strategigraf publish`` put the build: the default graph of queries that name no dataset."""
        self._client = httpx.Client(follow_redirects=False)

    def run(self, gen: Any, job: QueryJob, form: QueryForm | None, timeout_s: float) -> QueryResult:
        """Run an already checked ``job`` upstream (``gen`` is not used: the store holds the published build).

        The request's dataset is passed on; without one, :attr:`graph` becomes the default graph. The answer
        is returned as the store sent it, in the media type negotiated here; its rows are counted and the
        row limit applied as for the embedded store. Errors: time limit → 503 query-timeout; the store
        rejects the query (400) → 400; anything else → 502.
        """
        media = choose_format(form, job.accept) if form is not None else None
        params: list[tuple[str, str]] = [("query", with_prologue(job.query, job.prefixes, job.base_iri))]
        if job.dataset is not None:
            params += [("default-graph-uri", g) for g in job.dataset.default_graphs]
            params += [("named-graph-uri", g) for g in job.dataset.named_graphs]
        elif self.graph:
            params.append(("default-graph-uri", self.graph))
        headers = {"Accept": media or job.accept or "*/*", "Content-Type": f"{FORM_TYPE}; charset=utf-8"}
        try:
            response = self._client.post(self.endpoint, content=urlencode(params).encode("ascii"), headers=headers,
                                         timeout=timeout_s)
        except httpx.TimeoutException:
            raise SparqlError(503, "Query timeout", "the upstream SPARQL store did not answer within the time "
                              f"limit of {timeout_s:g} s; make the query more selective (or add LIMIT) and try "
                              "again", "query-timeout") from None
        except httpx.HTTPError as exc:
            raise SparqlError(502, "Bad gateway", f"the upstream SPARQL store could not be reached "
                              f"({type(exc).__name__})", "upstream-unavailable") from None
        # The store's message, without the copy of the query some stores (Virtuoso) append after a blank line.
        text = response.text.replace("\r", "").strip().split("\n\n")[0][:500] if response.status_code != 200 else ""
        if response.status_code == 400:
            raise SparqlError(400, "Query rejected", f"the SPARQL store rejected the query: {text}",
                              "query-syntax")
        if response.status_code != 200:
            raise SparqlError(502, "Bad gateway", f"the upstream SPARQL store answered HTTP "
                              f"{response.status_code}: {text}", "upstream-error")
        answered, _ = parse_media_type(response.headers.get("content-type"))
        if media is None or answered not in (media, None):
            media = answered or media or "application/octet-stream"
        rows = _upstream_count(form, media, response.content)
        if rows is not None and rows > job.max_rows:
            raise too_many_results(job.max_rows, "rows" if form == QueryForm.SELECT else "triples")
        return QueryResult(form or QueryForm.SELECT, media, response.content, rows)

    def close(self) -> None:
        """Close the HTTP client (idempotent)."""
        self._client.close()

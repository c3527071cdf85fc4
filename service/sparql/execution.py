"""Running one query on a pyoxigraph store and serialising its answer.

:func:`execute` runs inside a worker process (service/sparql/pool.py): it evaluates lazily, so a
result over the row limit is refused (422) at the first row too many rather than evaluated whole, and
writes with pyoxigraph's own result writers. :func:`describe` gives the description of one resource
(GET /id/...) with the IRI passed as a substitution, never formatted into the query text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Protocol, cast

import pyoxigraph

from ontology import PREFIXES, SG
from service.sparql.errors import SparqlError, too_many_results
from service.sparql.guard import QueryForm, leading_keyword
from service.sparql.protocol import GRAPH_FORMATS, RESULT_FORMATS, Dataset, choose_format


@dataclass(frozen=True)
class QueryJob:
    """One checked query to run, with what its answer must respect (format, row limit)."""

    query: str
    dataset: Dataset | None
    accept: str | None
    max_rows: int
    prefixes: Mapping[str, str] = field(default_factory=dict)
    """Prefixes predeclared for the query (its own PREFIX declarations win) and used in Turtle output."""
    base_iri: str | None = None
    """Base for relative IRIs in the query (its own BASE wins); without one, relative IRIs are an error."""


@dataclass(frozen=True)
class QueryResult:
    """A serialised answer: its form, media type, bytes and how many rows (or triples) it holds."""

    form: QueryForm
    media_type: str
    body: bytes
    rows: int | None
    """Solutions (SELECT) or triples (CONSTRUCT, DESCRIBE); None for ASK."""


class QueryRunner(Protocol):
    """What answers /sparql for a generation: its worker pools (service/sparql/pool.py) or an external store
    (service/sparql/upstream.py). The app makes one and closes it at shut-down."""

    def run(self, gen: Any, job: QueryJob, form: QueryForm | None, timeout_s: float) -> QueryResult:
        """The answer to the checked ``job`` on ``gen``'s data, or SparqlError (503 at the time limit)."""
        ...

    def close(self) -> None:
        """Release workers or connections (idempotent)."""
        ...


class _RowLimitExceeded(Exception):
    """Raised by the sink to stop the writer (and evaluation) past the row limit."""


class _RowCountingSink:
    """A binary sink for pyoxigraph's TSV writer that counts result rows as they are written.

    The TSV writer escapes line breaks inside terms, so every newline ends the header or one solution;
    writing stops (and evaluation with it) as soon as there are more than ``max_rows`` solutions.
    """

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.lines = 0
        self.chunks: list[bytes] = []

    @property
    def exceeded(self) -> bool:
        return self.lines - 1 > self.max_rows

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        if self.exceeded:
            raise _RowLimitExceeded
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _select(result: pyoxigraph.QuerySolutions, media: str, max_rows: int) -> tuple[bytes, int]:
    sink = _RowCountingSink(max_rows)
    try:
        result.serialize(cast(IO[bytes], sink), format=pyoxigraph.QueryResultsFormat.TSV)
    except Exception:
        if sink.exceeded:  # our sink stopped the writer (pyoxigraph may re-wrap the exception)
            raise too_many_results(max_rows, "rows") from None
        raise
    tsv = b"".join(sink.chunks)
    rows = max(0, tsv.count(b"\n") - 1)
    if RESULT_FORMATS[media] == pyoxigraph.QueryResultsFormat.TSV:
        return tsv, rows
    # Re-serialise the counted solutions with pyoxigraph's writer for the negotiated format.
    solutions = pyoxigraph.parse_query_results(tsv, pyoxigraph.QueryResultsFormat.TSV)
    body = solutions.serialize(format=RESULT_FORMATS[media])
    assert body is not None
    return body, rows


def _used_prefixes(triples: Sequence[pyoxigraph.Triple], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes whose namespace some IRI of ``triples`` is in, so the Turtle declares only those."""
    iris = {term.value for t in triples for term in (t.subject, t.predicate, t.object)
            if isinstance(term, pyoxigraph.NamedNode)}
    return {p: ns for p, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}


def _graph(result: pyoxigraph.QueryTriples, media: str, max_rows: int,
           prefixes: Mapping[str, str]) -> tuple[bytes, int]:
    triples: list[pyoxigraph.Triple] = []
    for triple in result:  # lazily: evaluation stops at the first triple over the limit
        if len(triples) >= max_rows:
            raise too_many_results(max_rows, "triples")
        triples.append(triple)
    fmt = GRAPH_FORMATS[media]
    pre = _used_prefixes(triples, prefixes) if fmt in (pyoxigraph.RdfFormat.TURTLE,
                                                       pyoxigraph.RdfFormat.RDF_XML) else None
    body = pyoxigraph.serialize(triples, format=fmt, prefixes=pre)
    assert body is not None
    return body, len(triples)


def execute(store: pyoxigraph.Store, job: QueryJob) -> QueryResult:
    """Run one query on ``store`` and serialise its result; SparqlError for bad queries and over-large results."""
    kwargs: dict[str, Any] = {}
    if job.dataset is not None:
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.dataset.default_graphs]
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.dataset.named_graphs]
    try:
        result = store.query(job.query, prefixes=dict(job.prefixes), base_iri=job.base_iri, **kwargs)
        if isinstance(result, pyoxigraph.QueryBoolean):
            media = choose_format(QueryForm.ASK, job.accept)
            body = result.serialize(format=RESULT_FORMATS[media])
            assert body is not None
            return QueryResult(QueryForm.ASK, media, body, None)
        if isinstance(result, pyoxigraph.QuerySolutions):
            media = choose_format(QueryForm.SELECT, job.accept)
            body, rows = _select(result, media, job.max_rows)
            return QueryResult(QueryForm.SELECT, media, body, rows)
        form = QueryForm.DESCRIBE if leading_keyword(job.query).startswith("DESCRIBE") else QueryForm.CONSTRUCT
        media = choose_format(form, job.accept)
        body, rows = _graph(result, media, job.max_rows, job.prefixes)
        return QueryResult(form, media, body, rows)
    except SyntaxError as exc:
        raise SparqlError(400, "Query syntax error", f"the query is not valid SPARQL 1.1: {exc}",
                          "query-syntax") from None
    except (RuntimeError, ValueError) as exc:
        raise SparqlError(400, "Query evaluation error", f"the query could not be evaluated: {exc}",
                          "query-evaluation") from None


# ------------------------------------------------------------------------------------------------------
# The description of one resource (GET /id/...)
# ------------------------------------------------------------------------------------------------------

_RESOURCE = pyoxigraph.Variable("resource")
DESCRIBE_QUERY = f"""
    CONSTRUCT {{ ?s ?p ?o }} WHERE {{
      {{ ?resource ?p ?o BIND(?resource AS ?s) }}
      UNION {{ ?resource <{SG.sourceSpan}>|<{SG.sourceSegment}> ?s . ?s ?p ?o }}
    }}"""
"""The resource's own triples plus those of its source selectors; ``?resource`` is substituted."""


def describe(store: pyoxigraph.Store, iri: str, media: str) -> bytes:
    """The triples of resource ``iri`` and of its source selectors, serialised as ``media`` (a GRAPH_FORMATS
    type). The IRI is bound by pyoxigraph's ``substitutions``, so no text of it reaches the query parser."""
    result = store.query(DESCRIBE_QUERY, substitutions={_RESOURCE: pyoxigraph.NamedNode(iri)})
    assert isinstance(result, pyoxigraph.QueryTriples)
    prefixes = {k: str(v) for k, v in PREFIXES.items() if k != "sgid"}
    data = pyoxigraph.serialize(result, format=GRAPH_FORMATS[media], prefixes=prefixes)
    assert data is not None
    return data

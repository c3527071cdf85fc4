"""A read-only SPARQL 1.1 Protocol endpoint over a generation's Oxigraph store.

Three layers, so the HTTP route stays thin:

* pure functions: parse a protocol request (GET, POST form, POST direct), inspect the query text
  (refuse SPARQL Update and federated ``SERVICE`` before anything runs), negotiate the result format,
  and execute a query on a given store, serialising with pyoxigraph's own result writers;
* :class:`SparqlPool`: worker processes that each hold their own copy of the store and run one query
  at a time. The parent waits at most the time limit for an answer and then kills the worker, so a
  runaway query is stopped at the limit and never holds a thread, a core or the GIL of the service;
* the example-query catalogue shipped in ``service/queries`` (``catalogue.toml`` + ``*.rq``).

Nothing here imports FastAPI; errors are :class:`SparqlError` (status, title, detail, kind) which the
route renders as application/problem+json.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import parse_qsl, urlencode

import pyoxigraph

from service.conneg import negotiate

log = logging.getLogger("strategigraf.sparql")

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


class SparqlError(Exception):
    """A refused or failed SPARQL request, with the HTTP status and problem-details fields to answer with."""

    def __init__(self, status: int, title: str, detail: str, kind: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.kind = status, title, detail, kind
        self.headers = headers

    def as_tuple(self) -> tuple[int, str, str, str]:
        return self.status, self.title, self.detail, self.kind


def _read_only(what: str) -> SparqlError:
    return SparqlError(403, "Read-only endpoint",
                       f"{what}: this SPARQL endpoint is read-only and accepts queries (SELECT, ASK, CONSTRUCT, "
                       "DESCRIBE) only; nothing was changed", "read-only")


# ------------------------------------------------------------------------------------------------------
# Protocol requests
# ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """An RDF dataset named by the request's ``default-graph-uri`` / ``named-graph-uri`` parameters.

    As for FROM / FROM NAMED, naming only named graphs leaves the default graph empty, and a named graph
    that does not exist in the store is simply empty.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProtocolRequest:
    query: str
    dataset: Dataset | None = None
    """None: the service's dataset (the store's default graph plus any named graphs; FROM in the query applies)."""


def parse_media_type(header: str | None) -> tuple[str | None, dict[str, str]]:
    """``'application/sparql-query; charset=UTF-8'`` → ``('application/sparql-query', {'charset': 'utf-8'})``."""
    if header is None or not header.strip():
        return None, {}
    media, *params = header.split(";")
    out: dict[str, str] = {}
    for param in params:
        name, _, value = param.partition("=")
        out[name.strip().lower()] = value.strip().strip('"').lower()
    return media.strip().lower(), out


def _decode_utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SparqlError(400, "Bad request", f"{what} is not valid UTF-8 (byte {exc.start}); SPARQL requests "
                          "must be encoded in UTF-8", "not-utf8") from None


def parse_form(data: bytes, what: str = "the form body") -> list[tuple[str, str]]:
    """``a=1&b=%C3%A6`` → ``[('a', '1'), ('b', 'æ')]``, refusing (400) anything that is not UTF-8."""
    text = _decode_utf8(data, what)
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise SparqlError(400, "Bad request", f"a percent-encoded value in {what} is not valid UTF-8",
                          "not-utf8") from None


def parse_protocol_request(method: str, content_type: str | None, url_params: Sequence[tuple[str, str]],
                           body: bytes, *, max_chars: int) -> ProtocolRequest:
    """The query operation of the SPARQL 1.1 Protocol for GET, POST form-encoded and POST direct requests.

    Refuses (403) any update operation, and (4xx) a missing or repeated query, a POST without a supported
    Content-Type, a body that is not UTF-8, and a query longer than ``max_chars`` characters.
    """
    method = method.upper()
    params = list(url_params)
    direct_query: str | None = None
    if method == "POST":
        media, media_params = parse_media_type(content_type)
        if media is None:
            raise SparqlError(415, "Unsupported media type",
                              f"a POST needs a Content-Type: {FORM_TYPE} (query=...) or {QUERY_TYPE} "
                              "(the query as the body)", "unsupported-media-type")
        if media == UPDATE_TYPE:
            raise _read_only("SPARQL Update (application/sparql-update) is not accepted")
        charset = media_params.get("charset")
        if media == FORM_TYPE:
            params += parse_form(body)
        elif media == QUERY_TYPE:
            if charset not in (None, "utf-8", "utf8"):
                raise SparqlError(415, "Unsupported media type",
                                  f"the query body must be UTF-8, not {charset}", "unsupported-media-type")
            direct_query = _decode_utf8(body, "the query body")
        else:
            raise SparqlError(415, "Unsupported media type",
                              f"Content-Type {media} is not accepted; POST a query as {FORM_TYPE} (query=...) "
                              f"or as {QUERY_TYPE}", "unsupported-media-type")
    elif method != "GET":
        raise SparqlError(405, "Method not allowed", f"{method} is not allowed; query with GET or POST",
                          "method-not-allowed")
    names = [name for name, _ in params]
    if "update" in names:
        raise _read_only("the 'update' operation is not accepted")
    queries = [value for name, value in params if name == "query"]
    if direct_query is not None:
        if queries:
            raise SparqlError(400, "Bad request", "a direct POST carries the query in its body; do not also "
                              "send a 'query' parameter", "multiple-queries")
        queries = [direct_query]
    if not queries:
        raise SparqlError(400, "Missing query", "no SPARQL query given: send it as the 'query' parameter "
                          "(GET or form POST) or as an application/sparql-query body; examples are listed "
                          "at /sparql/examples", "missing-query")
    if len(queries) > 1:
        raise SparqlError(400, "Bad request", f"{len(queries)} 'query' parameters given; send exactly one",
                          "multiple-queries")
    query = queries[0]
    if len(query) > max_chars:
        raise SparqlError(413, "Query too long", f"the query has {len(query)} characters; the limit is "
                          f"{max_chars}", "query-too-long")
    defaults = tuple(v for n, v in params if n == "default-graph-uri")
    named = tuple(v for n, v in params if n == "named-graph-uri")
    for iri in defaults + named:
        try:
            pyoxigraph.NamedNode(iri)
        except ValueError as exc:
            raise SparqlError(400, "Bad request", f"graph IRI {iri!r} is not a valid absolute IRI: {exc}",
                              "invalid-graph-iri") from None
    dataset = Dataset(defaults, named) if defaults or named else None
    return ProtocolRequest(query=query, dataset=dataset)


# ------------------------------------------------------------------------------------------------------
# Query inspection: done on the query's tokens, before anything runs
# ------------------------------------------------------------------------------------------------------


class QueryForm(StrEnum):
    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"


UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_ESC = r"\\(?:[tbnrf\\\"']|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"
_UCHAR = r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})"
# The lexical units whose content is not SPARQL syntax (SPARQL 1.1 grammar, §19.8): comments, the four
# string forms, IRI references and variables. Everything else in a query is keywords and punctuation.
_TOKEN = re.compile(
    r"(?P<comment>\#[^\n\r]*)"
    rf"|(?P<string>'''(?:(?:''?)?(?:[^'\\]|{_ESC}))*'''"
    rf'|"""(?:(?:""?)?(?:[^"\\]|{_ESC}))*"""'
    rf"|'(?:[^'\\\n\r]|{_ESC})*'"
    rf'|"(?:[^"\\\n\r]|{_ESC})*")'
    rf"|(?P<iri><(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)"
    r"|(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)"
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"service", re.IGNORECASE)
_PROLOGUE = re.compile(r"\A\s*(?:(?:BASE\s*<>|PREFIX\s*[^\s<]*\s*<>)\s*)*([A-Za-z]*)", re.IGNORECASE)


def code_view(text: str) -> str:
    """The query with comments blanked and strings, IRIs and variables replaced by placeholders.

    What is left is exactly the part of the query that keywords can appear in.
    """
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(text[pos:match.start()])
        kind = match.lastgroup
        out.append(" " if kind == "comment" else '""' if kind == "string" else "<>" if kind == "iri" else "?v")
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _unescape_codepoints(text: str) -> str:
    """SPARQL §19.2: ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes may be expanded before parsing."""
    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)
    return _CODEPOINT.sub(repl, text)


def is_federated(text: str) -> bool:
    """Whether the query may contain a ``SERVICE`` clause.

    Oxigraph's parser matches the keyword without a word boundary (``SERVICE<x>``, ``SERVICEp:x`` and
    ``1SERVICE<x>`` are all service calls), so this is deliberately conservative: any ``service`` outside
    strings, IRIs, comments and variable names counts, in the text as written and after expanding
    codepoint escapes.
    """
    return any(_SERVICE.search(code_view(view)) for view in (text, _unescape_codepoints(text)))


def leading_keyword(text: str) -> str:
    """The first word after the prologue (BASE / PREFIX declarations), upper-cased; '' when there is none."""
    match = _PROLOGUE.match(code_view(text))
    return (match.group(1) if match else "").upper()


def inspect_query(text: str) -> QueryForm | None:
    """The query form; refuses updates (403) and federated queries (403) before anything is evaluated.

    None when the text starts with no known keyword: it is not a query, and the parser will say why.
    """
    word = leading_keyword(text)
    for keyword in UPDATE_KEYWORDS:
        if word.startswith(keyword):
            raise _read_only(f"SPARQL Update ({keyword}) is not accepted")
    if is_federated(text):
        raise SparqlError(403, "Federated query refused",
                          "federated queries (SERVICE) are not allowed: this endpoint never contacts other "
                          "services; query the Strategigraf data only (the word SERVICE may appear only in "
                          "strings, IRIs, comments and variable names)", "federation-refused")
    for form in QueryForm:
        if word.startswith(form.value):
            return form
    return None


# ------------------------------------------------------------------------------------------------------
# Result formats
# ------------------------------------------------------------------------------------------------------

RESULT_FORMATS: dict[str, pyoxigraph.QueryResultsFormat] = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}
"""SELECT and ASK results, default first (CSV/TSV booleans are pyoxigraph's bare ``true``/``false``)."""

GRAPH_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}
"""CONSTRUCT and DESCRIBE results, default first."""


def offers_for(form: QueryForm) -> list[str]:
    return list(RESULT_FORMATS if form in (QueryForm.SELECT, QueryForm.ASK) else GRAPH_FORMATS)


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


def choose_format(form: QueryForm, accept: str | None) -> str:
    """The media type to answer ``form`` with for this Accept header; 406 when none is acceptable."""
    offers = offers_for(form)
    media = negotiate(accept, offers)
    if media is None:
        raise SparqlError(406, "Not acceptable", f"{form.value} results are available as {', '.join(offers)} "
                          f"(Accept was {accept!r})", "not-acceptable")
    return media


# ------------------------------------------------------------------------------------------------------
# Execution on a store (runs inside a worker process)
# ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryJob:
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
    form: QueryForm
    media_type: str
    body: bytes
    rows: int | None
    """Solutions (SELECT) or triples (CONSTRUCT, DESCRIBE); None for ASK."""


class _RowLimitExceeded(Exception):
    pass


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


def _too_many(max_rows: int, what: str) -> SparqlError:
    return SparqlError(422, "Too many results",
                       f"the query returns more than {max_rows} {what}, the most this endpoint returns in one "
                       "answer; nothing was cut off silently: narrow the query or page through it with "
                       "ORDER BY + LIMIT/OFFSET", "too-many-results")


def _select(result: pyoxigraph.QuerySolutions, media: str, max_rows: int) -> tuple[bytes, int]:
    sink = _RowCountingSink(max_rows)
    try:
        result.serialize(cast(IO[bytes], sink), format=pyoxigraph.QueryResultsFormat.TSV)
    except Exception:
        if sink.exceeded:  # our sink stopped the writer (pyoxigraph may re-wrap the exception)
            raise _too_many(max_rows, "rows") from None
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
            raise _too_many(max_rows, "triples")
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
# Upstream mode: forward a checked query to an external SPARQL 1.1 endpoint (settings.sparql_upstream)
# ------------------------------------------------------------------------------------------------------

_DECLARED_PREFIX = re.compile(r"PREFIX\s*([A-Za-z][\w.\-]*)?\s*:", re.IGNORECASE)
_DECLARED_BASE = re.compile(r"(?<![\w])BASE\s*<>", re.IGNORECASE)
_upstream_client: Any = None
_upstream_lock = threading.Lock()


def with_prologue(query: str, prefixes: Mapping[str, str], base_iri: str | None) -> str:
    """``query`` with BASE and the predeclared prefixes it does not declare itself written out in front,
    so an external store reads it exactly as the embedded one (which predeclares them) would."""
    code = code_view(query)
    declared = {m.group(1) or "" for m in _DECLARED_PREFIX.finditer(code)}
    lines = [] if base_iri is None or _DECLARED_BASE.search(code) else [f"BASE <{base_iri}>"]
    lines += [f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items() if p not in declared]
    return "\n".join([*lines, query])


def _client() -> Any:
    global _upstream_client
    import httpx

    with _upstream_lock:
        if _upstream_client is None:
            _upstream_client = httpx.Client(follow_redirects=False)
        return _upstream_client


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


def forward_query(endpoint: str, job: QueryJob, form: QueryForm | None, graph: str | None,
                  timeout_s: float) -> QueryResult:
    """Run an already checked ``job`` on an external SPARQL 1.1 query endpoint (Protocol POST, form-encoded).

    The request's dataset is passed on; without one, ``graph`` (where ``strategigraf publish`` put the
    build) becomes the default graph. The answer is returned as the store sent it, in the media type
    negotiated here; its rows are counted and the row limit applied as for the embedded store.
    Errors: time limit → 503 query-timeout; store rejects the query (400) → 400; anything else → 502.
    """
    import httpx

    media = choose_format(form, job.accept) if form is not None else None
    params: list[tuple[str, str]] = [("query", with_prologue(job.query, job.prefixes, job.base_iri))]
    if job.dataset is not None:
        params += [("default-graph-uri", g) for g in job.dataset.default_graphs]
        params += [("named-graph-uri", g) for g in job.dataset.named_graphs]
    elif graph:
        params.append(("default-graph-uri", graph))
    headers = {"Accept": media or job.accept or "*/*", "Content-Type": f"{FORM_TYPE}; charset=utf-8"}
    try:
        response = _client().post(endpoint, content=urlencode(params).encode("ascii"), headers=headers,
                                  timeout=timeout_s)
    except httpx.TimeoutException:
        raise SparqlError(503, "Query timeout", f"the upstream SPARQL store did not answer within the time limit "
                          f"of {timeout_s:g} s; make the query more selective (or add LIMIT) and try again",
                          "query-timeout") from None
    except httpx.HTTPError as exc:
        raise SparqlError(502, "Bad gateway", f"the upstream SPARQL store could not be reached "
                          f"({type(exc).__name__})", "upstream-unavailable") from None
    # The store's message, without the copy of the query some stores (Virtuoso) append after a blank line.
    text = response.text.replace("\r", "").strip().split("\n\n")[0][:500] if response.status_code != 200 else ""
    if response.status_code == 400:
        raise SparqlError(400, "Query rejected", f"the SPARQL store rejected the query: {text}",
                          "query-syntax")
    if response.status_code != 200:
        raise SparqlError(502, "Bad gateway", f"the upstream SPARQL store answered HTTP {response.status_code}: "
                          f"{text}", "upstream-error")
    answered, _ = parse_media_type(response.headers.get("content-type"))
    if media is None or answered not in (media, None):
        media = answered or media or "application/octet-stream"
    rows = _upstream_count(form, media, response.content)
    if rows is not None and rows > job.max_rows:
        raise _too_many(job.max_rows, "rows" if form == QueryForm.SELECT else "triples")
    return QueryResult(form or QueryForm.SELECT, media, response.content, rows)


def dump_store(store: pyoxigraph.Store) -> bytes:
    """The whole store as N-Quads, to give each worker an identical copy."""
    data = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    assert data is not None
    return data


def _exit_with_parent(parent: int) -> None:
    """Watchdog thread of a worker: end the process when the service that started it is gone."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def worker_main(fd: int, parent: int) -> None:
    """Entry point of a worker process: receive the store, report ready, then answer jobs one at a time.

    pyoxigraph releases the GIL while it evaluates, so the watchdog thread runs even during a long query.
    """
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    conn = Connection(fd)
    try:
        source = conn.recv_bytes()
    except (EOFError, OSError):
        return
    store = pyoxigraph.Store()
    if source:
        store.bulk_load(source, format=pyoxigraph.RdfFormat.N_QUADS)
    del source
    conn.send(("ready", len(store)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", execute(store, job))
        except SparqlError as exc:
            reply = ("error", exc.as_tuple())
        except Exception as exc:  # noqa: BLE001 - reported to the caller, the worker stays up
            reply = ("error", (500, "Query failed", f"{type(exc).__name__}: {exc}", "query-failed"))
        conn.send(reply)


# ------------------------------------------------------------------------------------------------------
# Worker pool: the time limit
# ------------------------------------------------------------------------------------------------------

DEFAULT_WORKERS = 2
# Queries beyond the workers wait (bounded by the time limit) rather than fail: 16 per worker keeps a burst
# of concurrent clients answered while leaving most of the (enlarged) thread pool to other routes.
PENDING_PER_WORKER = 16
"""Queries that may run or wait per worker before more are refused with 503 (keeps service threads free)."""
START_GRACE_S = 60.0
"""How long a request may wait for a worker beyond the query time limit (covers a worker's start-up)."""

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection


def _start_worker() -> _Worker:
    """A fresh interpreter running :func:`worker_main`, connected by a socket pair.

    A plain subprocess (not multiprocessing's spawn) so the service's ``__main__`` is never re-imported,
    in its own session so a Ctrl-C at the terminal reaches the service, which then stops its workers.
    """
    ours, theirs = socket.socketpair()
    code = f"from service.sparql import worker_main; worker_main({theirs.fileno()}, {os.getpid()})"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH"))
                                                       if p)}
    try:
        process = subprocess.Popen([sys.executable, "-c", code], pass_fds=[theirs.fileno()], env=env,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    finally:
        theirs.close()
    return _Worker(process, Connection(ours.detach()))


class SparqlPool:
    """Worker processes, each with its own copy of the store, running one query at a time.

    ``run`` hands a job to an idle worker and waits at most ``timeout_s`` for the answer; past that the
    worker is killed (SIGKILL: a query inside Oxigraph cannot be interrupted any other way) and a fresh
    one is started in the background. Other requests keep being served by the other workers meanwhile.
    """

    def __init__(self, source: bytes, expected_triples: int | None = None, size: int = DEFAULT_WORKERS,
                 start_timeout_s: float = START_GRACE_S, max_pending: int | None = None) -> None:
        self._max_pending = max_pending if max_pending is not None else PENDING_PER_WORKER * max(1, size)
        self._pending = 0
        self._source = source
        self._expected = expected_triples
        self._start_timeout = start_timeout_s
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.start_error: str | None = None
        self.killed = 0
        for _ in range(max(1, size)):
            self._spawn()

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._workers)

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers]

    def _spawn(self) -> None:
        worker = _start_worker()
        with self._lock:
            if self._closed:
                self._stop(worker)
                return
            self._workers.add(worker)
        threading.Thread(target=self._start, args=(worker,), daemon=True, name="sparql-worker-start").start()

    def _start(self, worker: _Worker) -> None:
        message: Any = None
        try:
            worker.conn.send_bytes(self._source)
            if worker.conn.poll(self._start_timeout):
                message = worker.conn.recv()
        except (EOFError, OSError) as exc:
            message = exc
        if (isinstance(message, tuple) and message[0] == "ready"
                and (self._expected is None or message[1] == self._expected)):
            self.start_error = None
            self._idle.put(worker)
            return
        self.start_error = f"a SPARQL worker failed to start: {message!r}"
        log.error("%s (expected %s triples)", self.start_error, self._expected)
        with self._lock:
            self._workers.discard(worker)
        self._stop(worker)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(timeout=5)
        with contextlib.suppress(OSError):
            worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
            closed = self._closed
        self._stop(worker)
        if not closed:
            self._spawn()

    def _acquire(self, wait_s: float) -> _Worker:
        deadline = time.monotonic() + wait_s
        while True:
            if self._closed:
                raise SparqlError(503, "Service unavailable", "the SPARQL workers are shutting down",
                                  "sparql-unavailable")
            if self.size == 0 and self.start_error:
                raise SparqlError(503, "Service unavailable", self.start_error, "sparql-unavailable")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SparqlError(503, "Service busy", "every SPARQL worker is busy; try again shortly",
                                  "sparql-busy", headers={"Retry-After": "2"})
            try:
                worker = self._idle.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if worker.process.poll() is None:
                return worker
            self._replace(worker)

    def run(self, job: QueryJob, timeout_s: float, wait_s: float | None = None) -> QueryResult:
        """Run ``job`` on an idle worker: its result, or SparqlError (including 503 at the time limit).

        At most ``max_pending`` calls run or wait at once (each holds a thread of the service's thread
        pool); more are refused at once with 503, so queries can never tie up every thread of the service.
        """
        with self._lock:
            if self._pending >= self._max_pending:
                raise SparqlError(503, "Service busy", f"{self._pending} SPARQL queries are already running or "
                                  "waiting; try again shortly", "sparql-busy", headers={"Retry-After": "2"})
            self._pending += 1
        try:
            return self._run(job, timeout_s, timeout_s + self._start_timeout if wait_s is None else wait_s)
        finally:
            with self._lock:
                self._pending -= 1

    def _run(self, job: QueryJob, timeout_s: float, wait_s: float) -> QueryResult:
        worker = self._acquire(wait_s)
        try:
            worker.conn.send(job)
            answered = worker.conn.poll(timeout_s)
            reply = worker.conn.recv() if answered else None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise SparqlError(500, "Query failed", f"the SPARQL worker stopped unexpectedly ({exc!r})",
                              "query-failed") from None
        if reply is None:
            self.killed += 1
            with contextlib.suppress(OSError):
                worker.process.kill()  # at once; reaping and the replacement happen in the background
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise SparqlError(503, "Query timeout",
                              f"the query exceeded the time limit of {timeout_s:g} s and was stopped; "
                              "make it more selective (or add LIMIT) and try again", "query-timeout")
        self._idle.put(worker)
        status, payload = reply
        if status == "ok":
            assert isinstance(payload, QueryResult)
            return payload
        raise SparqlError(*payload)

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            self._stop(worker)


# ------------------------------------------------------------------------------------------------------
# Example-query catalogue
# ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    description: str
    query: str


def load_catalogue() -> list[Example]:
    """The example queries listed in ``queries/catalogue.toml``, each read from ``<id>.rq``, in catalogue order."""
    root = resources.files("service").joinpath("queries")
    catalogue = tomllib.loads(root.joinpath("catalogue.toml").read_text(encoding="utf-8"))
    return [Example(id=entry["id"], title=entry["title"], description=entry["description"],
                    query=root.joinpath(f"{entry['id']}.rq").read_text(encoding="utf-8"))
            for entry in catalogue["query"]]


def as_dicts(examples: Iterable[Example]) -> list[dict[str, str]]:
    return [{"id": e.id, "title": e.title, "description": e.description, "query": e.query} for e in examples]


__all__ = [
    "DEFAULT_WORKERS", "FORM_TYPE", "GRAPH_FORMATS", "QUERY_TYPE", "RESULT_FORMATS", "UPDATE_TYPE", "Dataset",
    "Example", "ProtocolRequest", "QueryForm", "QueryJob", "QueryResult", "SparqlError", "SparqlPool",
    "as_dicts", "choose_format", "code_view", "content_type", "dump_store", "execute", "forward_query",
    "with_prologue", "inspect_query",
    "is_federated", "leading_keyword", "worker_main", "load_catalogue", "parse_form", "parse_media_type", "parse_protocol_request",
]

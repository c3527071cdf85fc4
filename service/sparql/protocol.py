"""The SPARQL 1.1 Protocol, query operation: reading a request and choosing the result format.

A request is GET (``?query=``), POST form-encoded (``query=``) or POST direct (an
``application/sparql-query`` body), with an optional dataset (``default-graph-uri`` /
``named-graph-uri``). Updates are refused (403) whichever way they come. The result format is
negotiated from the Accept header among pyoxigraph's own writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph

from service.conneg import negotiate
from service.sparql.errors import SparqlError, read_only_refusal
from service.sparql.guard import QueryForm

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


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
    """The query operation of one request: the query text and the dataset it names, if any."""

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
            raise read_only_refusal("SPARQL Update (application/sparql-update) is not accepted")
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
        raise read_only_refusal("the 'update' operation is not accepted")
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
    """The media types a result of ``form`` can be written in, default first."""
    return list(RESULT_FORMATS if form in (QueryForm.SELECT, QueryForm.ASK) else GRAPH_FORMATS)


def content_type(media: str) -> str:
    """The Content-Type header for ``media``: text formats say their charset."""
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


def choose_format(form: QueryForm, accept: str | None) -> str:
    """The media type to answer ``form`` with for this Accept header; 406 when none is acceptable."""
    offers = offers_for(form)
    media = negotiate(accept, offers)
    if media is None:
        raise SparqlError(406, "Not acceptable", f"{form.value} results are available as {', '.join(offers)} "
                          f"(Accept was {accept!r})", "not-acceptable")
    return media

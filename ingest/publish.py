"""Publish a build's graph to an external SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, QLever's loader …).

Two ways in, tried in this order by ``protocol="auto"``:

* the SPARQL 1.1 Graph Store HTTP Protocol: the first chunk is PUT to ``<endpoint>?graph=<IRI>``
  (replacing whatever the graph held), the others are POSTed (appended). Virtuoso's endpoint
  ``/sparql-graph-crud-auth`` names the graph ``graph-uri`` instead of ``graph``; that spelling is used
  whenever the endpoint path ends in ``sparql-graph-crud`` or ``sparql-graph-crud-auth``;
* SPARQL 1.1 Update, when the store has no graph-store endpoint at that URL (404, 405, 415, 501 on the
  first PUT): ``DROP SILENT GRAPH`` then one ``INSERT DATA { GRAPH <IRI> { … } }`` per chunk (``INSERT
  { … } WHERE {}`` for the chunk with blank nodes), POSTed as ``update=`` forms to the same URL (when the
  fallback is automatic) or to the endpoint given with ``protocol="update"`` (for Virtuoso: ``/sparql-auth``).

The payload is the generation's ``graph.nt`` (the very file the embedded store loads), cut at line
boundaries into chunks of about ``chunk_bytes``. N-Triples is a subset of Turtle, so every chunk is sent
as ``text/turtle``. Blank-node labels are scoped to one request, so every triple that mentions a blank
node goes into the same (first) chunk. Credentials go through HTTP digest (Virtuoso) or basic auth.

Nothing here imports the service; errors are :class:`PublishError` (an :class:`IngestError`, exit code 1).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode, urlsplit

import httpx

from ingest.errors import IngestError

DEFAULT_GRAPH = "https://w3id.org/strategigraf/graph"
"""Graph IRI the build is published under unless told otherwise (``--graph`` / ``sparql_upstream_graph``)."""
DEFAULT_CHUNK_BYTES = 4_000_000
TURTLE = "text/turtle; charset=utf-8"
_NO_GRAPH_STORE = {404, 405, 415, 501}
_XSD_STRING_OBJECT = re.compile(rb'"\^\^<http://www\.w3\.org/2001/XMLSchema#string>(\s*\.)$')

Protocol = Literal["auto", "gsp", "update"]
AuthScheme = Literal["digest", "basic"]


class PublishError(IngestError):
    """The store refused or could not be reached; the message says which request and what it answered."""

    exit_code = 1


@dataclass(frozen=True)
class PublishTarget:
    endpoint: str
    """Graph Store endpoint (e.g. ``http://host:8890/sparql-graph-crud-auth``) or SPARQL Update endpoint."""
    graph: str = DEFAULT_GRAPH
    user: str | None = None
    password: str | None = None
    auth: AuthScheme = "digest"
    protocol: Protocol = "auto"
    timeout_s: float = 300.0
    chunk_bytes: int = DEFAULT_CHUNK_BYTES


@dataclass(frozen=True)
class PublishReport:
    graph: str
    protocol: Literal["gsp", "update"]
    triples: int
    chunks: int
    bytes: int
    seconds: float


def graph_param(endpoint: str) -> str:
    """The query parameter naming the graph: ``graph`` (SPARQL 1.1 GSP), ``graph-uri`` for Virtuoso's CRUD path."""
    path = urlsplit(endpoint).path.rstrip("/")
    return "graph-uri" if path.endswith(("sparql-graph-crud", "sparql-graph-crud-auth")) else "graph"


def graph_store_url(endpoint: str, graph: str) -> str:
    """``endpoint`` with the graph parameter added (indirect graph identification, GSP §4.2)."""
    sep = "&" if "?" in endpoint else "?"
    return f"{endpoint}{sep}{urlencode({graph_param(endpoint): graph})}"


def chunk_ntriples(lines: Iterable[bytes], chunk_bytes: int) -> Iterator[bytes]:
    """N-Triples lines grouped into chunks of at most about ``chunk_bytes`` (a single long line is one chunk).

    Lines with a blank node (``_:``) all go into the first chunk, so they share one blank-node scope.
    Comment and empty lines are dropped. Always yields at least one (possibly empty) chunk.

    Objects written ``"…"^^xsd:string`` (rdflib writes the datatype out) are sent as simple literals
    ``"…"``: the same RDF 1.1 term, but Virtuoso 7 keeps RDF 1.0 semantics, stores the typed form as a
    different value, and a query's ``"strong"`` would then match nothing.
    """
    with_bnodes: list[bytes] = []
    plain: list[bytes] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith(b"#"):
            continue
        line = _XSD_STRING_OBJECT.sub(rb'"\1', line)
        (with_bnodes if b"_:" in line else plain).append(line + b"\n")
    current: list[bytes] = list(with_bnodes)
    size = sum(map(len, current))
    emitted = False
    for line in plain:
        if current and size + len(line) > chunk_bytes and size > 0:
            yield b"".join(current)
            emitted = True
            current, size = [], 0
        current.append(line)
        size += len(line)
    if current or not emitted:
        yield b"".join(current)


def count_triples(chunks: Iterable[bytes]) -> int:
    return sum(chunk.count(b"\n") for chunk in chunks)


def _auth(target: PublishTarget) -> httpx.Auth | None:
    if target.user is None:
        return None
    password = target.password or ""
    return httpx.DigestAuth(target.user, password) if target.auth == "digest" else httpx.BasicAuth(target.user,
                                                                                                 password)


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code in (200, 201, 204):
        return
    hint = " (check --user/--password and --auth)" if response.status_code in (401, 403) else ""
    text = response.text.strip().replace("\n", " ")[:400]
    raise PublishError(f"{what} answered HTTP {response.status_code}{hint}: {text}")


def _send_gsp(client: httpx.Client, target: PublishTarget, chunks: list[bytes]) -> bool:
    """PUT the first chunk, POST the rest; False when the endpoint speaks no Graph Store Protocol."""
    url = graph_store_url(target.endpoint, target.graph)
    for i, chunk in enumerate(chunks):
        method = "PUT" if i == 0 else "POST"
        response = client.request(method, url, content=chunk, headers={"Content-Type": TURTLE})
        if i == 0 and response.status_code in _NO_GRAPH_STORE and target.protocol == "auto":
            return False
        _check(response, f"{method} {url} (chunk {i + 1} of {len(chunks)})")
    return True


def _send_update(client: httpx.Client, target: PublishTarget, chunks: list[bytes]) -> None:
    iri = f"<{target.graph}>"
    statements = [f"DROP SILENT GRAPH {iri}"]
    for chunk in chunks:
        if not chunk:
            continue
        body = chunk.decode("utf-8")
        # Blank nodes: INSERT DATA allows them, but Virtuoso refuses them there ("not allowed in a constant
        # clause"); an INSERT template with one (empty) solution gives the same fresh nodes everywhere.
        statements.append(f"INSERT {{ GRAPH {iri} {{\n{body}}} }} WHERE {{}}" if "_:" in body
                          else f"INSERT DATA {{ GRAPH {iri} {{\n{body}}} }}")
    for i, update in enumerate(statements):
        response = client.post(target.endpoint, data={"update": update})
        _check(response, f"SPARQL Update POST {target.endpoint} (statement {i + 1} of {len(statements)})")


def publish_chunks(chunks: list[bytes], target: PublishTarget,
                   progress: Callable[[str], None] | None = None) -> PublishReport:
    """Load ``chunks`` (N-Triples) into ``target.graph``, replacing what it held."""
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    used: Literal["gsp", "update"]
    try:
        with httpx.Client(auth=_auth(target), timeout=target.timeout_s) as client:
            if target.protocol in ("auto", "gsp"):
                say(f"Graph Store Protocol: {len(chunks)} chunk(s) → {target.endpoint}")
                if _send_gsp(client, target, chunks):
                    used = "gsp"
                else:
                    say("no Graph Store endpoint there; falling back to SPARQL Update")
                    _send_update(client, target, chunks)
                    used = "update"
            else:
                say(f"SPARQL Update: {len(chunks)} chunk(s) → {target.endpoint}")
                _send_update(client, target, chunks)
                used = "update"
    except httpx.HTTPError as exc:
        raise PublishError(f"could not reach {target.endpoint}: {type(exc).__name__}: {exc}") from None
    return PublishReport(graph=target.graph, protocol=used, triples=count_triples(chunks), chunks=len(chunks),
                         bytes=sum(map(len, chunks)), seconds=round(time.perf_counter() - started, 3))


def publish_generation(generation: Path, target: PublishTarget,
                       progress: Callable[[str], None] | None = None) -> PublishReport:
    """Publish the ``graph.nt`` of a build generation folder to ``target``."""
    source = generation / "graph.nt"
    if not source.is_file():
        raise PublishError(f"{source} is missing: not a complete build generation")
    with source.open("rb") as fh:
        chunks = list(chunk_ntriples(fh, target.chunk_bytes))
    return publish_chunks(chunks, target, progress)

"""The read-only SPARQL 1.1 endpoint over a generation's Oxigraph store, one job per module:

* :mod:`~service.sparql.protocol`: reading a Protocol request (GET, POST form, POST direct, the dataset
  parameters) and negotiating the result format;
* :mod:`~service.sparql.guard`: what a query is; updates and federated ``SERVICE`` refused before anything runs;
* :mod:`~service.sparql.execution`: running a query on a store and serialising its answer (and the
  description of one resource, for GET /id/...);
* :mod:`~service.sparql.pool`: worker processes that run queries with a time limit, one pool per generation;
* :mod:`~service.sparql.upstream`: forwarding a checked query to an external store instead;
* :mod:`~service.sparql.catalogue`: the example queries in ``service/queries``;
* :mod:`~service.sparql.errors`: :class:`SparqlError`, which the route renders as problem+json.

Nothing here imports FastAPI. The names below are re-exported for callers outside the package.
"""

from __future__ import annotations

from service.sparql.catalogue import Example, catalogue, load_catalogue
from service.sparql.errors import SparqlError
from service.sparql.execution import QueryJob, QueryResult, describe, execute
from service.sparql.guard import QueryForm, inspect_query
from service.sparql.pool import GenerationPools, SparqlPool
from service.sparql.protocol import Dataset, ProtocolRequest, choose_format, parse_protocol_request
from service.sparql.upstream import UpstreamStore

__all__ = [
    "Dataset", "Example", "GenerationPools", "ProtocolRequest", "QueryForm", "QueryJob", "QueryResult",
    "SparqlError", "SparqlPool", "UpstreamStore", "catalogue", "choose_format", "describe", "execute",
    "inspect_query", "load_catalogue", "parse_protocol_request",
]

"""The one error type of the SPARQL package: a refused or failed request, with what to answer it with.

Nothing in service/sparql imports FastAPI; the route (service/routes/sparql_api.py) renders a
:class:`SparqlError` as application/problem+json.
"""

from __future__ import annotations


class SparqlError(Exception):
    """A refused or failed SPARQL request, with the HTTP status and problem-details fields to answer with."""

    def __init__(self, status: int, title: str, detail: str, kind: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.kind = status, title, detail, kind
        self.headers = headers

    def as_tuple(self) -> tuple[int, str, str, str]:
        """The fields a worker process sends back to rebuild the error in the service."""
        return self.status, self.title, self.detail, self.kind


def read_only_refusal(what: str) -> SparqlError:
    """403 for anything that would change the store: this endpoint is read-only."""
    return SparqlError(403, "Read-only endpoint",
                       f"{what}: this SPARQL endpoint is read-only and accepts queries (SELECT, ASK, CONSTRUCT, "
                       "DESCRIBE) only; nothing was changed", "read-only")


def too_many_results(max_rows: int, what: str) -> SparqlError:
    """422 for a result over the row limit: refused whole, never cut off silently."""
    return SparqlError(422, "Too many results",
                       f"the query returns more than {max_rows} {what}, the most this endpoint returns in one "
                       "answer; nothing was cut off silently: narrow the query or page through it with "
                       "ORDER BY + LIMIT/OFFSET", "too-many-results")

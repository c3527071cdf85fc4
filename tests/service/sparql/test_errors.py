"""service/sparql/errors.py: the SPARQL package's one error, what it carries across a worker process, and the two
refusals it words the same everywhere (how the route renders it: tests/service/routes/test_sparql_api.py)."""

from __future__ import annotations

import pickle

from service.sparql.errors import SparqlError, read_only_refusal, too_many_results


def test_an_error_rebuilt_from_its_tuple_says_the_same() -> None:
    error = SparqlError(400, "Bad query", "line 1: expected WHERE", "syntax", headers={"X-Test": "1"})
    again = SparqlError(*error.as_tuple())
    assert (again.status, again.title, again.detail, again.kind) == (400, "Bad query", "line 1: expected WHERE",
                                                                     "syntax")
    assert str(again) == "line 1: expected WHERE"
    assert again.headers is None  # headers are the route's, not sent back by a worker


def test_the_tuple_crosses_a_process_boundary() -> None:
    assert pickle.loads(pickle.dumps(too_many_results(10, "rows").as_tuple())) == too_many_results(10, "rows").as_tuple()


def test_a_change_is_refused_as_403_naming_what_was_asked() -> None:
    error = read_only_refusal("INSERT DATA")
    assert (error.status, error.kind) == (403, "read-only")
    assert error.detail.startswith("INSERT DATA: ") and "nothing was changed" in error.detail


def test_too_many_results_is_422_naming_the_limit_and_never_cut_off() -> None:
    error = too_many_results(10_000, "rows")
    assert (error.status, error.kind) == (422, "too-many-results")
    assert "more than 10000 rows" in error.detail and "LIMIT/OFFSET" in error.detail

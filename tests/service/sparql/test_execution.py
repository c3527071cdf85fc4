"""Running a query on a store: every result format, prefixes, the row limit (an error, never a silent cut),
the protocol's dataset, syntax errors; and the description of one resource built with substitutions."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph
import pytest

from service.sparql.errors import SparqlError
from service.sparql.execution import QueryJob, describe, execute
from service.sparql.guard import QueryForm
from service.sparql.pool import SparqlPool, dump_store
from service.sparql.protocol import Dataset
from tests.service.sparql.support import EX, RESULTS_JSON, SG, tiny_store


def test_execute_select_in_every_format_agrees() -> None:
    store = tiny_store()
    query = f"SELECT ?p ?label WHERE {{ ?p a <{SG}Principle> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }} ORDER BY ?p"
    job = QueryJob(query, None, None, 100)
    result = execute(store, job)
    assert result.form is QueryForm.SELECT and result.rows == 2 and result.media_type == RESULTS_JSON
    data = json.loads(result.body)
    assert data["head"]["vars"] == ["p", "label"]
    assert data["results"]["bindings"][0]["label"] == {"type": "literal", "value": "Vi samarbejder", "xml:lang": "da"}
    xml = execute(store, QueryJob(query, None, "application/sparql-results+xml", 100))
    assert b"<sparql" in xml.body and xml.body.count(b"<result>") == 2
    table = execute(store, QueryJob(query, None, "text/csv", 100)).body.decode()
    assert list(csv.reader(io.StringIO(table)))[1] == [f"{EX}p1", "Vi samarbejder"]
    tsv = execute(store, QueryJob(query, None, "text/tab-separated-values", 100)).body.decode()
    assert tsv.splitlines()[1] == f'<{EX}p1>\t"Vi samarbejder"@da'


def test_execute_construct_uses_prefixes_only_where_used() -> None:
    store = tiny_store()
    job = QueryJob("CONSTRUCT { ?p a sg:Principle } WHERE { ?p a sg:Principle }", None, "text/turtle", 100,
                   {"sg": SG, "skos": "http://www.w3.org/2004/02/skos/core#"})
    result = execute(store, job)
    assert result.form is QueryForm.CONSTRUCT and result.rows == 2
    text = result.body.decode()
    assert "@prefix sg:" in text and "@prefix skos:" not in text
    parsed = pyoxigraph.Store()
    parsed.load(result.body, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(parsed) == 2


def test_execute_row_limit_is_an_error_not_a_silent_cut_and_is_lazy() -> None:
    store = tiny_store()
    assert execute(store, QueryJob(f"SELECT ?s {{ ?s a <{SG}Statement> }}", None, None, 20)).rows == 20
    with pytest.raises(SparqlError) as info:
        execute(store, QueryJob(f"SELECT ?s {{ ?s a <{SG}Statement> }}", None, None, 19))
    assert info.value.status == 422 and "19" in info.value.detail
    with pytest.raises(SparqlError) as info:
        execute(store, QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", None, None, 5))
    assert info.value.status == 422 and "triples" in info.value.detail
    # Lazy: a product of ~10^13 rows is refused at row 11 instead of being evaluated. Run in a worker with a
    # time limit far beyond what 11 rows need: the answer is the row limit, not the time limit.
    pool = SparqlPool(dump_store(store), expected_triples=len(store), size=1)
    try:
        with pytest.raises(SparqlError) as info:
            pool.run(QueryJob("SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", None, None, 10),
                     timeout_s=120)
        assert info.value.kind == "too-many-results", info.value.detail
        assert pool.killed == 0
    finally:
        pool.close()


def test_execute_dataset_follows_the_protocol() -> None:
    store = tiny_store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(EX + "g1s"), pyoxigraph.NamedNode(EX + "p"),
                              pyoxigraph.Literal("in g1"), pyoxigraph.NamedNode(EX + "g1")))

    def ask(query: str, dataset: Dataset | None) -> bool:
        return bool(json.loads(execute(store, QueryJob(query, dataset, None, 10)).body)["boolean"])

    assert ask("ASK { ?s a ?t }", None)
    assert not ask("ASK { ?s a ?t }", Dataset(("http://kasei.us/2009/09/sparql/data/data0.rdf",), ()))
    assert ask("ASK {}", Dataset(("http://kasei.us/2009/09/sparql/data/data0.rdf",), ()))
    assert ask(f"ASK {{ <{EX}g1s> ?p ?o }}", Dataset((EX + "g1",), ()))
    # Only named graphs given: the default graph is empty, as with FROM NAMED and no FROM.
    assert not ask("ASK { ?s a ?t }", Dataset((), (EX + "g1",)))
    assert ask("ASK { GRAPH ?g { ?s ?p ?o } }", Dataset((), (EX + "g1",)))
    # The protocol's dataset wins over FROM in the query.
    assert not ask(f"ASK FROM <{EX}g1> {{ ?s a ?t }}", Dataset(("http://x/none",), ()))


def test_execute_reports_syntax_errors_with_the_parser_message() -> None:
    with pytest.raises(SparqlError) as info:
        execute(tiny_store(), QueryJob("SELECT * WHERE { ?s ?p }", None, None, 10))
    assert info.value.status == 400 and info.value.kind == "query-syntax"
    assert "error at 1:" in info.value.detail


# ------------------------------------------------------------------------------------------------------
# The description of one resource (GET /id/...)
# ------------------------------------------------------------------------------------------------------


def _triples(data: bytes) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), str(t.object))
            for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)}


def test_describe_gives_the_resource_and_its_source_selectors_only() -> None:
    store = tiny_store()
    span = pyoxigraph.NamedNode(EX + "p1/span")
    for quad in (pyoxigraph.Quad(pyoxigraph.NamedNode(EX + "p1"), pyoxigraph.NamedNode(SG + "sourceSpan"), span),
                 pyoxigraph.Quad(span, pyoxigraph.NamedNode(EX + "start"), pyoxigraph.Literal("12"))):
        store.add(quad)
    found = _triples(describe(store, EX + "p1", "application/n-triples"))
    subjects = {s for s, _, _ in found}
    assert subjects == {f"<{EX}p1>", f"<{EX}p1/span>"}
    assert (f"<{EX}p1/span>", f"<{EX}start>", '"12"') in found
    assert len(found) == 5  # type, label, text, sourceSpan; the span's start
    other = _triples(describe(store, EX + "p2", "application/n-triples"))
    assert {s for s, _, _ in other} == {f"<{EX}p2>"} and len(other) == 3


@pytest.mark.parametrize("media", ["text/turtle", "application/ld+json", "application/n-triples"])
def test_describe_serialises_in_each_format(media: str) -> None:
    data = describe(tiny_store(), EX + "p1", media)
    parsed = pyoxigraph.Store()
    parsed.load(data, format={"text/turtle": pyoxigraph.RdfFormat.TURTLE,
                              "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
                              "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES}[media])
    assert len(parsed) == 3


def test_describe_takes_the_iri_as_a_term_not_as_query_text() -> None:
    store = tiny_store()
    # An IRI that would close the pattern and match everything if it were formatted into the query.
    with pytest.raises(ValueError):
        describe(store, f"{EX}p1> ?p ?o }} UNION {{ ?s ?p ?o", "application/n-triples")
    assert describe(store, EX + "nothing-here", "application/n-triples") == b""

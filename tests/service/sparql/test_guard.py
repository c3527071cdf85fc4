"""The guard: the query form, and updates and federated queries (every spelling of SERVICE) refused from the
query's tokens before anything runs."""

from __future__ import annotations

import pytest

from service.sparql.errors import SparqlError
from service.sparql.guard import QueryForm, code_view, inspect_query, is_federated


def test_code_view_blanks_strings_iris_comments_and_variables() -> None:
    text = 'SELECT ?service { <http://x/SERVICE> ?p "SERVICE" } # SERVICE\nLIMIT 1'
    view = code_view(text)
    assert "SERVICE" not in view.upper().replace("SELECT", "")
    assert view.split() == ["SELECT", "?v", "{", "<>", "?v", '""', "}", "LIMIT", "1"]
    assert code_view("ASK { FILTER('''a'b''c''' = \"\"\"x\"y\"\"\") }").count('""') == 2


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * { SERVICE<http://127.0.0.1:1/>{ ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:1/> SELECT * { SERVICE:x { ?s ?p ?o } }",
    "PREFIX f: <http://127.0.0.1:1/> SELECT * { SERVICEf:x { ?s ?p ?o } }",
    "SELECT * { ?s ?p 1SERVICE<http://127.0.0.1:1/>{} }",
    "SELECT * { ?s ?p trueSERVICE<http://127.0.0.1:1/>{} }",
    "SELECT * { ?s ?p ?o FILTER(?s<?o)SERVICE<http://127.0.0.1:1/>{ ?s ?p ?o } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * { { SELECT * { SERVICE <http://127.0.0.1:1/> {} } } }",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:1/> {} }",
    "SELECT * { ?s ?p '\\u0027 SERVICE <http://127.0.0.1:1/> {} #' }",
])
def test_every_spelling_of_service_is_federated(query: str) -> None:
    assert is_federated(query)
    with pytest.raises(SparqlError) as info:
        inspect_query(query)
    assert info.value.status == 403 and info.value.kind == "federation-refused"


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1:1/> {}' }",
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> {}",
    'SELECT * WHERE { ?s ?p """multi\nline SERVICE""" }',
])
def test_service_in_strings_iris_comments_and_variables_is_allowed(query: str) -> None:
    assert not is_federated(query)
    assert inspect_query(query) is QueryForm.SELECT


@pytest.mark.parametrize(("query", "form"), [
    ("ASK {}", QueryForm.ASK),
    ("  # a comment\nPREFIX sg: <https://w3id.org/strategigraf/ontology#>\nBASE <http://x/> select * {}",
     QueryForm.SELECT),
    ("PREFIX : <http://x/> CONSTRUCT WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT),
    ("DESCRIBE <http://example.org/>", QueryForm.DESCRIBE),
    ("SELECTDISTINCT * {}", QueryForm.SELECT),
    ("nonsense", None),
])
def test_inspect_query_finds_the_form(query: str, form: QueryForm | None) -> None:
    assert inspect_query(query) is form


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://x/a> <http://x/b> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX x: <http://x/>\n# comment\nDELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:1/data.ttl>",
    "CLEAR ALL", "CREATE GRAPH <http://x/g>", "DROP ALL", "COPY DEFAULT TO <http://x/g>",
    "MOVE DEFAULT TO <http://x/g>", "ADD DEFAULT TO <http://x/g>",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "clear default",
])
def test_updates_are_refused_by_inspection(update: str) -> None:
    with pytest.raises(SparqlError) as info:
        inspect_query(update)
    assert info.value.status == 403 and info.value.kind == "read-only"

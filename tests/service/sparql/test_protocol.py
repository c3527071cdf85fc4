"""The SPARQL 1.1 Protocol: reading requests (GET, POST form, POST direct, the dataset parameters, refusals)
and choosing the result format; then the read-only cases of the W3C SPARQL 1.1 Protocol test suite
(w3c/rdf-tests, sparql/sparql11/protocol, manifest.ttl), one test each, against the real app on the real build.

Requests of the suite are those of the manifest: same paths (``/sparql/``), parameters, bodies and headers.
The suite expects "2xx or 3xx" with the stated result for the positive cases and "4xx" for the bad ones;
the exact status each bad case gets here is asserted too. Update cases (update_*) cannot succeed on a
read-only endpoint: they are asserted to be refused with 403 and to leave the store unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from service.sparql.errors import SparqlError
from service.sparql.guard import QueryForm
from service.sparql.protocol import Dataset, choose_format, parse_media_type, parse_protocol_request
from tests.service.sparql.support import RESULTS_JSON, HttpResponse

DATA0 = "default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")


# ------------------------------------------------------------------------------------------------------
# Reading a request and choosing the format
# ------------------------------------------------------------------------------------------------------


def test_parse_media_type() -> None:
    assert parse_media_type("Application/SPARQL-Query; charset=UTF-8") == ("application/sparql-query",
                                                                           {"charset": "utf-8"})
    assert parse_media_type(None) == (None, {})
    assert parse_media_type("  ") == (None, {})


def test_parse_protocol_request_get_form_and_direct() -> None:
    get = parse_protocol_request("GET", None, [("query", "ASK {}"), ("default-graph-uri", "http://x/g")], b"",
                                 max_chars=100)
    assert get.query == "ASK {}" and get.dataset == Dataset(("http://x/g",), ())
    form = parse_protocol_request("POST", "application/x-www-form-urlencoded", [("named-graph-uri", "http://x/n")],
                                  b"query=SELECT%20%2A%20%7B%7D", max_chars=100)
    assert form.query == "SELECT * {}" and form.dataset == Dataset((), ("http://x/n",))
    direct = parse_protocol_request("POST", "application/sparql-query; charset=utf-8", [],
                                    "ASK { FILTER(\"æøå\" != \"\") }".encode(), max_chars=100)
    assert direct.query.startswith("ASK") and direct.dataset is None


@pytest.mark.parametrize(("method", "ctype", "params", "body", "status"), [
    ("GET", None, [], b"", 400),
    ("GET", None, [("query", "ASK {}"), ("query", "ASK {}")], b"", 400),
    ("POST", "application/x-www-form-urlencoded", [("query", "ASK {}")], b"query=ASK%20%7B%7D", 400),
    ("POST", "application/sparql-query", [("query", "ASK {}")], b"ASK {}", 400),
    ("POST", None, [], b"query=ASK%20%7B%7D", 415),
    ("POST", "text/plain", [], b"ASK {}", 415),
    ("POST", "application/sparql-query; charset=UTF-16", [], "ASK {}".encode("utf-16"), 415),
    ("POST", "application/sparql-query", [], "ASK {}".encode("utf-16"), 400),
    ("POST", "application/x-www-form-urlencoded", [], b"query=ASK%20%7B%FF%7D", 400),
    ("POST", "application/sparql-update", [], b"CLEAR ALL", 403),
    ("GET", None, [("update", "CLEAR ALL")], b"", 403),
    ("POST", "application/x-www-form-urlencoded", [], b"update=CLEAR%20ALL", 403),
    ("GET", None, [("query", "ASK {}"), ("default-graph-uri", "not an iri")], b"", 400),
    ("GET", None, [("query", "ASK {" + " " * 200 + "}")], b"", 413),
    ("PUT", None, [("query", "ASK {}")], b"", 405),
])
def test_parse_protocol_request_refusals(method: str, ctype: str | None, params: list[tuple[str, str]],
                                         body: bytes, status: int) -> None:
    with pytest.raises(SparqlError) as info:
        parse_protocol_request(method, ctype, params, body, max_chars=100)
    assert info.value.status == status, info.value.detail


def test_choose_format_defaults_and_refuses() -> None:
    assert choose_format(QueryForm.SELECT, None) == RESULTS_JSON
    assert choose_format(QueryForm.ASK, "*/*") == RESULTS_JSON
    assert choose_format(QueryForm.SELECT, "text/csv;q=0.5, text/tab-separated-values") == "text/tab-separated-values"
    assert choose_format(QueryForm.CONSTRUCT, None) == "text/turtle"
    assert choose_format(QueryForm.DESCRIBE, "application/ld+json") == "application/ld+json"
    with pytest.raises(SparqlError) as info:
        choose_format(QueryForm.CONSTRUCT, RESULTS_JSON)
    assert info.value.status == 406


# ------------------------------------------------------------------------------------------------------
# The W3C SPARQL 1.1 Protocol test suite, read-only cases, against the real app
# ------------------------------------------------------------------------------------------------------


@pytest.fixture
def unchanged(client: TestClient) -> Iterator[None]:
    """Asserts after the test that the live store still has the same number of triples."""
    store = client.app.state.service.generation.store  # type: ignore[attr-defined]
    before = len(store)
    yield
    assert len(store) == before


def media(response: HttpResponse) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def expect_boolean(response: HttpResponse, value: bool) -> None:
    assert 200 <= response.status_code < 400, response.text
    assert media(response) in BOOLEAN_TYPES
    if media(response) == "application/sparql-results+json":
        assert json.loads(response.content)["boolean"] is value
    else:
        assert f"<boolean>{str(value).lower()}</boolean>".encode() in response.content


def expect_4xx(response: HttpResponse, status: int) -> None:
    assert 400 <= response.status_code < 500
    assert response.status_code == status, response.text
    assert media(response) == "application/problem+json"


# ------------------------------------------------------------------------------------------------------
# Query operation: positive cases
# ------------------------------------------------------------------------------------------------------


def test_query_get(client: TestClient) -> None:
    expect_boolean(client.get(f"/sparql/?query=ASK%20%7B%7D&{DATA0}"), True)


def test_query_post_form(client: TestClient) -> None:
    expect_boolean(client.post(f"/sparql/?{DATA0}", content=b"query=ASK%20%7B%7D", headers=FORM), True)


def test_query_post_direct(client: TestClient) -> None:
    expect_boolean(client.post("/sparql/", content=b"ASK {}", headers=DIRECT), True)


def test_query_content_type_select(client: TestClient) -> None:
    response = client.post(f"/sparql/?{DATA0}", content=b"SELECT (1 AS ?value) {}", headers=DIRECT)
    assert 200 <= response.status_code < 400 and media(response) in TABULAR_TYPES
    solutions = pyoxigraph.parse_query_results(response.content, pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    assert [str(s["value"].value) for s in solutions] == ["1"]


def test_query_content_type_ask(client: TestClient) -> None:
    response = client.post(f"/sparql/?{DATA0}", content=b"ASK {}", headers=DIRECT)
    expect_boolean(response, True)


def test_query_content_type_describe(client: TestClient) -> None:
    response = client.post(f"/sparql/?{DATA0}", content=b"DESCRIBE <http://example.org/>", headers=DIRECT)
    assert 200 <= response.status_code < 400 and media(response) in RDF_TYPES
    pyoxigraph.Store().load(response.content, format=pyoxigraph.RdfFormat.TURTLE)  # valid (empty) RDF


def test_query_content_type_construct(client: TestClient) -> None:
    response = client.post(f"/sparql/?{DATA0}", content=b"CONSTRUCT { <s> <p> 1 } WHERE {}", headers=DIRECT)
    assert 200 <= response.status_code < 400 and media(response) in RDF_TYPES
    graph = pyoxigraph.Store()
    graph.load(response.content, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(graph) == 1


def test_query_dataset_default_graph_that_does_not_exist_is_empty(client: TestClient) -> None:
    # The data is in the store's default graph: naming a graph that does not exist gives an empty dataset.
    ask_any = "query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    expect_boolean(client.get(f"/sparql/?{ask_any}"), True)
    expect_boolean(client.get(f"/sparql/?{ask_any}&{DATA0}"), False)
    expect_boolean(client.get(f"/sparql/?{ask_any}&named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql"
                              "%2Fdata%2Fdata1.rdf"), False)
    expect_boolean(client.get("/sparql/?query=ASK%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D"
                              "&named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"), False)


# ------------------------------------------------------------------------------------------------------
# Query operation: bad requests
# ------------------------------------------------------------------------------------------------------


def test_bad_query_method(client: TestClient) -> None:
    response = client.put(f"/sparql/?query=ASK%20%7B%7D&{DATA0}", content=b"", headers=FORM)
    expect_4xx(response, 405)
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    expect_4xx(client.delete(f"/sparql?query=ASK%20%7B%7D&{DATA0}"), 405)


def test_bad_multiple_queries(client: TestClient) -> None:
    expect_4xx(client.get("/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D"), 400)


def test_bad_query_wrong_media_type(client: TestClient) -> None:
    expect_4xx(client.post("/sparql/", content=b"ASK {}", headers={"content-type": "text/plain"}), 415)


def test_bad_query_missing_form_type(client: TestClient) -> None:
    response = client.post("/sparql/", content=b"query=ASK%20%7B%7D")
    assert "content-type" not in response.request.headers
    expect_4xx(response, 415)


def test_bad_query_missing_direct_type(client: TestClient) -> None:
    response = client.post("/sparql/", content=b"ASK {}")
    assert "content-type" not in response.request.headers
    expect_4xx(response, 415)


def test_bad_query_non_utf8(client: TestClient) -> None:
    body = "ASK {}".encode("utf-16")  # with a BOM, as in the suite
    assert body.startswith((b"\xff\xfe", b"\xfe\xff"))
    expect_4xx(client.post("/sparql/", content=body,
                           headers={"content-type": "application/sparql-query; charset=UTF-16"}), 415)
    expect_4xx(client.post("/sparql/", content=body, headers=DIRECT), 400)


def test_bad_query_syntax(client: TestClient) -> None:
    response = client.get("/sparql/?query=ASK%20%7B")
    expect_4xx(response, 400)
    assert "error at 1:" in response.json()["detail"]  # pyoxigraph's own message


# ------------------------------------------------------------------------------------------------------
# Update operation: this endpoint is read-only
# ------------------------------------------------------------------------------------------------------


def test_bad_update_get(client: TestClient, unchanged: None) -> None:
    expect_4xx(client.get("/sparql/?update=CLEAR%20ALL"), 403)


def test_bad_multiple_updates(client: TestClient, unchanged: None) -> None:
    expect_4xx(client.post("/sparql/", content=b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", headers=FORM), 403)


def test_bad_update_wrong_media_type(client: TestClient, unchanged: None) -> None:
    expect_4xx(client.post("/sparql/", content=b"CLEAR NAMED", headers={"content-type": "text/plain"}), 415)


def test_bad_update_missing_form_type(client: TestClient, unchanged: None) -> None:
    expect_4xx(client.post("/sparql/", content=b"update=CLEAR%20NAMED"), 415)


def test_bad_update_non_utf8(client: TestClient, unchanged: None) -> None:
    expect_4xx(client.post("/sparql/", content="CLEAR NAMED".encode("utf-16"),
                           headers={"content-type": "application/sparql-update; charset=UTF-16"}), 403)


def test_bad_update_syntax(client: TestClient, unchanged: None) -> None:
    expect_4xx(client.post("/sparql/", content=b"update=CLEAR%20XYZ", headers=FORM), 403)


def test_bad_update_dataset_conflict(client: TestClient, unchanged: None) -> None:
    update = ("PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
              "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
              "WHERE {\n    ?person foaf:givenName 'Bill'\n}")
    expect_4xx(client.post("/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople", content=update.encode(),
                           headers={"content-type": "application/sparql-update"}), 403)


@pytest.mark.parametrize("update", [
    "CLEAR ALL ;\nINSERT DATA { GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { "
    "<http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://xmlns.com/foaf/0.1/Document> } }",
    "DROP ALL",
    "CLEAR GRAPH <http://example.org/protocol-base-test/> ;\n"
    "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }",
])
def test_update_post_direct_and_form_are_refused(client: TestClient, unchanged: None, update: str) -> None:
    expect_4xx(client.post("/sparql/", content=update.encode(), headers={"content-type": "application/sparql-update"}),
               403)
    expect_4xx(client.post("/sparql/", data={"update": update}), 403)
    expect_4xx(client.post("/sparql/", data={"query": update}), 403)

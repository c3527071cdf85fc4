"""service/routes/search_api.py: GET /search over HTTP. Questions: every question of
tests/data/eval/dev_questions.json answered as asked through ``/search?q=…`` alone (issue 13's acceptance test),
literal search, explicit parameters winning, the cache; the short path for plain requests; results with their
evidence, repeated parameters, the generation's response cache, refusals as 422 problems, the topic filter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.evaluation import own_text

DEV_QUESTIONS = Path(__file__).resolve().parents[2] / "data" / "eval" / "dev_questions.json"


def _questions() -> list[dict[str, Any]]:
    return list(json.loads(DEV_QUESTIONS.read_text(encoding="utf-8"))["questions"])


@pytest.mark.parametrize("question", _questions(), ids=lambda q: q["id"])
def test_dev_question_is_answered_as_asked(client, question: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search", params={"q": question["q"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == question["q"]
    understood = body["interpreted"]
    for key, value in question["interpreted"].items():
        assert understood[key] == value, (key, understood)
    results = body["results"]
    assert results, body
    if "expect_type" in question:
        assert results[0]["type"] == question["expect_type"], [(r["type"], r["label"]) for r in results[:3]]
    top3 = [own_text(r["label"], r["text"]) for r in results[:3]]
    assert any(answer.lower() in text for answer in question["expect_any_top3"] for text in top3), top3
    if "all_municipality" in question:
        assert {r["document"]["municipality"] for r in results} == {question["all_municipality"]}
    if "all_year" in question:
        assert {r["document"]["year"] for r in results} == {question["all_year"]}


def test_literal_searches_the_words_as_typed(client) -> None:  # type: ignore[no-untyped-def]
    q = "Hvilke pejlemærker handler om recovery?"
    asked = client.get("/search", params={"q": q}).json()
    literal = client.get("/search", params={"q": q, "literal": "true"}).json()
    assert asked["interpreted"]["types"] == ["Bearing"] and {r["type"] for r in asked["results"]} == {"Bearing"}
    assert literal["interpreted"] is None and literal["query"] == q
    assert {r["type"] for r in literal["results"]} != {"Bearing"}


def test_keywords_search_exactly_as_before(client) -> None:  # type: ignore[no-untyped-def]
    """A query of keywords is not changed by the interpreter: the same results as the literal search."""
    for q in ("netværk", "selvstændighed i eget liv", "pårørende og frivillige"):
        asked = client.get("/search", params={"q": q}).json()
        literal = client.get("/search", params={"q": q, "literal": "true"}).json()
        assert asked["interpreted"]["terms"] == q and not asked["interpreted"]["types"]
        assert [r["id"] for r in asked["results"]] == [r["id"] for r in literal["results"]]


def test_explicit_parameters_win_over_the_question(client) -> None:  # type: ignore[no-untyped-def]
    q = "Hvilke principper i Faxe dækker netværk?"
    body = client.get("/search", params={"q": q, "type": "Track", "municipality": "slagelse"}).json()
    assert body["interpreted"]["types"] == ["Track"] and body["interpreted"]["municipality"] == "slagelse"
    assert body["interpreted"]["terms"] == "netværk"
    assert body["results"] and all(r["type"] == "Track" and r["document"]["municipality"] == "slagelse"
                                   for r in body["results"])


def test_a_municipality_without_documents_is_no_error(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/search", params={"q": "Hvad siger Odense om frivillighed?"}).json()
    assert body["interpreted"]["municipality"] is None and "Odense Kommune" in body["interpreted"]["notes"][0]
    assert body["results"]


def test_interpreted_and_literal_answers_are_cached_apart(client) -> None:  # type: ignore[no-untyped-def]
    gen = client.app.state.service.generation
    q = "Hvilke spor handler om bolig og hjemløshed?"
    before = len(gen.json_cache)
    first = client.get("/search", params={"q": q}).content
    literal = client.get("/search", params={"q": q, "literal": "true"}).content
    assert len(gen.json_cache) == before + 2 and first != literal
    assert client.get("/search", params={"q": q}).content == first
    assert client.get("/search", params={"q": q, "literal": "true"}).content == literal
    assert len(gen.json_cache) == before + 2


# ------------------------------------------------------------------------------- the query string read once
def _search_route() -> Any:
    from service.routes.search_api import router

    return next(r for r in router.routes if getattr(r, "path", None) == "/search")


TEXTS = ["", "netværk", "Hvilke principper dækker netværk?", "x" * 10_001, "Principle", "faxe", "01"]
NUMBERS = ["0", "1", "01", "10", "+5", " 5", "5 ", "100", "101", "1899", "1900", "2019", "2200", "2201", "1e3", "٣",
           "1_000", ""]
VALUES = {"q": TEXTS, "type": TEXTS, "municipality": TEXTS, "document": TEXTS, "topic": TEXTS, "k": NUMBERS,
          "year_from": NUMBERS, "year_to": NUMBERS, "mode": ["hybrid", "semantic", "keyword", "Hybrid", "", "1"],
          "literal": ["true", "false", "1", "0", "True", "yes", "on", "off", ""], "format": ["json", "csv", "CSV", ""],
          "unknown": ["1"]}
"""Values per query parameter: valid ones, and ones FastAPI refuses or reads in a way not written plainly."""
parameter = st.sampled_from(sorted(VALUES)).flatmap(lambda name: st.tuples(st.just(name), st.sampled_from(VALUES[name])))


@settings(max_examples=1000, deadline=None, database=None)
@given(st.sampled_from(TEXTS), st.lists(parameter, max_size=4, unique_by=lambda p: p[0]),
       st.lists(st.sampled_from(TEXTS), max_size=2))
def test_plain_arguments_are_what_fastapi_validation_gives(q: str, pairs: list[tuple[str, str]],
                                                           types: list[str]) -> None:
    """A query string read by ``plain_arguments`` gets exactly the values FastAPI's own validation of the route's
    parameters gives; one it does not take (None) is left to FastAPI."""
    from fastapi.dependencies.utils import request_params_to_args
    from starlette.datastructures import QueryParams

    from service.routes.search_api import plain_arguments

    query = QueryParams([("q", q), *pairs, *(("type", t) for t in types)])
    plain = plain_arguments(query)
    if plain is None:
        return
    fields = _search_route().dependant.query_params
    validated, errors = request_params_to_args(fields, query)
    assert errors == []
    defaults = {f.name: f.default for f in fields if f.name not in plain}
    assert {**defaults, **plain} == validated
    assert {type(v) for v in plain.values()} <= {type(validated[k]) for k in plain}


@pytest.mark.parametrize("query", ["q=netv%C3%A6rk&k=10&type=Principle&type=Track&mode=keyword&literal=true",
                                   "q=x&municipality=faxe&year_from=2014&year_to=2019&format=csv", "q="])
def test_plain_requests_take_the_short_way(query: str) -> None:
    from starlette.datastructures import QueryParams

    from service.routes.search_api import plain_arguments

    assert plain_arguments(QueryParams(query)) is not None


@pytest.mark.parametrize("query", ["k=5", "q=x&k=0", "q=x&k=010", "q=x&q=y", "q=x&mode=Hybrid", "q=x&literal=yes",
                                   "q=x&year_from=1899", "q=x&unknown=1"])
def test_other_requests_are_left_to_fastapi(query: str) -> None:
    from starlette.datastructures import QueryParams

    from service.routes.search_api import plain_arguments

    assert plain_arguments(QueryParams(query)) is None


def test_errors_are_fastapis_and_unknown_parameters_are_ignored_as_before(client) -> None:  # type: ignore[no-untyped-def]
    missing = client.get("/search?k=5")
    assert missing.status_code == 422 and [e["loc"] for e in missing.json()["errors"]] == [["query", "q"]]
    low = client.get("/search?q=netv%C3%A6rk&k=0").json()
    assert low["errors"] == [{"loc": ["query", "k"], "msg": "Input should be greater than or equal to 1"}]
    plain = client.get("/search", params={"q": "pårørende", "k": 3})
    with_unknown = client.get("/search", params={"q": "pårørende", "k": 3, "unknown": "1"})
    assert plain.status_code == with_unknown.status_code == 200
    assert plain.json() == with_unknown.json() and len(plain.json()["results"]) == 3


def test_search_returns_faxe_principles_with_evidence(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search", params={"q": "netværk", "type": "Principle"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "netværk" and body["mode"] == "hybrid"
    top = body["results"][0]
    assert top["type"] == "Principle" and top["document"]["municipality"] == "faxe"
    assert top["evidence"] and set(top) >= {"id", "type", "label", "text", "score", "document", "ancestors",
                                            "evidence", "source", "highlights"}


def test_search_type_is_repeatable(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/search", params=[("q", "fællesskaber"), ("type", "Track"), ("type", "Bearing")]).json()
    assert body["results"] and {r["type"] for r in body["results"]} <= {"Track", "Bearing"}


def test_repeated_search_is_answered_from_the_generations_response_cache(client) -> None:  # type: ignore[no-untyped-def]
    from service.schemas import SearchResponse

    gen = client.app.state.service.generation
    params = {"q": "misbrugsbehandling for unge voksne", "k": "4", "type": "Statement"}
    before = len(gen.json_cache)
    first = client.get("/search", params=params)
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    assert len(gen.json_cache) == before + 1
    second = client.get("/search", params=params)
    assert second.content == first.content and len(gen.json_cache) == before + 1
    body = SearchResponse.model_validate_json(second.content)  # the cached bytes still follow the schema
    assert body.query == params["q"] and 0 < len(body.results) <= 4
    assert {r.type for r in body.results} == {"Statement"}


def test_refused_search_is_not_cached(client) -> None:  # type: ignore[no-untyped-def]
    gen = client.app.state.service.generation
    before = len(gen.json_cache)
    for _ in range(2):
        assert client.get("/search", params={"q": "netværk", "municipality": "atlantis"}).status_code == 422
    assert len(gen.json_cache) == before


@pytest.mark.parametrize("params", [
    {"q": ""}, {"q": "   "}, {"q": "x" * 10_000}, {"q": "netværk", "k": 0}, {"q": "netværk", "k": 101},
    {"q": "netværk", "type": "Planet"}, {"q": "netværk", "municipality": "atlantis"},
    {"q": "netværk", "mode": "psychic"}, {"q": "netværk", "year_from": "abc"},
])
def test_bad_search_parameters_are_422_problems(client, params) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422 and body["detail"] and body["title"] and body["type"]


def test_search_route_accepts_topic_and_refuses_unknown(client) -> None:  # type: ignore[no-untyped-def]
    ok = client.get("/search", params={"q": "netværk", "topic": "netvaerk-og-paaroerende"})
    assert ok.status_code == 200 and ok.json()["results"]
    bad = client.get("/search", params={"q": "netværk", "topic": "rumfart"})
    assert bad.status_code == 422
    assert "rumfart" in bad.json()["detail"]

"""GET /search with questions: every question of tests/data/eval/dev_questions.json answered as asked through
``/search?q=…`` alone (issue 13's acceptance test), literal search, explicit parameters winning, the cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

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

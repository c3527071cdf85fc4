"""Ranking quality on both evaluation sets (the public dev set and the project's own, written before tuning),
the calibrated "no good match" signal, and roll-ups that agree with the topic pages and count lexical evidence.
See docs/evaluation.md for the figures and how they were measured."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.evaluation import evaluate
from service.generation import Generation
from service.schemas import Mode
from service.search import SearchParams, search
from service.topics import topic_detail
from tests.conftest import EVAL_DIR


@pytest.fixture(scope="module")
def reports(generation: Generation) -> dict[str, dict[str, Any]]:
    return {name: evaluate(generation, EVAL_DIR / f"{name}.json") for name in ("dev_queries", "own_queries")}


def test_dev_set_meets_the_targets(reports: dict[str, dict[str, Any]]) -> None:
    hybrid = reports["dev_queries"]["modes"]["hybrid"]
    assert hybrid["ndcg@10"] >= 0.90
    assert hybrid["recall@10"] >= 0.95
    assert hybrid["track_top1"] == 1.0


@pytest.mark.parametrize("name", ["dev_queries", "own_queries"])
def test_hybrid_beats_both_single_modes(reports: dict[str, dict[str, Any]], name: str) -> None:
    modes = reports[name]["modes"]
    for single in ("semantic", "keyword"):
        assert modes["hybrid"]["ndcg@10"] > modes[single]["ndcg@10"], (name, single)
        assert modes["hybrid"]["recall@10"] >= modes[single]["recall@10"], (name, single)
        assert modes["hybrid"]["track_top1"] >= modes[single]["track_top1"], (name, single)


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("types", [(), ("Track",), ("Principle",)])
def test_nonsense_says_there_is_no_good_match(generation: Generation, mode: Mode, types: tuple[str, ...]) -> None:
    assert search(generation, SearchParams(q="xqzvbrtl", types=types, mode=mode)).match == "none"


def _questions_and_queries() -> list[tuple[str, tuple[str, ...]]]:
    queries = json.loads((EVAL_DIR / "dev_queries.json").read_text(encoding="utf-8"))
    questions = json.loads((EVAL_DIR / "dev_questions.json").read_text(encoding="utf-8"))
    return ([(q["q"], ()) for q in queries["topic_queries"]] + [(q["q"], ("Track",)) for q in queries["track_queries"]]
            + [(q["q"], ()) for q in questions["questions"]])


def test_every_dev_query_and_question_has_a_match(generation: Generation) -> None:
    none = [(q, t) for q, t in _questions_and_queries()
            if search(generation, SearchParams(q=q, types=t)).match == "none"]
    assert none == []


def test_a_query_holding_the_texts_words_is_a_good_match(generation: Generation) -> None:
    assert search(generation, SearchParams(q="borgerens netværk")).match == "good"


def test_type_filtered_search_returns_the_containers_the_topic_page_lists(generation: Generation) -> None:
    """/emner/frivillighed lists Faxe principles tagged frivillighed whose text never says "frivillig": the
    type-filtered search finds them too, in every mode."""
    listed = {n.id for m in topic_detail(generation, "frivillighed", types=("Principle",)).municipalities
              for n in m.nodes}
    assert listed
    for mode in Mode:
        found = {r.id for r in search(generation, SearchParams(q="frivillighed", types=("Principle",), k=20,
                                                                mode=mode)).results}
        assert listed <= found, mode


def test_rollup_counts_a_statement_that_says_what_was_asked(generation: Generation) -> None:
    """A track whose statement says "samarbejder med andre kommuner" outranks one whose title and a bullet
    each repeat "samarbejde" only."""
    top = search(generation, SearchParams(q="samarbejde med andre kommuner", types=("Track",))).results[0]
    assert top.label == "STÆRKE FAGLIGE KOMPETENCER"
    assert any("andre kommuner" in e.text for e in top.evidence)

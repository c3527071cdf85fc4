"""The retrieval targets on tests/data/eval/dev_queries.json, measured with the file's own relevance rule; questions
(dev_questions.json) scored as /search answers them (several sets from the command line: tests/service/test_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.evaluation import evaluate, markdown_report, own_text
from service.schemas import Mode

EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"


def test_relevance_rule_uses_own_label_and_text_normalised() -> None:
    assert "borgerens netværk" in own_text("Spor 5", "Vi samarbejder  med\nBorgerens   Netværk.")
    assert own_text(None, "  A\tB ") == "a b"


def test_hybrid_meets_the_targets_and_beats_both_single_modes(generation, dev_queries: Path) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(generation, dev_queries)
    hybrid, semantic, keyword = (report["modes"][m] for m in ("hybrid", "semantic", "keyword"))
    assert hybrid["ndcg@10"] >= 0.85
    assert hybrid["recall@10"] >= 0.90
    assert hybrid["track_top1"] == 1.0
    assert hybrid["ndcg@10"] > semantic["ndcg@10"] and hybrid["ndcg@10"] > keyword["ndcg@10"]
    assert "| hybrid |" in markdown_report(report)


def _question_set(tmp_path: Path, questions: list[dict[str, Any]]) -> Path:
    path = tmp_path / "questions.json"
    path.write_text(json.dumps({"questions": questions}, ensure_ascii=False), encoding="utf-8")
    return path


def test_questions_are_scored_as_search_answers_them(generation, dev_questions: Path) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(generation, dev_questions)
    questions = report["questions"]
    assert len(questions["rows"]) == 10 and questions["topic_role"] == "report"
    assert set(questions["passed"]) == {"recognised", "type_on_top", "answer_in_top3", "all_municipality", "all_year"}
    assert questions["passed"]["recognised"] == "10/10"
    assert report["questions_topic_alternative"]["topic_role"] == "filter"
    assert report["modes"] == {}  # a set of questions only has no topic or track queries
    text = markdown_report(report)
    assert "| dq01 | Hvilke principper dækker netværk? |" in text and "topic reported (used)" in text


def test_a_question_answered_wrongly_fails_the_check_that_says_why(generation, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _question_set(tmp_path, [
        {"id": "w1", "q": "Hvilke pejlemærker handler om recovery?", "expect_type": "Track",
         "interpreted": {"types": ["Bearing"]}, "expect_any_top3": ["recovery"]},
        {"id": "w2", "q": "Hvad siger Faxe om netværk?", "all_municipality": "slagelse",
         "interpreted": {"municipality": "slagelse"}, "expect_any_top3": ["zzz-not-in-any-text"]},
    ])
    rows = {r["id"]: r for r in evaluate(generation, path)["questions"]["rows"]}
    assert rows["w1"]["checks"] == {"recognised": True, "type_on_top": False, "answer_in_top3": True}
    assert not rows["w1"]["answered"]
    assert rows["w2"]["misread"] == {"municipality": "faxe"}
    assert rows["w2"]["checks"] == {"recognised": False, "answer_in_top3": False, "all_municipality": False}


def test_topic_role_is_measured_on_topic_queries(generation, dev_queries: Path) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(generation, dev_queries, modes=(Mode.hybrid,))
    roles = report["topic_role"]
    assert set(roles) == {"report", "filter"}
    # reporting the topic leaves the search as typed: the same figures as the hybrid mode itself
    assert roles["report"]["ndcg@10"] == pytest.approx(report["modes"]["hybrid"]["ndcg@10"])
    assert "reported or filtered" in markdown_report(report)



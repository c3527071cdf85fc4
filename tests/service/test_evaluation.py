"""The retrieval targets on tests/data/eval/dev_queries.json, measured with the file's own relevance rule."""

from __future__ import annotations

from pathlib import Path

from service.evaluation import evaluate, markdown_report, own_text


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

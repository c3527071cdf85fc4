"""Retrieval evaluation with exactly the relevance rule of the query-set file (e.g. shared/eval/dev_queries.json).

A result is relevant to a query when its own label + own text, lower-cased and whitespace-normalised,
contains one of the query's fragments (normalised the same way). nDCG@10 uses binary relevance with the
ideal ranking taken over every graph node that matches a fragment; fragment recall@10 is the share of a
query's fragments found in at least one of the top 10; a track query is right when the top result of a
search restricted to type Track has the expected title.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ingest.model import normalize_ws
from service.generation import Generation
from service.schemas import Mode
from service.search import SearchParams, search

CUTOFF = 10


def _norm(text: str) -> str:
    return normalize_ws(text.lower())


def own_text(label: str | None, text: str) -> str:
    return _norm(f"{label or ''} {text}")


def _dcg(rels: list[int]) -> float:
    return sum(r / math.log2(i + 2) for i, r in enumerate(rels))


def score_topic_query(gen: Generation, query: dict[str, Any], mode: Mode) -> dict[str, Any]:
    fragments = [_norm(f) for f in query["relevant"]]
    response = search(gen, SearchParams(q=query["q"], k=CUTOFF, mode=mode))
    texts = [own_text(r.label, r.text) for r in response.results]
    rels = [1 if any(f in t for f in fragments) else 0 for t in texts]
    n_relevant = sum(1 for n in gen.nodes if any(f in own_text(n.label, n.text) for f in fragments))
    ideal = _dcg([1] * min(CUTOFF, n_relevant))
    ndcg = _dcg(rels) / ideal if ideal else 0.0
    recall = sum(1 for f in fragments if any(f in t for t in texts)) / len(fragments)
    return {"id": query["id"], "q": query["q"], "ndcg@10": ndcg, "recall@10": recall,
            "relevant_nodes": n_relevant}


def score_track_query(gen: Generation, query: dict[str, Any], mode: Mode) -> dict[str, Any]:
    response = search(gen, SearchParams(q=query["q"], k=1, types=("Track",), mode=mode))
    top = response.results[0].label if response.results else None
    return {"id": query["id"], "q": query["q"], "expect": query["expect"], "got": top,
            "correct": top is not None and _norm(top) == _norm(query["expect"])}


def evaluate(gen: Generation, queries_file: Path, modes: tuple[Mode, ...] = tuple(Mode)) -> dict[str, Any]:
    """Score every mode on the query set; returns per-mode means and per-query rows."""
    data = json.loads(queries_file.read_text(encoding="utf-8"))
    report: dict[str, Any] = {"queries": str(queries_file), "build_id": gen.build_id, "model": gen.model,
                              "modes": {}}
    for mode in modes:
        topics = [score_topic_query(gen, q, mode) for q in data.get("topic_queries", [])]
        tracks = [score_track_query(gen, q, mode) for q in data.get("track_queries", [])]
        report["modes"][mode.value] = {
            "ndcg@10": sum(t["ndcg@10"] for t in topics) / len(topics) if topics else None,
            "recall@10": sum(t["recall@10"] for t in topics) / len(topics) if topics else None,
            "track_top1": sum(t["correct"] for t in tracks) / len(tracks) if tracks else None,
            "track_correct": f"{sum(t['correct'] for t in tracks)}/{len(tracks)}",
            "topic_queries": topics,
            "track_queries": tracks,
        }
    return report


def markdown_table(report: dict[str, Any]) -> str:
    rows = ["| mode | nDCG@10 | fragment recall@10 | track top-1 |", "|---|---|---|---|"]
    for mode, m in report["modes"].items():
        rows.append(f"| {mode} | {m['ndcg@10']:.3f} | {m['recall@10']:.3f} | {m['track_correct']} |")
    return "\n".join(rows)


def markdown_report(report: dict[str, Any]) -> str:
    """The whole report as Markdown: summary table, then each query's figures per mode."""
    lines = [
        "# Retrieval evaluation",
        "",
        f"Query set `{Path(report['queries']).name}`, build `{report['build_id']}`, model `{report['model']}`.",
        "Regenerate with `strategigraf eval --queries tests/data/eval/dev_queries.json "
        "--markdown docs/evaluation.md --output docs/evaluation.json`.",
        "",
        markdown_table(report),
        "",
        "## Topic queries (nDCG@10 / fragment recall@10)",
        "",
        "| id | query | " + " | ".join(report["modes"]) + " |",
        "|---|---|" + "---|" * len(report["modes"]),
    ]
    modes = list(report["modes"].values())
    for i, row in enumerate(modes[0]["topic_queries"]):
        cells = [f"{m['topic_queries'][i]['ndcg@10']:.2f} / {m['topic_queries'][i]['recall@10']:.2f}" for m in modes]
        lines.append(f"| {row['id']} | {row['q']} | " + " | ".join(cells) + " |")
    lines += ["", "## Track queries (top-1 of type=Track)", "",
              "| id | query | expected | " + " | ".join(report["modes"]) + " |",
              "|---|---|---|" + "---|" * len(report["modes"])]
    for i, row in enumerate(modes[0]["track_queries"]):
        cells = [("✔ " if m["track_queries"][i]["correct"] else "✘ ") + str(m["track_queries"][i]["got"])
                 for m in modes]
        lines.append(f"| {row['id']} | {row['q']} | {row['expect']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"

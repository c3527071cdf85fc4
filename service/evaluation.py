"""Retrieval evaluation with exactly the relevance rule of the query-set file (tests/data/eval/*.json).

A result is relevant to a query when its own label + own text, lower-cased and whitespace-normalised,
contains one of the query's fragments (normalised the same way). nDCG@10 uses binary relevance with the
ideal ranking taken over every graph node that matches a fragment; fragment recall@10 is the share of a
query's fragments found in at least one of the top 10; a track query is right when the top result of a
search restricted to type Track has the expected title.

A question set (``questions``, e.g. dev_questions.json) is asked as a person types it, through the same
interpretation as ``/search?q=…`` (:func:`service.question.search_params`) and the hybrid mode: a question is
answered when the filters it names are recognised as the file expects (``interpreted``), a result of the
expected type is on top (``expect_type``), one of the expected answers is among the top 3
(``expect_any_top3``, a lower-cased substring of a result's own label + text), and every result belongs to the
expected municipality or year (``all_municipality``, ``all_year``).

Both kinds are also scored with a recognised topic used as a filter instead of only reported, the measurement
behind :data:`service.question.TOPIC_ROLE`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ingest.model import normalize_ws
from service.generation import Generation
from service.question import TOPIC_ROLE, search_params
from service.schemas import Mode
from service.search import SearchParams, search

CUTOFF = 10


def _norm(text: str) -> str:
    return normalize_ws(text.lower())


def own_text(label: str | None, text: str) -> str:
    return _norm(f"{label or ''} {text}")


def _dcg(rels: list[int]) -> float:
    return sum(r / math.log2(i + 2) for i, r in enumerate(rels))


def score_topic_query(gen: Generation, query: dict[str, Any], mode: Mode,
                      topic_role: str | None = None) -> dict[str, Any]:
    """nDCG@10 and fragment recall@10 of one query searched as typed, or (``topic_role`` "filter" / "report")
    through the question interpreter."""
    fragments = [_norm(f) for f in query["relevant"]]
    params = SearchParams(q=query["q"], k=CUTOFF, mode=mode)
    if topic_role is not None:
        params, _ = search_params(gen, params, topic_role=topic_role)
    response = search(gen, params)
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


def score_question(gen: Generation, question: dict[str, Any], topic_role: str = TOPIC_ROLE) -> dict[str, Any]:
    """One question asked as ``/search?q=…`` asks it, checked against what the file expects of it."""
    params, interpreted = search_params(gen, SearchParams(q=question["q"], k=CUTOFF), topic_role=topic_role)
    assert interpreted is not None
    response = search(gen, params)
    results = response.results
    got = interpreted.model_dump()
    expected = question.get("interpreted", {})
    misread = {key: got.get(key) for key, value in expected.items() if got.get(key) != value}
    top3 = [own_text(r.label, r.text) for r in results[:3]]
    checks: dict[str, bool] = {"recognised": not misread}
    if "expect_type" in question:
        checks["type_on_top"] = bool(results) and results[0].type == question["expect_type"]
    if "expect_any_top3" in question:
        checks["answer_in_top3"] = any(_norm(a) in t for a in question["expect_any_top3"] for t in top3)
    if "all_municipality" in question:
        checks["all_municipality"] = all(r.document.municipality == question["all_municipality"] for r in results)
    if "all_year" in question:
        checks["all_year"] = all(r.document.year == question["all_year"] for r in results)
    return {"id": question["id"], "q": question["q"], "interpreted": got, "misread": misread, "checks": checks,
            "answered": all(checks.values()), "match": response.match,
            "top3": [f"{r.type}: {r.label or r.text}"[:90] for r in results[:3]]}


def score_questions(gen: Generation, questions: list[dict[str, Any]], topic_role: str = TOPIC_ROLE) -> dict[str, Any]:
    """Every question scored; the shares of questions answered and of each check passed."""
    rows = [score_question(gen, q, topic_role) for q in questions]
    names = list(dict.fromkeys(name for r in rows for name in r["checks"]))
    passed = {name: f"{sum(r['checks'][name] for r in rows if name in r['checks'])}/"
                    f"{sum(1 for r in rows if name in r['checks'])}" for name in names}
    return {"topic_role": topic_role, "answered": sum(r["answered"] for r in rows) / len(rows) if rows else None,
            "answered_count": f"{sum(r['answered'] for r in rows)}/{len(rows)}", "passed": passed, "rows": rows}


def _means(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    n = len(rows)
    return {"ndcg@10": sum(r["ndcg@10"] for r in rows) / n if n else None,
            "recall@10": sum(r["recall@10"] for r in rows) / n if n else None}


def evaluate(gen: Generation, queries_file: Path, modes: tuple[Mode, ...] = tuple(Mode)) -> dict[str, Any]:
    """Score every mode on the set's topic and track queries and, when it has them, its questions; returns
    per-mode means, per-query rows, and the topic-role comparison."""
    data = json.loads(queries_file.read_text(encoding="utf-8"))
    report: dict[str, Any] = {"queries": str(queries_file), "build_id": gen.build_id, "model": gen.model,
                              "modes": {}}
    if data.get("questions"):
        report["questions"] = score_questions(gen, data["questions"])
        other = "filter" if TOPIC_ROLE == "report" else "report"
        alternative = score_questions(gen, data["questions"], other)
        report["questions_topic_alternative"] = {k: v for k, v in alternative.items() if k != "rows"}
    topic_queries = data.get("topic_queries", [])
    if topic_queries:
        report["topic_role"] = {role: _means([score_topic_query(gen, q, Mode.hybrid, role) for q in topic_queries])
                                for role in ("report", "filter")}
    if not topic_queries and not data.get("track_queries"):
        return report
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


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def markdown_table(report: dict[str, Any]) -> str:
    """The summary: per mode nDCG@10, fragment recall@10 and track top-1; questions answered."""
    rows: list[str] = []
    if report["modes"]:
        rows += ["| mode | nDCG@10 | fragment recall@10 | track top-1 |", "|---|---|---|---|"]
        for mode, m in report["modes"].items():
            rows.append(f"| {mode} | {_figure(m['ndcg@10'])} | {_figure(m['recall@10'])} | {m['track_correct']} |")
    if "questions" in report:
        qs = report["questions"]
        if rows:
            rows.append("")
        rows += ["| questions | answered | " + " | ".join(qs["passed"]) + " |",
                 "|---|---|" + "---|" * len(qs["passed"]),
                 f"| topic {qs['topic_role']}ed (used) | {qs['answered_count']} | " + " | ".join(qs["passed"].values())
                 + " |"]
        alt = report.get("questions_topic_alternative")
        if alt:
            rows.append(f"| topic {alt['topic_role']}ed | {alt['answered_count']} | "
                        + " | ".join(alt["passed"].get(name, "–") for name in qs["passed"]) + " |")
    return "\n".join(rows)


def markdown_reports(reports: list[dict[str, Any]]) -> str:
    """Several query sets' reports as one Markdown document."""
    files = " ".join(f"--queries {r['queries']}" for r in reports)
    head = ["# Retrieval evaluation", "",
            f"Build `{reports[0]['build_id']}`, model `{reports[0]['model']}`. Regenerate with "
            f"`strategigraf eval {files} --markdown docs/evaluation.md --output docs/evaluation.json`.", ""]
    return "\n".join(head) + "\n" + "\n".join(markdown_report(r, level=2) for r in reports)


def markdown_report(report: dict[str, Any], level: int = 1) -> str:
    """One set's report as Markdown: summary table, then each query's figures per mode and each question's
    checks. ``level`` 2 makes it a section of :func:`markdown_reports`."""
    h = "#" * level
    title = ([f"{h} Retrieval evaluation", "",
              f"Query set `{Path(report['queries']).name}`, build `{report['build_id']}`, model `{report['model']}`.",
              f"Regenerate with `strategigraf eval --queries {report['queries']} "
              "--markdown docs/evaluation.md --output docs/evaluation.json`."]
             if level == 1 else [f"{h} Query set `{Path(report['queries']).name}`"])
    lines = [*title, "", markdown_table(report)]
    if "topic_role" in report:
        lines += ["", f"{h}# Topic recognised in a query: reported or filtered (hybrid)", "",
                  "| topic | nDCG@10 | fragment recall@10 |", "|---|---|---|"]
        for role, m in report["topic_role"].items():
            lines.append(f"| {role}ed | {_figure(m['ndcg@10'])} | {_figure(m['recall@10'])} |")
    if "questions" in report:
        lines += ["", f"{h}# Questions (asked as /search?q=…, hybrid)", "",
                  "| id | question | understood | top 3 | answered |", "|---|---|---|---|---|"]
        for row in report["questions"]["rows"]:
            it = {k: v for k, v in row["interpreted"].items() if v not in (None, [], "")}
            failed = [name for name, ok in row["checks"].items() if not ok]
            understood = ", ".join(f"{k}={v}" for k, v in it.items()).replace("|", "/")
            top = "<br>".join(t.replace("|", "/") for t in row["top3"])
            verdict = "✔" if row["answered"] else "✘ " + ", ".join(failed)
            lines.append(f"| {row['id']} | {row['q']} | {understood} | {top} | {verdict} |")
    if not report["modes"]:
        return "\n".join(lines) + "\n"
    lines += [
        "",
        f"{h}# Topic queries (nDCG@10 / fragment recall@10)",
        "",
        "| id | query | " + " | ".join(report["modes"]) + " |",
        "|---|---|" + "---|" * len(report["modes"]),
    ]
    modes = list(report["modes"].values())
    for i, row in enumerate(modes[0]["topic_queries"]):
        cells = [f"{m['topic_queries'][i]['ndcg@10']:.2f} / {m['topic_queries'][i]['recall@10']:.2f}" for m in modes]
        lines.append(f"| {row['id']} | {row['q']} | " + " | ".join(cells) + " |")
    lines += ["", f"{h}# Track queries (top-1 of type=Track)", "",
              "| id | query | expected | " + " | ".join(report["modes"]) + " |",
              "|---|---|---|" + "---|" * len(report["modes"])]
    for i, row in enumerate(modes[0]["track_queries"]):
        cells = [("✔ " if m["track_queries"][i]["correct"] else "✘ ") + str(m["track_queries"][i]["got"])
                 for m in modes]
        lines.append(f"| {row['id']} | {row['q']} | {row['expect']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"

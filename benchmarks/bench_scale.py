"""Scale benchmarks on the synthetic national corpus (benchmarks/synthetic.py) at about 10k and 100k nodes.

Per size: corpus generation, a real build in a child process (stage timings, wall time, peak RSS; the
embedding cache is shared between sizes and runs, so the embed stage is cold only the first time a text is
seen: the cold figures are kept in ``<work>/syn-<n>/cold-build.json`` and reported as such), the size of the
generation on disk, the vector index kind (``auto``: exact ``flat`` below 20 000 vectors, ``hnsw`` above),
recall@10 of the build's index against exact search on the build's own (real) vectors, and search latency
through HTTP with all servers running side by side (one client, requests interleaved across the servers,
distinct queries).

Run alone: ``python -m benchmarks.bench_scale [--sizes 10000 100000] [--build-only]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import WORK, dir_bytes, machine

SIZES = (10_000, 100_000)
SEED = 7
CACHE = WORK / "cache-synthetic"


def tier_dir(n: int) -> Path:
    return WORK / f"syn-{n}"


def corpus_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.iterdir()):
        if path.is_file():
            h.update(path.name.encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def prepare(n: int, seed: int = SEED) -> dict[str, Any]:
    """Generate the corpus of size ``n`` (deterministic) and return its summary and digest."""
    from benchmarks.synthetic import generate

    started = time.perf_counter()
    corpus = generate(tier_dir(n) / "corpora", n, seed=seed)
    summary = corpus.summary()
    summary["generate_s"] = round(time.perf_counter() - started, 2)
    summary["digest"] = corpus_digest(corpus.root)
    return summary


def build_tier(n: int, *, reuse: bool = True, seed: int = SEED) -> dict[str, Any]:
    """Generate and build the corpus of size ``n``; reuse an existing build of the same corpus when asked."""
    from benchmarks.bench_build import build
    from ingest.build import current_generation

    d = tier_dir(n)
    corpus = prepare(n, seed)
    result_path, cold_path = d / "build.json", d / "cold-build.json"
    if reuse and result_path.is_file():
        previous = json.loads(result_path.read_text())
        gen = current_generation(d / "build")
        if previous.get("corpus", {}).get("digest") == corpus["digest"] and gen is not None \
                and str(gen) == previous["build"]["path"]:
            previous["reused"] = True
            return previous
    started = time.perf_counter()
    result = build(d / "corpora", d / "build", CACHE)
    out = {"n_target": n, "corpus": corpus, "build": result, "reused": False,
           "built_at": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(),
           "build_wall_s": round(time.perf_counter() - started, 1)}
    emb = result["embedder"]
    if emb["cached"] == 0 or not cold_path.is_file():
        cold_path.write_text(json.dumps({**out, "cold_embed": emb["cached"] == 0}, ensure_ascii=False, indent=1))
    result_path.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    return out


def cold_record(n: int) -> dict[str, Any] | None:
    path = tier_dir(n) / "cold-build.json"
    return json.loads(path.read_text()) if path.is_file() else None


def generation_of(n: int) -> Path:
    from ingest.build import current_generation

    gen = current_generation(tier_dir(n) / "build")
    if gen is None:
        raise RuntimeError(f"no build of the {n}-node corpus; run bench_scale first")
    return gen


def index_sizes(gen: Path) -> dict[str, int]:
    return {name: dir_bytes(gen / name) for name in ("index.faiss", "vectors.npy", "lexical", "records.json",
                                                      "graph.nt", "graph.ttl", "graph.jsonld")} | {
        "generation": dir_bytes(gen)}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-reuse", action="store_true")
    args = ap.parse_args(argv)
    for n in args.sizes:
        print(f"[scale] building the {n}-node corpus", file=sys.stderr, flush=True)
        res = build_tier(n, reuse=not args.no_reuse)
        print(json.dumps({"n": n, "reused": res["reused"], "timings_s": res["build"]["timings_s"],
                          "counts": res["build"]["counts"], "peak_rss_mb": res["build"]["peak_rss_mb"]}),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

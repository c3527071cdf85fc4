"""``make bench``: run the benchmarks and write docs/benchmarks.json and docs/benchmarks.md.

    python -m benchmarks.run --quick     # bundled corpora: build, search over HTTP, SPARQL (default)
    python -m benchmarks.run --full      # + the synthetic national corpus at ~10k and ~100k nodes, SPARQL at ~1M triples
    python -m benchmarks.run --only search sparql     # some sections; the others keep their last figures
    python -m benchmarks.run --render    # rewrite docs/benchmarks.md from docs/benchmarks.json only

Sections: ``build`` (bundled, cold per stage and incremental), ``search`` (bundled, HTTP, against the
floor), ``sparql`` (bundled, rdflib vs pyoxigraph), ``scale`` (synthetic 10k/100k), ``sparql-1m``.
Each section's figures are stored in docs/benchmarks.json with the command, the time and the machine
(load average included: the machine is shared and noisy, so every comparison is made inside one run,
side by side, and reported as a ratio). Scratch data goes to build/bench/ (git-ignored); synthetic builds
and the embedding cache are kept there and reused while their corpus is unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, WORK, machine

DOCS = ROOT / "docs"
QUICK = ("build", "search", "sparql")
FULL = (*QUICK, "scale", "sparql-1m")
BUNDLED_BUILD = WORK / "bundled" / "cold" / "build"


def _bundled_build() -> Path:
    """The bundled corpora's build made by the build section (made now if missing)."""
    from ingest.build import current_generation

    if current_generation(BUNDLED_BUILD) is None:
        from benchmarks import bench_build

        bench_build.cold()
    return BUNDLED_BUILD


def run_section(name: str, args: argparse.Namespace) -> dict[str, Any]:
    if name == "build":
        from benchmarks import bench_build

        return bench_build.run()
    if name == "search":
        from benchmarks import bench_search

        return bench_search.run(_bundled_build(), n_single=args.n * bench_search.SINGLE_ROUNDS, n_cached=args.n,
                                duration_s=args.duration, rounds=args.rounds)
    if name == "sparql":
        from benchmarks import bench_sparql
        from ingest.build import current_generation

        gen = current_generation(_bundled_build())
        assert gen is not None
        return {"compare": bench_sparql.compare(gen / "graph.nt", reps=args.sparql_reps)}
    if name == "scale":
        from benchmarks import bench_scale

        return bench_scale.measure(list(args.sizes), _bundled_build(), n_queries=args.n)
    if name == "sparql-1m":
        from benchmarks import bench_sparql
        from ingest.build import current_generation

        gen = current_generation(_bundled_build())
        assert gen is not None
        ratio = _triples_per_node()
        graph = bench_sparql.synthetic_graph(args.triples, triples_per_node=ratio)
        return {"graph": graph, "triples_per_node": ratio,
                "compare": bench_sparql.compare(Path(graph["nt"]), reps=args.sparql_1m_reps, limit_s=args.limit)}
    raise ValueError(name)


def _triples_per_node() -> float:
    """Triples per node of the synthetic corpus, from its 10k build when there is one (else a pilot)."""
    from benchmarks.bench_scale import tier_dir

    path = tier_dir(10_000) / "build.json"
    if path.is_file():
        counts = json.loads(path.read_text())["build"]["counts"]
        return round(counts["triples"] / counts["nodes"], 2)
    from benchmarks.synthetic import generate
    from ingest.build import parse_corpus
    from ingest.graph import build_graph
    from ingest.manifest import load_manifest

    corpus = generate(WORK / "pilot" / "corpora", 3000)
    manifest = load_manifest(corpus.root)
    graph = build_graph(manifest, parse_corpus(manifest))
    return round(len(graph) / corpus.expected_nodes, 2)


def search_headline(sec: dict[str, Any]) -> dict[str, Any]:
    """The target figures of one search run, kept in ``history`` so that run-to-run spread is on record."""
    r = sec["result"]
    return {"measured_at": sec["measured_at"], "command": sec["command"],
            "load_avg": sec["machine"]["load_avg"], "floor_p50_ms": r["single"]["floor"]["p50_ms"],
            "search_p50_ms": r["single"]["search"]["p50_ms"], "ratio_p50": r["single"]["ratio_p50"],
            "ratio_p99": r["single"]["ratio_p99"], "cached_p50_ms": r["cached"]["search_cached"]["p50_ms"],
            "throughput_ratio": r["concurrent"]["ratio_vs_embedder"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run the benchmarks; figures into docs/benchmarks.{json,md}")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="bundled corpora only (default)")
    mode.add_argument("--full", action="store_true", help="also the synthetic corpora (10k, 100k nodes, 1M triples)")
    mode.add_argument("--render", action="store_true", help="only rewrite the markdown from the JSON")
    ap.add_argument("--only", nargs="+", choices=FULL, help="run only these sections")
    ap.add_argument("--out", type=Path, default=DOCS)
    ap.add_argument("--n", type=int, default=400, help="requests per latency series (per round of the "
                    "single-client series)")
    ap.add_argument("--duration", type=float, default=8.0, help="seconds per throughput phase")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the throughput comparison")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--sparql-reps", type=int, default=7)
    ap.add_argument("--sparql-1m-reps", type=int, default=3)
    ap.add_argument("--limit", type=float, default=600.0, help="time limit of one SPARQL run, seconds")
    args = ap.parse_args(argv)

    json_path = args.out / "benchmarks.json"
    data: dict[str, Any] = json.loads(json_path.read_text()) if json_path.is_file() else {"sections": {}}
    if not args.render:
        sections = args.only or (FULL if args.full else QUICK)
        cmd = "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv)
        for name in sections:
            print(f"[bench] {name} …", file=sys.stderr, flush=True)
            started = time.perf_counter()
            result = run_section(name, args)
            # re-read before writing: another run may have stored other sections meanwhile
            data = json.loads(json_path.read_text()) if json_path.is_file() else {"sections": {}}
            data["sections"][name] = {"result": result, "command": cmd.strip(),
                                      "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                                      "seconds": round(time.perf_counter() - started, 1), "machine": machine()}
            if name == "search":
                data.setdefault("history", {}).setdefault("search", []).append(search_headline(data["sections"][name]))
            json_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = json_path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1))
            tmp.replace(json_path)
            print(f"[bench] {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    from benchmarks.report import render

    data = json.loads(json_path.read_text()) if json_path.is_file() else data
    (args.out / "benchmarks.md").write_text(render(data), encoding="utf-8")
    print(f"wrote {json_path} and {args.out / 'benchmarks.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

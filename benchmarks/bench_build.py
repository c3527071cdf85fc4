"""Build benchmarks: a cold build per stage, and an incremental rebuild after changing one document.

Every build runs in a child process (``python -m benchmarks.bench_build child ...``), which calls the real
``ingest.build.run_build``; the stage timings come from the build manifest (``timings_s``: parse, graph,
shacl, embed, index, write), the peak resident memory from ``wait4``.

Cold: empty build folder and empty embedding cache, so every node is embedded (the embed stage includes
loading the model). Incremental: a copy of the corpora is built once (warming the cache), then one statement
of one document is edited and the corpus rebuilt with the same cache: the manifest's
``embedder.computed`` counts the nodes actually re-embedded (cache keyed by the content hash of each node's
embedded text).

Run alone: ``python -m benchmarks.bench_build`` (prints JSON).
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


def build(corpora: Path, build_dir: Path, cache_dir: Path, *, index_kind: str = "auto",
          analyse: bool = True, timeout_s: float | None = None) -> dict[str, Any]:
    """One build in a child process: manifest figures, wall time and peak RSS.

    ``analyse=False`` replaces the analyse stage (topics, overlaps, lineage) with a stub that adds nothing:
    its document-pair alignment grows with the square of the number of documents (see docs/benchmarks.md),
    so the scale builds leave it out and report it separately.
    """
    res = run_child([PY, "-m", "benchmarks.bench_build", "child", str(corpora), str(build_dir), str(cache_dir),
                     index_kind, "analyse" if analyse else "no-analyse"], timeout_s=timeout_s)
    if res.returncode != 0:
        raise RuntimeError(f"build of {corpora} failed ({res.returncode}):\n{res.stderr[-4000:]}")
    out: dict[str, Any] = last_json_line(res.stdout)
    out["wall_s"] = round(res.wall_s, 2)
    out["peak_rss_mb"] = res.peak_rss_mb
    return out


def _stub_analysis() -> None:
    """Make run_build's analyse stage a no-op (benchmark child only)."""
    from rdflib import Graph

    import ingest.analyse as analyse

    def run_analysis(*_args: Any, **_kwargs: Any) -> Any:
        return analyse.AnalysisResult(graph=Graph(), payload={"format": analyse.ANALYSIS_FORMAT,
                                                              "skipped": "analyse stage left out by the benchmark"},
                                      manifest={"skipped": True})

    analyse.run_analysis = run_analysis
    analyse.validate_analysis = lambda *_a, **_k: None


def child(corpora: Path, build_dir: Path, cache_dir: Path, index_kind: str, analyse: bool = True) -> None:
    import time

    from ingest.build import BuildOptions, run_build

    if not analyse:
        _stub_analysis()

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


def cold(work: Path = WORK / "bundled") -> dict[str, Any]:
    shutil.rmtree(work / "cold", ignore_errors=True)
    return build(CORPORA, work / "cold" / "build", work / "cold" / "cache")


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
            "corpus_nodes": doc_nodes}


def run(work: Path = WORK / "bundled") -> dict[str, Any]:
    c = cold(work)
    inc = incremental(work, warm_cache=work / "cold" / "cache")
    return {"cold": c, "incremental": inc,
            "command": "python -m benchmarks.run --quick (section build)"}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "child":
        child(Path(argv[1]), Path(argv[2]), Path(argv[3]), argv[4] if len(argv) > 4 else "auto",
              analyse=not (len(argv) > 5 and argv[5] == "no-analyse"))
        return 0
    print(json.dumps(run(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""SPARQL benchmarks: the example-query catalogue (service/queries) on rdflib's in-memory store and on
pyoxigraph's in-memory store, side by side, at the bundled size and on a synthetic graph of about 1M triples.

Both stores are loaded from the same N-Triples file in one child process, which then runs every query of
the catalogue ``reps`` times alternating the engines (rdflib, oxigraph, rdflib, oxigraph, …) and reports
the median per query and engine, the number of result rows (which must agree), and the load times.
Results are materialised (every row read). A run that exceeds ``limit_s`` is stopped by the parent: that
query is reported as "> limit" for that engine and the child restarts without it.

The 1M-triple graph comes from a synthetic corpus (benchmarks/synthetic.py) whose size is chosen from the
triples per node of the bundled build; only the parse and graph stages run (no SHACL, no embedding).

Run alone: ``python -m benchmarks.bench_sparql --nt FILE`` or ``--synthetic-triples 1000000``.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import PY, ROOT, WORK, median, ms


def catalogue() -> list[tuple[str, str]]:
    from service.sparql.catalogue import load_catalogue

    return [(ex.id, ex.query) for ex in load_catalogue()]


# ----------------------------------------------------------------------------------------------- child
def child(nt: Path, reps: int, skip: set[tuple[str, str]], done: set[tuple[str, str, int]]) -> None:
    import pyoxigraph
    from rdflib import Graph

    def emit(obj: dict[str, Any]) -> None:
        print(json.dumps(obj), flush=True)

    def rss() -> float:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
        return 0.0

    r0 = rss()
    t = time.perf_counter()
    graph = Graph()
    graph.parse(str(nt), format="nt")
    emit({"event": "load", "engine": "rdflib", "seconds": round(time.perf_counter() - t, 3), "triples": len(graph),
          "rss_delta_mb": round(rss() - r0, 1)})
    r1 = rss()
    t = time.perf_counter()
    store = pyoxigraph.Store()
    store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
    emit({"event": "load", "engine": "oxigraph", "seconds": round(time.perf_counter() - t, 3), "triples": len(store),
          "rss_delta_mb": round(rss() - r1, 1)})

    def run_rdflib(q: str) -> int:
        return len(list(graph.query(q)))

    def run_oxigraph(q: str) -> int:
        result = store.query(q)
        return 1 if isinstance(result, pyoxigraph.QueryBoolean) else len(list(result))

    engines = {"rdflib": run_rdflib, "oxigraph": run_oxigraph}
    for qid, text in catalogue():
        for rep in range(reps):
            for engine, fn in engines.items():
                if (engine, qid) in skip or (engine, qid, rep) in done:
                    continue
                emit({"event": "start", "engine": engine, "query": qid, "rep": rep})
                t = time.perf_counter()
                rows = fn(text)
                emit({"event": "result", "engine": engine, "query": qid, "rep": rep,
                      "seconds": time.perf_counter() - t, "rows": rows})
    emit({"event": "end"})


# ----------------------------------------------------------------------------------------------- parent
def compare(nt: Path, *, reps: int = 5, limit_s: float = 300.0) -> dict[str, Any]:
    """Run the catalogue on both engines over ``nt``; see the module docstring."""
    skip: set[tuple[str, str]] = set()
    done: set[tuple[str, str, int]] = set()
    results: list[dict[str, Any]] = []
    loads: dict[str, dict[str, Any]] = {}
    timeouts: list[dict[str, Any]] = []
    for _attempt in range(10):
        args = [PY, "-m", "benchmarks.bench_sparql", "child", str(nt), str(reps), json.dumps(sorted(skip)),
                json.dumps(sorted(done))]
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        assert proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()

        def pump(stream: Any = proc.stdout, out: queue.Queue[str | None] = lines) -> None:
            for text_line in stream:
                out.put(text_line)
            out.put(None)

        threading.Thread(target=pump, daemon=True).start()
        current: dict[str, Any] | None = None
        started = time.monotonic()
        finished = False
        while True:
            try:
                line = lines.get(timeout=1.0)
            except queue.Empty:
                if current is not None and time.monotonic() - started > limit_s:
                    os.killpg(proc.pid, signal.SIGKILL)
                    timeouts.append({"engine": current["engine"], "query": current["query"], "limit_s": limit_s})
                    skip.add((current["engine"], current["query"]))
                    break
                continue
            if line is None:
                break
            ev = json.loads(line)
            if ev["event"] == "load":
                loads[ev["engine"]] = ev
            elif ev["event"] == "start":
                current, started = ev, time.monotonic()
            elif ev["event"] == "result":
                results.append(ev)
                done.add((ev["engine"], ev["query"], ev["rep"]))
                current = None
            elif ev["event"] == "end":
                finished = True
        proc.wait()
        if finished:
            break
        if proc.returncode not in (0, -signal.SIGKILL):
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"SPARQL benchmark child failed ({proc.returncode}):\n{err[-3000:]}")
    per_query: dict[str, dict[str, Any]] = {}
    for qid, _ in catalogue():
        row: dict[str, Any] = {}
        for engine in ("rdflib", "oxigraph"):
            times = [r["seconds"] for r in results if r["engine"] == engine and r["query"] == qid]
            rows = {r["rows"] for r in results if r["engine"] == engine and r["query"] == qid}
            if (engine, qid) in skip:
                row[engine] = {"median_ms": None, "timeout_s": limit_s, "reps": len(times)}
            else:
                row[engine] = {"median_ms": ms(median(times)) if times else None, "reps": len(times),
                               "rows": sorted(rows)[0] if len(rows) == 1 else sorted(rows)}
        r, o = row["rdflib"].get("median_ms"), row["oxigraph"].get("median_ms")
        row["speedup"] = round(r / o, 1) if r and o else None
        per_query[qid] = row
    return {"nt": str(nt), "nt_bytes": nt.stat().st_size, "reps": reps, "limit_s": limit_s, "loads": loads,
            "queries": per_query, "timeouts": timeouts}


def synthetic_graph(triples: int, *, triples_per_node: float, seed: int = 7) -> dict[str, Any]:
    """Generate a synthetic corpus of about ``triples`` triples and write its graph (parse + graph stages)."""
    from benchmarks.synthetic import generate
    from ingest.build import parse_corpus
    from ingest.graph import build_graph
    from ingest.manifest import load_manifest

    nodes = int(triples / triples_per_node)
    base = WORK / f"sparql-{triples}"
    nt = base / "graph.nt"
    meta = base / "graph.json"
    if nt.is_file() and meta.is_file():
        info = json.loads(meta.read_text())
        if info.get("target_nodes") == nodes:
            info["reused"] = True
            return info
    corpus = generate(base / "corpora", nodes, seed=seed)
    t = time.perf_counter()
    manifest = load_manifest(corpus.root)
    docs = parse_corpus(manifest)
    t_parse = time.perf_counter() - t
    t = time.perf_counter()
    graph = build_graph(manifest, docs)
    t_graph = time.perf_counter() - t
    t = time.perf_counter()
    graph.serialize(destination=str(nt), format="nt", encoding="utf-8")
    t_write = time.perf_counter() - t
    info = {"target_nodes": nodes, "nodes": corpus.expected_nodes, "triples": len(graph),
            "documents": len(docs), "parse_s": round(t_parse, 2), "graph_s": round(t_graph, 2),
            "write_nt_s": round(t_write, 2), "nt": str(nt), "reused": False}
    meta.write_text(json.dumps(info, indent=1))
    return info


def main(argv: list[str]) -> int:
    if argv and argv[0] == "child":
        skip = {tuple(x) for x in json.loads(argv[3])}
        done = {tuple(x) for x in json.loads(argv[4])}
        child(Path(argv[1]), int(argv[2]), skip, done)
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--nt", type=Path)
    ap.add_argument("--synthetic-triples", type=int)
    ap.add_argument("--triples-per-node", type=float, default=22.8)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--limit", type=float, default=300.0)
    args = ap.parse_args(argv)
    out: dict[str, Any] = {}
    nt = args.nt
    if args.synthetic_triples:
        out["graph"] = synthetic_graph(args.synthetic_triples, triples_per_node=args.triples_per_node)
        nt = Path(out["graph"]["nt"])
    if nt is None:
        ap.error("give --nt or --synthetic-triples")
    out["compare"] = compare(nt, reps=args.reps, limit_s=args.limit)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

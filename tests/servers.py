"""Real `python -m service serve` processes for the tests, started by the one launcher the benchmarks use too
(benchmarks/common.py: free_port, launch, wait_ready, stop), and a command killed at a build's fault point."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import free_port, launch, stop, wait_ready

__all__ = ["free_port", "kill_at_fault_point", "launch", "start", "stop", "wait_ready"]

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

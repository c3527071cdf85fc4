"""kill -9 of a build at several points: the previous build still loads and answers identically."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.build import BuildOptions, current_generation, read_build_manifest, run_build
from service.generation import load_generation
from service.search import SearchParams, search

QUERIES = ("netværk", "frivillighed", "digital tilgængelighed")


def _answers(generation_dir: Path, embedder) -> list[list[tuple[str, float]]]:  # type: ignore[no-untyped-def]
    gen = load_generation(generation_dir, embedder)
    return [[(r.id, r.score) for r in search(gen, SearchParams(q=q, k=10)).results] for q in QUERIES]


@pytest.mark.parametrize("point", ["parse", "embed", "write"])
def test_kill_9_during_build_leaves_previous_build_serving(point: str, scratch_corpus: Path, tmp_path: Path,
                                                           build_dir: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    build = tmp_path / "build"
    cache = build_dir / "cache"
    good = run_build(BuildOptions(corpora_dir=scratch_corpus, build_dir=build, cache_dir=cache))
    before = _answers(good.path, embedder)
    marker = tmp_path / f"reached-{point}"
    env = {**os.environ, "STRATEGIGRAF_FAULT_PAUSE": f"{point}:{marker}", "STRATEGIGRAF_CACHE_DIR": str(cache)}
    proc = subprocess.Popen([sys.executable, "-m", "service", "ingest", "--quiet", "--corpora", str(scratch_corpus),
                             "--build", str(build)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "build exited early"
        assert time.monotonic() < deadline, f"build never reached {point}"
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert current_generation(build) == good.path
    read_build_manifest(good.path)  # every checksum still matches
    assert _answers(good.path, embedder) == before
    if point == "write":
        # The next build cleans up what the killed one left behind and goes live.
        assert list(build.glob(".tmp-*")), "the killed build should have left its temporary folder"
        again = run_build(BuildOptions(corpora_dir=scratch_corpus, build_dir=build, cache_dir=cache))
        assert current_generation(build) == again.path
        assert not list(build.glob(".tmp-*"))

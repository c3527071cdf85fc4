"""kill -9 of a build at several points: the previous build still loads and answers identically."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.build import BuildOptions, current_generation, read_build_manifest, run_build
from service.generation import load_generation
from service.search import SearchParams, search
from tests import servers

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
    servers.kill_at_fault_point(["ingest", "--quiet", "--corpora", str(scratch_corpus), "--build", str(build)],
                                point, tmp_path / f"reached-{point}", cache, timeout_s=180)
    assert current_generation(build) == good.path
    read_build_manifest(good.path)  # every checksum still matches
    assert _answers(good.path, embedder) == before
    if point == "write":
        # The next build cleans up what the killed one left behind and goes live.
        assert list(build.glob(".tmp-*")), "the killed build should have left its temporary folder"
        again = run_build(BuildOptions(corpora_dir=scratch_corpus, build_dir=build, cache_dir=cache))
        assert current_generation(build) == again.path
        assert not list(build.glob(".tmp-*"))

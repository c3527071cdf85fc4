"""Rebuilds without downtime: build next to the live generation, load it, swap the reference atomically.

Requests hold the generation they started with (routes take it once from the state), so in-flight
requests finish on the old one; a failed build leaves the live generation serving. A watcher also picks
up builds made by `strategigraf ingest` in another process (the build folder's `current` link changes).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from ingest.build import BuildOptions, current_generation, run_build
from ingest.errors import IngestError
from service.generation import load_generation
from service.state import RebuildStatus, ServiceState

log = logging.getLogger("strategigraf")

__all__ = ["RebuildStatus", "build_options", "start_rebuild", "swap_to", "watch_builds"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def swap_to(state: ServiceState, generation_path: object) -> None:
    """Load a generation folder and make it live (after the state's swap hooks, e.g. starting its SPARQL
    workers); the previous one stays until its last request ends."""
    gen = load_generation(Path(str(generation_path)), state.embedder)
    state.swap(gen)
    log.info("now serving build %s", gen.build_id)


def build_options(state: ServiceState) -> BuildOptions:
    """The options of a build the service runs (a rebuild or an added document): its settings, and its own
    embedder so the model is only ever called from the thread that owns it."""
    s = state.settings
    return BuildOptions(corpora_dir=s.corpora_dir, build_dir=s.build_dir, embedder=s.embedder,
                        embedder_instance=state.embedder, index_kind=s.index_kind, index_threshold=s.index_threshold,
                        keep_generations=s.keep_generations, cache_dir=s.cache_dir)


def _run(state: ServiceState) -> None:
    try:
        result = run_build(build_options(state))
        swap_to(state, result.path)
        state.rebuild_status = RebuildStatus(state="succeeded", started=state.rebuild_status.started,
                                             finished=_now(), build_id=result.build_id, build_seconds=result.seconds,
                                             timings_s=result.timings)
    except (IngestError, OSError, ValueError) as exc:
        log.error("rebuild failed, still serving %s: %s", state.generation.build_id, exc)
        state.rebuild_status = RebuildStatus(state="failed", started=state.rebuild_status.started,
                                             finished=_now(), error=str(exc))
    finally:
        state.rebuild_lock.release()


def start_rebuild(state: ServiceState) -> bool:
    """Start a rebuild thread; False when one is already running."""
    if not state.rebuild_lock.acquire(blocking=False):
        return False
    state.rebuild_status = RebuildStatus(state="running", started=_now())
    threading.Thread(target=_run, args=(state,), name="strategigraf-rebuild", daemon=True).start()
    return True


def watch_builds(state: ServiceState, stop: threading.Event, interval_s: float = 2.0) -> None:
    """Swap in a generation another process made live (e.g. `strategigraf ingest` while serving)."""
    refused: object = None
    while not stop.wait(interval_s):
        try:
            live = current_generation(state.settings.build_dir)
            if live is None or not state.ready or live == state.generation.path.resolve() or live == refused:
                continue
            if state.rebuild_lock.acquire(blocking=False):
                try:
                    swap_to(state, live)
                finally:
                    state.rebuild_lock.release()
        except Exception as exc:  # keep watching; the live generation keeps serving
            refused = live
            log.error("refusing the new build, still serving %s: %s", state.generation.build_id, exc)

"""The service's state: the live generation, the settings and embedder it serves with, and the rebuild status.

One :class:`ServiceState` per application, made at start-up (service/app.py) and reached by routes through
the dependencies in service/deps.py. Swapping in a generation first runs the hooks registered in
:attr:`ServiceState.on_swap` (the app registers the SPARQL workers' start there), so nothing here knows
what else is kept per generation.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from ingest.embed.base import Embedder
from service.generation import Generation
from service.settings import ServiceSettings


class RebuildStatus(BaseModel):
    """The last rebuild (or added document) of this service: GET /admin/rebuild."""

    state: str = Field(description="idle, running, succeeded or failed")
    started: str | None = Field(default=None, description="When the last rebuild started (UTC, ISO 8601)")
    finished: str | None = Field(default=None, description="When it finished")
    build_id: str | None = Field(default=None, description="Build id it produced, when it succeeded")
    error: str | None = Field(default=None, description="Why it failed, when it failed")
    build_seconds: float | None = Field(default=None, description="Wall-clock seconds the build (run_build) took, "
                                        "when it succeeded; loading and swapping in the new build not included")
    timings_s: dict[str, float] | None = Field(default=None, description="Seconds per build stage (parse, graph, "
                                               "shacl, embed, index, analyse, write), when it succeeded")


SwapHook = Callable[[Generation], object]
"""Called with a generation about to go live, before any request can take it."""


@dataclass
class ServiceState:
    """The live generation behind a lock-guarded reference: a request keeps the generation it started with."""

    settings: ServiceSettings
    embedder: Embedder
    _generation: Generation | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    rebuild_lock: threading.Lock = field(default_factory=threading.Lock)
    """Held while a rebuild (or a swap to another process's build) runs."""
    rebuild_status: RebuildStatus = field(default_factory=lambda: RebuildStatus(state="idle"))
    on_swap: list[SwapHook] = field(default_factory=list)
    """Run in order with each generation before it goes live (e.g. start its SPARQL workers)."""

    @property
    def generation(self) -> Generation:
        gen = self._generation
        if gen is None:
            raise RuntimeError("no generation loaded")
        return gen

    @property
    def ready(self) -> bool:
        return self._generation is not None

    def swap(self, new: Generation) -> Generation | None:
        """Make ``new`` live after running the :attr:`on_swap` hooks with it; the previous generation, if any.

        A hook that raises leaves the live generation in place.
        """
        _ = new.triple_count  # counted now (it scans the store), not by the first request that reports it
        for hook in self.on_swap:
            hook(new)
        with self._lock:
            old, self._generation = self._generation, new
        settle_heap()
        return old


def settle_heap() -> None:
    """Collect once, then move every object alive now into the permanent generation (``gc.freeze``), so that
    later collections skip them: above all the live generation's (millions of long-lived objects at national
    scale; a full collection visits every tracked object, about 1 s with 100k nodes loaded), and what start-up
    made after loading it (the model, the warm-up). Measured on the bundled build's server: a full
    collection of 48 ms about once per 300 searches (a request's p99) when only the generation itself was
    frozen, none once everything alive at the swap was. A generation holds no reference cycles, so a replaced
    one is still freed by reference counting."""
    gc.collect()
    gc.freeze()

"""Service state built once at start-up and the typed dependencies routes use."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from ingest.embed.base import Embedder
from service.generation import Generation
from service.rebuild import RebuildStatus
from service.settings import ServiceSettings


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
        with self._lock:
            old, self._generation = self._generation, new
        return old


# The dependencies are ``async`` on purpose: FastAPI runs a plain ``def`` dependency in the thread pool, a
# hand-off that costs more than the work these do (they only read attributes).


async def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


async def get_generation(state: Annotated[ServiceState, Depends(get_state)]) -> Generation:
    return state.generation


async def get_settings_dep(state: Annotated[ServiceState, Depends(get_state)]) -> ServiceSettings:
    return state.settings


StateDep = Annotated[ServiceState, Depends(get_state)]
GenerationDep = Annotated[Generation, Depends(get_generation)]
SettingsDep = Annotated[ServiceSettings, Depends(get_settings_dep)]

"""The service state: the live generation behind a reference, swapped after the registered hooks ran."""

from __future__ import annotations

from typing import Any

import pytest

from service.generation import Generation
from service.settings import ServiceSettings
from service.state import RebuildStatus, ServiceState


@pytest.fixture
def state(settings: ServiceSettings, generation: Generation) -> ServiceState:
    return ServiceState(settings=settings, embedder=generation.embedder)


def test_no_generation_until_the_first_swap(state: ServiceState) -> None:
    assert not state.ready
    with pytest.raises(RuntimeError, match="no generation loaded"):
        _ = state.generation
    assert state.rebuild_status == RebuildStatus(state="idle")


def test_swap_runs_the_hooks_with_the_new_generation_before_it_goes_live(state: ServiceState,
                                                                         generation: Generation) -> None:
    seen: list[tuple[str, Any, bool]] = []
    state.on_swap.append(lambda gen: seen.append(("first", gen, state.ready)))
    state.on_swap.append(lambda gen: seen.append(("second", gen, state.ready)))
    assert state.swap(generation) is None
    assert seen == [("first", generation, False), ("second", generation, False)]
    assert state.ready and state.generation is generation
    assert state.swap(generation) is generation  # the previous one is handed back


def test_a_failing_hook_leaves_the_live_generation(state: ServiceState, generation: Generation) -> None:
    state.swap(generation)

    def refuse(gen: Generation) -> None:
        raise OSError("the SPARQL workers could not start")

    state.on_swap.append(refuse)
    other = Generation(path=generation.path, manifest={**generation.manifest, "build_id": "other"},
                       documents=generation.documents, nodes=generation.nodes, vectors=generation.vectors,
                       indexes=generation.indexes, embedder=generation.embedder, store=generation.store)
    with pytest.raises(OSError, match="could not start"):
        state.swap(other)
    assert state.generation is generation


def test_a_swap_puts_what_is_alive_out_of_the_collectors_reach(state: ServiceState,
                                                                generation: Generation) -> None:
    """After a swap the objects alive then (the generation, what start-up made) are frozen: a full collection
    during a request does not visit them."""
    import gc

    made_before = [[i] for i in range(1000)]  # long-lived objects the collector tracks
    try:
        gc.unfreeze()
        state.swap(generation)
        assert gc.get_freeze_count() >= len(made_before)
        tracked = {id(obj) for obj in gc.get_objects()}
        assert not any(id(obj) in tracked for obj in made_before)  # no longer visited by collections
    finally:
        gc.unfreeze()

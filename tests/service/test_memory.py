"""service/memory.py: the huge-page environment, and `strategigraf serve` starting itself again with it."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from service.memory import RELAUNCHED, has_memory_layout, memory_environment


def test_the_layout_is_added_to_an_environment_without_it() -> None:
    env = memory_environment({"PATH": "/bin"})
    assert env == {"PATH": "/bin", "GLIBC_TUNABLES": "glibc.malloc.hugetlb=1", "PYTHONMALLOC": "malloc"}
    assert has_memory_layout(env) and not has_memory_layout({"PATH": "/bin"})


def test_the_users_own_values_are_kept() -> None:
    env = memory_environment({"GLIBC_TUNABLES": "glibc.malloc.arena_max=2", "PYTHONMALLOC": "pymalloc_debug"})
    assert env["GLIBC_TUNABLES"] == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"
    assert env["PYTHONMALLOC"] == "pymalloc_debug"
    chosen = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=0", "PYTHONMALLOC": "pymalloc"}
    assert memory_environment(chosen) == chosen and has_memory_layout(chosen)


def _environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_serve_runs_with_the_layout_in_the_process_it_was_started_as(build_dir: Path, tmp_path: Path) -> None:
    """The process started by `python -m service serve` (same pid) serves with the layout; with
    STRATEGIGRAF_HUGE_PAGES=false it serves as started."""
    from tests import servers

    inherited = has_memory_layout(os.environ)  # normally not: then the server must have started itself again
    for setting in ("true", "false"):
        proc, base = servers.start(build_dir, tmp_path / f"server-{setting}.log", {"STRATEGIGRAF_HUGE_PAGES": setting})
        try:
            assert httpx.get(base + "/search?q=netv%C3%A6rk&k=1", timeout=30).status_code == 200
            served = _environ_of(proc.pid)
        finally:
            servers.stop(proc)
        if setting == "true":
            assert has_memory_layout(served), served.get("GLIBC_TUNABLES")
            assert (served.get(RELAUNCHED) == "1") is not inherited
        else:
            assert served.get("GLIBC_TUNABLES") == os.environ.get("GLIBC_TUNABLES") and RELAUNCHED not in served

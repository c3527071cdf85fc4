"""service/rebuild.py: rebuilds without downtime (POST /admin/rebuild builds beside the live generation and swaps
atomically), a failed or corrupt build keeps the live one, a build by another process is picked up. The token
guard of the route: tests/service/routes/test_admin_api.py."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from fastapi.testclient import TestClient

from ingest.build import BuildOptions, run_build
from tests.service.conftest import ADMIN_TOKEN as TOKEN


def _wait(client: TestClient, auth: dict[str, str]) -> dict[str, object]:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        status: dict[str, object] = client.get("/admin/rebuild", headers=auth).json()
        if status["state"] in ("succeeded", "failed"):
            return status
        time.sleep(0.2)
    raise AssertionError("rebuild did not finish")


def test_rebuild_swaps_in_a_new_generation_while_serving(admin_app) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = admin_app
    auth = {"Authorization": f"Bearer {TOKEN}"}
    old = client.get("/health").json()["build_id"]
    old_gen = client.app.state.service.generation
    client.get("/search", params={"q": "netværk", "type": "Principle"})
    assert len(old_gen.json_cache) >= 1
    assert client.post("/admin/rebuild", headers=auth).status_code == 202
    codes = set()
    while client.get("/admin/rebuild", headers=auth).json()["state"] == "running":
        codes.add(client.get("/search", params={"q": "netværk", "type": "Principle"}).status_code)
    status = _wait(client, auth)
    assert status["state"] == "succeeded", status
    # the status says how long the build took and where the time went (the stages lie within the whole)
    stages = status["timings_s"]
    assert isinstance(stages, dict) and set(stages) == {"parse", "graph", "shacl", "embed", "index", "analyse",
                                                          "write"}
    assert isinstance(status["build_seconds"], float) and 0 < sum(stages.values()) <= status["build_seconds"]
    assert codes <= {200}
    new = client.get("/health").json()["build_id"]
    assert new == status["build_id"] and new != old
    # Caches belong to a generation: the new one starts without the old one's answers.
    live = client.app.state.service.generation
    assert live is not old_gen and live.json_cache is not old_gen.json_cache
    before = len(live.json_cache)  # at most the searches made while the rebuild was finishing
    assert client.get("/search", params={"q": "netværk i nye rammer", "type": "Principle"}).json()["results"]
    assert len(live.json_cache) == before + 1


def test_failed_rebuild_keeps_the_live_build(admin_app) -> None:  # type: ignore[no-untyped-def]
    client, corpus, _ = admin_app
    auth = {"Authorization": f"Bearer {TOKEN}"}
    old = client.get("/health").json()["build_id"]
    (corpus / "slagelse-2019-politiske-pejlemaerker.txt").write_bytes(b"")
    assert client.post("/admin/rebuild", headers=auth).status_code == 202
    status = _wait(client, auth)
    assert status["state"] == "failed" and "slagelse-2019-politiske-pejlemaerker.txt" in str(status["error"])
    assert status["build_seconds"] is None and status["timings_s"] is None
    assert client.get("/health").json()["build_id"] == old
    assert client.get("/search", params={"q": "frivillighed"}).status_code == 200


def test_build_by_another_process_is_picked_up(admin_app, build_dir: Path) -> None:  # type: ignore[no-untyped-def]
    client, corpus, build = admin_app
    old = client.get("/health").json()["build_id"]
    result = run_build(BuildOptions(corpora_dir=corpus, build_dir=build, cache_dir=build_dir / "cache"))
    deadline = time.monotonic() + 30
    while client.get("/health").json()["build_id"] == old:
        assert time.monotonic() < deadline, "the server did not pick up the new build"
        time.sleep(0.3)
    assert client.get("/health").json()["build_id"] == result.build_id


def test_corrupt_new_build_is_refused_and_old_keeps_serving(admin_app, build_dir: Path) -> None:  # type: ignore[no-untyped-def]
    client, corpus, build = admin_app
    old = client.get("/health").json()["build_id"]
    result = run_build(BuildOptions(corpora_dir=corpus, build_dir=build, cache_dir=build_dir / "cache"))
    # Corrupt it before the watcher loads it is racy; instead corrupt a copy and point `current` at it.
    bad = build / "generations" / (result.path.name + "-bad")
    shutil.copytree(result.path, bad)
    (bad / "index.faiss").write_bytes(b"truncated")
    link = build / "current"
    link.unlink()
    link.symlink_to(Path("generations") / bad.name)
    time.sleep(5)
    assert client.get("/health").json()["build_id"] in (old, result.build_id)
    assert client.get("/search", params={"q": "netværk"}).status_code == 200

"""The service is stateless over an immutable build folder: two `strategigraf serve` processes (two replicas,
as behind a load balancer) on the same STRATEGIGRAF_BUILD_DIR answer with the same build and the same results.
See docs/scaling.md."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import servers


@pytest.fixture(scope="module")
def replicas(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Base URLs of two `python -m service serve` processes on two free ports, sharing ``build_dir``."""
    logs = tmp_path_factory.mktemp("replicas")
    env = {"STRATEGIGRAF_SPARQL_TIMEOUT_S": "5"}
    procs: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for i in range(2):  # started together: both load the same generation concurrently
            log_path = logs / f"replica-{i}.log"
            procs.append((*servers.launch(build_dir, log_path, env), log_path))
        for proc, base, log_path in procs:
            servers.wait_ready(proc, base, log_path, timeout_s=180)
        yield [base for _, base, _ in procs]
    finally:
        for proc, _, _ in procs:
            servers.stop(proc)


def test_two_replicas_serve_the_same_build(replicas: list[str], generation_dir: Path) -> None:
    a, b = replicas
    assert a != b
    health = [httpx.get(base + "/health", timeout=10).json() for base in replicas]
    assert health[0]["status"] == health[1]["status"] == "ready"
    assert health[0]["build_id"] == health[1]["build_id"] == generation_dir.name
    assert health[0]["counts"] == health[1]["counts"]


@pytest.mark.parametrize("params", [
    {"q": "netværk"},
    {"q": "pårørende", "mode": "keyword", "k": "5"},
    {"q": "inklusion i fællesskabet", "mode": "semantic", "type": "Principle"},
    {"q": "beskæftigelse", "municipality": "faxe"},
])
def test_replicas_give_identical_search_results(replicas: list[str], params: dict[str, str]) -> None:
    answers = [httpx.get(base + "/search", params=params, timeout=30) for base in replicas]
    assert [r.status_code for r in answers] == [200, 200], [r.text for r in answers]
    first, second = (r.json() for r in answers)
    assert first["results"], params
    assert first == second  # same ranking, scores, evidence: nothing per-process leaks into the answer


def test_replicas_answer_sparql_alike(replicas: list[str]) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answers = [httpx.get(base + "/sparql", params={"query": q}, headers={"Accept": "text/csv"}, timeout=30)
               for base in replicas]
    assert [r.status_code for r in answers] == [200, 200]
    assert answers[0].text == answers[1].text

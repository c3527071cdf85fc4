"""The one launcher of real `python -m service serve` processes (benchmarks and tests), and the statistics
helpers of the benchmarks."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from benchmarks.common import (
    LeanClient,
    ResponseReader,
    free_port,
    http_closed_loop,
    interleave,
    launch,
    quantile,
    serve,
    summary_ms,
    wait_ready,
)


def test_quantiles_interpolate_and_summaries_are_milliseconds() -> None:
    assert quantile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert quantile([], 0.5) != quantile([], 0.5)  # NaN for no values
    summary = summary_ms([0.001, 0.002, 0.003])
    assert (summary["n"], summary["p50_ms"], summary["min_ms"]) == (3, 2.0, 1.0)


def test_free_port_can_be_bound() -> None:
    import socket

    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_a_server_that_cannot_start_is_reported_with_its_log(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "server.log"
    proc, _base = launch(tmp_path / "build", log, {"STRATEGIGRAF_INDEX_KIND": "ivf"})
    with pytest.raises(RuntimeError, match=r"(?s)server exited with [1-9].*index_kind must be auto, flat or hnsw"):
        wait_ready(proc, _base, log, timeout_s=60)
    assert proc.returncode not in (None, 0)


def test_serve_runs_a_real_server_for_the_block_and_stops_it(build_dir: Path) -> None:
    with serve(build_dir, ready_timeout_s=120) as server:
        assert httpx.get(server.base + "/health", timeout=10).status_code == 200
        assert server.proc.poll() is None and server.log.is_file()
        # the lean client and closed loop of the search benchmark, against the real server
        lean = LeanClient(server.base)
        status, body = lean.get("/search?q=netv%C3%A6rk&k=2")
        assert status == 200 and body == httpx.get(server.base + "/search?q=netv%C3%A6rk&k=2", timeout=30).content
        assert lean.get("/no-such-page")[0] == 404
        lean.close()
        assert lean.get("/search?q=netv%C3%A6rk&k=2")[0] == 200  # reconnects
        lean.close()
        paths = [f"/search?q=netv%C3%A6rk&k={k}" for k in range(1, 101)] + ["/no-such-page"] * 5000
        loop = http_closed_loop(server.base, 3, 0.5, paths)
        assert loop["requests"] >= 3 and loop["latency"]["n"] == loop["requests"]
        assert loop["errors"] == max(0, loop["requests"] - 100)  # every 404 counted, no 200 counted
    assert server.proc.poll() is not None
    assert not server.log.exists()  # kept only when start-up or the block failed


def test_response_reader_splits_pipelined_answers_from_any_chunks() -> None:
    wire = (b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-type: text/plain\r\n\r\nhello"
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n{}\n")
    for size in (1, 2, 7, len(wire)):
        reader = ResponseReader()
        answers = []
        for start in range(0, len(wire), size):
            answers += reader.feed(wire[start:start + size])
        assert answers == [(200, b"hello"), (404, b""), (200, b"{}\n")]
    with pytest.raises(ValueError, match="Content-Length"):
        ResponseReader().feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")


def test_every_query_goes_through_every_step_in_a_shuffled_order() -> None:
    calls: list[tuple[str, str]] = []

    def step(name: str, took: float):  # type: ignore[no-untyped-def]
        def run(q: str) -> float:
            calls.append((name, q))
            return took
        return run

    out = interleave(["a", "b", "c", "d"], {"x": step("x", 1.0), "y": step("y", 2.0), "z": step("z", 3.0)},
                     gap_s=0.0, seed=1)
    assert out == {"x": [1.0] * 4, "y": [2.0] * 4, "z": [3.0] * 4}
    assert sorted(calls) == sorted((n, q) for n in "xyz" for q in "abcd")
    firsts = {calls[3 * i][0] for i in range(4)}
    assert len(firsts) > 1  # not one fixed order

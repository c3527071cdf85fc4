"""The single-client search benchmark against a real server: the three series interleaved query by query and
the target ratios taken per round, their median reported."""

from __future__ import annotations

import statistics

import pytest

from benchmarks.bench_search import single_client

pytestmark = pytest.mark.model


def test_single_client_reports_each_round_and_the_median_over_them(live_server: str) -> None:
    queries = [f"netværk og pårørende {i}" for i in range(7)]
    r = single_client(live_server, queries, gap_s=0.0, rounds=3)
    assert r["errors"] == 0
    assert r["floor"]["n"] == r["search"]["n"] == r["ours_alone"]["n"] == len(queries)
    assert [x["n"] for x in r["rounds"]] == [3, 3, 1]  # consecutive rounds, the last one shorter
    for x in r["rounds"]:
        assert x["ratio_p50"] == pytest.approx(x["search_p50_ms"] / x["floor_p50_ms"], rel=1e-2)
    assert r["ratio_p50"] == pytest.approx(statistics.median(x["ratio_p50"] for x in r["rounds"]))
    assert r["ratio_p99"] == pytest.approx(statistics.median(x["ratio_p99"] for x in r["rounds"]))
    assert r["all_ratio_p50"] == pytest.approx(r["search"]["p50_ms"] / r["floor"]["p50_ms"], rel=1e-2)

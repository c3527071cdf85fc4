"""The command line (service/cli.py, console script `strategigraf`) on the real build of the bundled corpora:
what it reads from the service's settings, and each read-only command's output (stats, search, eval, overlaps,
compare, topics). Commands that change things have their own aspects: test_cli_add.py (`add`, `preview`),
test_cli_ingest.py (`ingest`), test_cli_publish.py (`publish`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.settings import get_settings

S14, S19, S24, FAXE = "slagelse-2014", "slagelse-2019", "slagelse-2024-2030", "faxe-strategi"


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


def test_stats_prints_counts_per_class_and_document(build_dir: Path) -> None:
    result = CliRunner().invoke(app, ["stats", "--json", "--build", str(build_dir)])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts["per_class"]["Principle"] == 13
    assert counts["per_document"][S24]["Track"] == 8


def test_cli_eval_takes_several_query_sets(build_dir: Path, dev_queries: Path, dev_questions: Path,
                                           tmp_path: Path) -> None:
    out_json, out_md = tmp_path / "eval.json", tmp_path / "eval.md"
    result = CliRunner().invoke(app, ["eval", "--build", str(build_dir), "--queries", str(dev_questions),
                                      "--queries", str(dev_queries), "--output", str(out_json),
                                      "--markdown", str(out_md)])
    assert result.exit_code == 0, result.output
    sets = json.loads(out_json.read_text(encoding="utf-8"))["sets"]
    assert [Path(s["queries"]).name for s in sets] == ["dev_questions.json", "dev_queries.json"]
    assert "questions" in sets[0] and sets[1]["modes"]["hybrid"]["ndcg@10"] is not None
    text = out_md.read_text(encoding="utf-8")
    assert text.count("## Query set") == 2 and "--queries" in text


def test_cli_overlaps_json_and_matrix(build_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["overlaps", "--build", str(build_dir), "-a", S24, "-b", FAXE, "--json",
                                 "--min-score", "0.7"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["pairs"] and all(p["score"] >= 0.7 for p in body["pairs"])
    image = tmp_path / "heat.svg"
    result = runner.invoke(app, ["overlaps", "--build", str(build_dir), "-a", S24, "-b", FAXE, "--matrix",
                                 "-o", str(image), "--json"])
    assert result.exit_code == 0, result.output
    assert image.read_bytes().startswith(b"<?xml")
    assert len(json.loads(result.stdout)["rows"]) == 8


def test_cli_compare_json(build_dir: Path) -> None:
    result = CliRunner().invoke(app, ["compare", S19, S24, "--build", str(build_dir), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["from"]["id"] == S19 and body["carried_over"]


def test_cli_compare_prints_the_note_of_a_reversed_request(build_dir: Path) -> None:
    result = CliRunner().invoke(app, ["compare", S24, S19, "--build", str(build_dir)])
    assert result.exit_code == 0, result.output
    assert "baglæns i tid" in " ".join(result.output.split())


def test_cli_topics_json(build_dir: Path) -> None:
    result = CliRunner().invoke(app, ["topics", "netvaerk-og-paaroerende", "--build", str(build_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["topic"]["id"] == "netvaerk-og-paaroerende"

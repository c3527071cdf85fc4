"""`strategigraf ingest` (service/cli.py) as a separate process (``python -m service``): a bad input of any kind
is one clear error line naming the file at fault, an exit code for its kind, and the previous build stays live.
The build itself is tested in tests/ingest/test_build.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.build import BuildOptions, current_generation, run_build


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "COLUMNS": "200"})


def _xlsx() -> bytes:
    """A minimal spreadsheet (a ZIP with xl/workbook.xml) saved under a text file's name."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


BAD_INPUTS = {
    "missing": lambda d: (d / "slagelse-2019-politiske-pejlemaerker.txt").unlink(),
    "empty": lambda d: (d / "slagelse-2019-politiske-pejlemaerker.txt").write_text(""),
    "binary": lambda d: (d / "slagelse-2019-politiske-pejlemaerker.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50),
    "unknown-kind": lambda d: (d / "manifest.toml").write_text(
        (d / "manifest.toml").read_text().replace('kind = "political-bearings"', 'kind = "powerpoint"')),
    "missing-field": lambda d: (d / "manifest.toml").write_text(
        (d / "manifest.toml").read_text().replace('committee = "Udvalget for Specialiserede Borgerindsatser"\n', "")),
    "spreadsheet": lambda d: (d / "slagelse-2024-2030-politisk-strategi.txt").write_bytes(_xlsx()),
}


@pytest.fixture(scope="module")
def template_build(tmp_path_factory: pytest.TempPathFactory, corpora_dir: Path, build_dir: Path) -> Path:
    """One good build, copied by each bad-input case as its 'previous build'."""
    build = tmp_path_factory.mktemp("template") / "build"
    run_build(BuildOptions(corpora_dir=corpora_dir, build_dir=build, cache_dir=build_dir / "cache"))
    return build


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_one_clear_error_and_keeps_previous_build(case: str, scratch_corpus: Path,
                                                                   tmp_path: Path, template_build: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(template_build, build, symlinks=True)
    live = current_generation(build)
    assert live is not None
    before = (live / "manifest.json").read_bytes()
    BAD_INPUTS[case](scratch_corpus)
    proc = _cli("ingest", "--quiet", "--corpora", str(scratch_corpus), "--build", str(build), cwd=tmp_path)
    assert proc.returncode not in (0, 1), proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    expected_file = "manifest.toml" if case in ("unknown-kind", "missing-field") else ".txt"
    assert expected_file in errors[0]
    assert current_generation(build) == live
    assert (live / "manifest.json").read_bytes() == before


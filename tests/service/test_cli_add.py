"""`strategigraf add` and `preview` as a user runs them (a subprocess): every bad file of issue 12 point 6 gets one
line naming the file and the reason, a documented exit code, and corpora/ + the manifest stay byte for byte as
they were; a `kill -9` at any moment of an add leaves the document wholly in or wholly out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.add import JOURNAL, corpus_fingerprint, recover
from ingest.build import BuildOptions, current_generation, run_build
from ingest.manifest import load_manifest
from tests import servers

DATA = Path(__file__).resolve().parents[1] / "data"
READ = DATA / "read"
KOLDING = DATA / "add" / "kolding-socialpsykiatri.md"


def _cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", **(env or {})}, timeout=300)


def _error_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The one error line (progress lines may precede it; never a traceback)."""
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


BAD_FILES = [
    (READ / "pdf" / "krypteret.pdf", 4, "encrypted with a password"),
    (READ / "pdf" / "scannet.pdf", 4, "OCR is not available"),
    (READ / "pdf" / "ugyldig.pdf", 4, "damaged or truncated"),
    (READ / "pdf" / "afkortet.pdf", 4, "damaged or truncated"),
    (READ / "docx" / "bad" / "truncated.docx", 4, "truncated or corrupt DOCX"),
    (READ / "docx" / "bad" / "damaged-part.docx", 4, "not well-formed XML"),
    (READ / "docx" / "bad" / "zip-bomb.docx", 4, "zip bomb"),
    (READ / "docx" / "bad" / "zip-bomb-many-parts.docx", 4, "zip bomb"),
    (READ / "docx" / "bad" / "xxe.docx", 4, "entity"),
    (READ / "docx" / "bad" / "billion-laughs.docx", 4, "entity"),
    (READ / "html" / "bad" / "xxe.xhtml", 4, "entity"),
    (READ / "html" / "bad" / "billion-laughs.html", 4, "entity"),
    (READ / "docx" / "bad" / "budget.xlsx", 4, "xlsx is not supported"),
    (READ / "docx" / "bad" / "renamed-executable.docx", 4, "executable is not a supported format"),
]


@pytest.mark.parametrize(("path", "code", "reason"), BAD_FILES, ids=[p.name for p, _, _ in BAD_FILES])
def test_bad_file_is_refused_in_one_line_and_nothing_changes(path: Path, code: int, reason: str,
                                                            scratch_corpus: Path, tmp_path: Path) -> None:
    before = corpus_fingerprint(scratch_corpus)
    proc = _cli("add", path, "--corpora", scratch_corpus, "--build", tmp_path / "build")
    assert proc.returncode == code, proc.stderr
    line = _error_line(proc)
    assert str(path) in line and reason in line
    assert corpus_fingerprint(scratch_corpus) == before
    assert current_generation(tmp_path / "build") is None
    preview = _cli("preview", path)
    assert preview.returncode == code and reason in _error_line(preview)


def test_a_real_executable_named_pdf_is_refused(scratch_corpus: Path, tmp_path: Path) -> None:
    true = shutil.which("true")
    assert true is not None
    fake = tmp_path / "vedtaegt-strategi.pdf"
    shutil.copyfile(true, fake)
    before = corpus_fingerprint(scratch_corpus)
    proc = _cli("add", fake, "--corpora", scratch_corpus, "--no-build")
    assert proc.returncode == 4
    assert "vedtaegt-strategi.pdf: an ELF executable is not a supported format" in _error_line(proc)
    assert corpus_fingerprint(scratch_corpus) == before


def test_empty_and_missing_files(scratch_corpus: Path, tmp_path: Path) -> None:
    before = corpus_fingerprint(scratch_corpus)
    empty = tmp_path / "tom.md"
    empty.write_bytes(b"")
    proc = _cli("add", empty, "--corpora", scratch_corpus, "--no-build")
    assert proc.returncode == 4 and "tom.md: the file is empty" in _error_line(proc)
    proc = _cli("add", tmp_path / "findes-ikke.pdf", "--corpora", scratch_corpus, "--no-build")
    assert proc.returncode == 4 and "findes-ikke.pdf: cannot read the file" in _error_line(proc)
    assert corpus_fingerprint(scratch_corpus) == before


def test_file_over_the_size_limit_by_flag_and_by_environment(scratch_corpus: Path) -> None:
    before = corpus_fingerprint(scratch_corpus)
    proc = _cli("add", KOLDING, "--corpora", scratch_corpus, "--no-build", "--max-bytes", "1000")
    assert proc.returncode == 4
    assert "over the size limit" in _error_line(proc) and "(1000 bytes)" in _error_line(proc)
    proc = _cli("add", KOLDING, "--corpora", scratch_corpus, "--no-build",
                env={"STRATEGIGRAF_MAX_UPLOAD_BYTES": "1500"})
    assert proc.returncode == 4 and "(1500 bytes)" in _error_line(proc)
    assert corpus_fingerprint(scratch_corpus) == before


def test_same_file_twice_exits_8_naming_the_existing_entry(scratch_corpus: Path) -> None:
    first = _cli("add", KOLDING, "--corpora", scratch_corpus, "--no-build", "-q")
    assert first.returncode == 0, first.stderr
    assert "added kolding-2025-politik-for-socialpsykiatri-og-udsatte" in " ".join(first.stdout.split())
    before = corpus_fingerprint(scratch_corpus)
    again = _cli("add", KOLDING, "--corpora", scratch_corpus, "--no-build", "-q")
    assert again.returncode == 8
    line = _error_line(again)
    assert str(KOLDING) in line and "'kolding-2025-politik-for-socialpsykiatri-og-udsatte'" in line
    bundled = _cli("add", scratch_corpus / "slagelse-2014-strategi.txt", "--corpora", scratch_corpus, "--no-build")
    assert bundled.returncode == 8 and "as document 'slagelse-2014'" in _error_line(bundled)
    assert corpus_fingerprint(scratch_corpus) == before


def test_unknown_municipality_exits_9_and_a_broken_manifest_exits_3(scratch_corpus: Path, tmp_path: Path) -> None:
    before = corpus_fingerprint(scratch_corpus)
    proc = _cli("add", KOLDING, "--corpora", scratch_corpus, "--no-build", "--municipality", "atlantis")
    assert proc.returncode == 9 and "unknown municipality 'atlantis'" in _error_line(proc)
    assert corpus_fingerprint(scratch_corpus) == before
    (scratch_corpus / "manifest.toml").write_text("[[document]\nid = ", encoding="utf-8")
    broken = corpus_fingerprint(scratch_corpus)
    proc = _cli("add", KOLDING, "--corpora", scratch_corpus, "--no-build")
    assert proc.returncode == 3 and "manifest.toml: not valid TOML" in _error_line(proc)
    assert corpus_fingerprint(scratch_corpus) == broken


def test_unstructured_text_is_added_with_one_warning(scratch_corpus: Path) -> None:
    proc = _cli("add", DATA / "add" / "vejle-notat.txt", "--corpora", scratch_corpus, "--no-build", "-q")
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "vejle-notat.txt" in warnings[0] and "no strategy structure" in warnings[0]
    assert any(d.municipality == "vejle" for d in load_manifest(scratch_corpus).documents)


def test_preview_json_and_tree_change_nothing(scratch_corpus: Path) -> None:
    before = corpus_fingerprint(scratch_corpus)
    proc = _cli("preview", DATA / "add" / "norddjurs-bostoette.pdf", "--json", "--corpora", scratch_corpus)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["format"] == "pdf" and payload["pages"] == 2
    assert payload["metadata"]["municipality"]["value"] == "norddjurs"
    assert "Norddjurs Kommune" in payload["metadata"]["municipality"]["evidence"]
    counts = payload["counts"]
    assert counts["Section"] == 4 and counts["Passage"] == 4
    assert counts.get("Statement", 0) + counts.get("Activity", 0) == 5  # the five bullets after "Det gør vi:"
    table = _cli("preview", KOLDING, "--corpora", scratch_corpus)
    assert table.returncode == 0
    for expected in ("FocusArea", "Et sted at bo", "Nodes per class", "kolding",
                     "Social- og Sundhedsudvalget", "cover line naming the kind of document"):
        assert expected in table.stdout
    assert corpus_fingerprint(scratch_corpus) == before


def test_help_documents_the_exit_codes() -> None:
    proc = _cli("add", "--help")
    for code in ("3 manifest", "4 source file", "8 duplicate", "9 metadata"):
        assert code in proc.stdout


# --- kill -9 -----------------------------------------------------------------------------------------------

def _kill_at(point: str, corpus: Path, tmp_path: Path, cache: Path) -> None:
    servers.kill_at_fault_point(["add", str(KOLDING), "--quiet", "--corpora", str(corpus), "--build",
                                 str(tmp_path / "build")], point, tmp_path / f"reached-{point}", cache)


@pytest.mark.parametrize(("point", "added"), [
    ("add-copy", False),        # half the original written to a temporary file
    ("add-copied", False),      # the original renamed into corpora/, the manifest not yet written
    ("add-manifest", False),    # the new manifest half written to a temporary file
    ("add-committed", True),    # the manifest renamed: the document is in, the build not started
    ("parse", True),            # inside the build
    ("embed", True),
])
def test_kill_9_during_add_leaves_the_document_wholly_in_or_out(point: str, added: bool, scratch_corpus: Path,
                                                               tmp_path: Path, build_dir: Path) -> None:
    cache = build_dir / "cache"
    live = None
    if point in ("parse", "embed"):
        live = run_build(BuildOptions(corpora_dir=scratch_corpus, build_dir=tmp_path / "build",
                                      cache_dir=cache)).path
    original = corpus_fingerprint(scratch_corpus)
    manifest_before = (scratch_corpus / "manifest.toml").read_bytes()
    _kill_at(point, scratch_corpus, tmp_path, cache)

    manifest = load_manifest(scratch_corpus)  # parses, whatever the moment of the kill
    entries = [d for d in manifest.documents if d.sha256 is not None]
    files = {p.name for p in scratch_corpus.iterdir() if not p.name.startswith(".")}
    if added:
        (entry,) = entries
        assert (scratch_corpus / entry.file).read_bytes() == KOLDING.read_bytes()
    else:
        assert entries == [] and (scratch_corpus / "manifest.toml").read_bytes() == manifest_before
        assert files - set(original) <= {"kolding-2025-politik-for-socialpsykiatri-og-udsatte.md"}
    assert (scratch_corpus / JOURNAL).is_file()
    assert current_generation(tmp_path / "build") == live

    # The next add (or recover) finishes what the killed one left: the corpus is exactly as before.
    assert recover(scratch_corpus) == "kolding-2025-politik-for-socialpsykiatri-og-udsatte"
    assert corpus_fingerprint(scratch_corpus) == original


def test_the_add_after_a_killed_one_cleans_up_and_succeeds(scratch_corpus: Path, tmp_path: Path,
                                                          build_dir: Path) -> None:
    original = corpus_fingerprint(scratch_corpus)
    _kill_at("add-copied", scratch_corpus, tmp_path, build_dir / "cache")
    assert corpus_fingerprint(scratch_corpus) != original
    proc = _cli("add", KOLDING, "--corpora", scratch_corpus, "--no-build")
    assert proc.returncode == 0, proc.stderr
    assert "taken out again" in proc.stderr
    after = corpus_fingerprint(scratch_corpus)
    assert set(after) - set(original) == {"kolding-2025-politik-for-socialpsykiatri-og-udsatte.md"}
    assert not any(name.startswith(".") for name in after)


def test_recovery_keeps_a_manifest_edited_after_the_kill(scratch_corpus: Path, tmp_path: Path,
                                                         build_dir: Path) -> None:
    _kill_at("add-committed", scratch_corpus, tmp_path, build_dir / "cache")
    manifest = scratch_corpus / "manifest.toml"
    edited = manifest.read_text(encoding="utf-8").replace(
        'title = "Politik for socialpsykiatri og udsatte 2025–2028"', 'title = "Socialpsykiatripolitik 2025–2028"')
    manifest.write_text(edited, encoding="utf-8")
    assert recover(scratch_corpus) is None  # someone kept the document: their manifest and the file stay
    assert manifest.read_text(encoding="utf-8") == edited
    assert not (scratch_corpus / JOURNAL).exists()
    entry = load_manifest(scratch_corpus).documents[-1]
    assert entry.title == "Socialpsykiatripolitik 2025–2028"
    assert (scratch_corpus / entry.file).read_bytes() == KOLDING.read_bytes()

"""The corpus manifest and reading source texts: every bad input is one clear error naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import ManifestError, SourceError
from ingest.manifest import load_manifest, read_source
from ingest.parse import LAYOUTS


def test_bundled_manifest_describes_all_five_texts(corpora_dir: Path) -> None:
    manifest = load_manifest(corpora_dir, layouts=frozenset(LAYOUTS))
    assert [d.id for d in manifest.documents] == [
        "slagelse-2024-2030", "faxe-strategi", "slagelse-2014", "slagelse-2015-opfoelgning", "slagelse-2019"]
    for doc in manifest.documents:
        assert (corpora_dir / doc.file).is_file()
    assert manifest.document("slagelse-2015-opfoelgning").relations["follows_up"] == ("slagelse-2014",)
    assert manifest.document("slagelse-2024-2030").relations["carries_forward"] == ("slagelse-2019",)
    assert manifest.document("slagelse-2024-2030").date == "2024-04-22"


def test_corpora_are_the_seed_texts_byte_for_byte(corpora_dir: Path) -> None:
    seeds = corpora_dir.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.fail(f"seed folder missing: {seeds}")
    seed_bytes = sorted(p.read_bytes() for p in seeds.glob("*.txt"))
    corpus_bytes = sorted(p.read_bytes() for p in corpora_dir.glob("*.txt"))
    assert seed_bytes == corpus_bytes


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "a.txt").write_text("# Titel\n", encoding="utf-8")
    path = tmp_path / "manifest.toml"
    path.write_text('[municipality.x]\nname = "X Kommune"\n\n' + body, encoding="utf-8")
    return path


ENTRY = ('[[document]]\nid = "x-1"\nfile = "a.txt"\nmunicipality = "x"\ntitle = "T"\nkind = "strategy"\n'
         'year = 2020\ncommittee = "Udvalg"\nlayout = "{layout}"\n')


def test_unknown_layout_names_manifest_line_and_known_layouts(tmp_path: Path) -> None:
    path = _write(tmp_path, "\n" + ENTRY.format(layout="comic-strip"))
    with pytest.raises(ManifestError) as info:
        load_manifest(path, layouts=frozenset(LAYOUTS))
    msg = str(info.value)
    assert f"{path}:5" in msg and "comic-strip" in msg and "markdown-tracks" in msg


def test_missing_field_is_named(tmp_path: Path) -> None:
    body = ENTRY.format(layout="markdown-tracks").replace('committee = "Udvalg"\n', "")
    with pytest.raises(ManifestError, match="lacks field.*committee"):
        load_manifest(_write(tmp_path, body))


def test_relation_to_unknown_document_is_refused(tmp_path: Path) -> None:
    body = ENTRY.format(layout="markdown-tracks") + 'follows_up = ["nowhere"]\n'
    with pytest.raises(ManifestError, match="unknown document 'nowhere'"):
        load_manifest(_write(tmp_path, body))


def test_missing_source_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found") as info:
        read_source(tmp_path / "absent.txt")
    assert "absent.txt" in str(info.value)


def test_empty_source_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(SourceError, match="empty"):
        read_source(path)


def test_binary_source_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SourceError, match="binary"):
        read_source(path)


def test_windows_1252_is_detected_and_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cp.txt"
    path.write_bytes("Vi styrker pårørendeinddragelse – også i Økonomi".encode("cp1252"))
    source = read_source(path)
    assert source.encoding == "cp1252"
    assert "pårørendeinddragelse – også i Økonomi" in source.text

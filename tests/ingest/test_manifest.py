"""The corpus manifest and reading source texts: every bad input is one clear error naming the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.errors import ManifestError, SourceError
from ingest.manifest import load_manifest, read_source

SEED_SHA256 = {
    "slagelse-2024-2030-politisk-strategi.txt": "2231767b98ce0cea2ae8902579d5648beff2c4c99da8584c554643563c5552f9",
    "faxe-strategi-voksensocialomraadet.txt": "1cd13282429c0fdb150d48f616b2e0072ce55c807e90abcd5aecd6e0fd7b0de7",
    "slagelse-2014-strategi.txt": "969bd63baef84279cb70837dbb59332d14b34362c6be1b36112bf430f31f9de8",
    "slagelse-2015-opfoelgning-udviklingsaftale-2014.txt":
        "bd7ea3a74cc22a41988a3392bcf6a5b06202b2210565cc5d97e5197c31ba0371",
    "slagelse-2019-politiske-pejlemaerker.txt": "60fd8f548a24411babb2264dd6909fdea757cf2747a265fd7551bed78625a2ca",
}
"""SHA-256 of the five seed texts as they were handed over."""


def test_bundled_manifest_describes_all_five_texts(corpora_dir: Path) -> None:
    manifest = load_manifest(corpora_dir)
    assert [d.id for d in manifest.documents] == [
        "slagelse-2024-2030", "faxe-strategi", "slagelse-2014", "slagelse-2015-opfoelgning", "slagelse-2019"]
    for doc in manifest.documents:
        assert (corpora_dir / doc.file).is_file()
    assert manifest.document("slagelse-2015-opfoelgning").relations["follows_up"] == ("slagelse-2014",)
    assert manifest.document("slagelse-2024-2030").relations["carries_forward"] == ("slagelse-2019",)
    assert manifest.document("slagelse-2024-2030").date == "2024-04-22"
    assert "layout =" not in (corpora_dir / "manifest.toml").read_text(encoding="utf-8")


def test_corpora_are_the_seed_texts_byte_for_byte(corpora_dir: Path) -> None:
    corpus = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpora_dir.glob("*.txt")}
    assert corpus == SEED_SHA256


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "a.txt").write_text("# Titel\n", encoding="utf-8")
    path = tmp_path / "manifest.toml"
    path.write_text('[municipality.x]\nname = "X Kommune"\n\n' + body, encoding="utf-8")
    return path


ENTRY = ('[[document]]\nid = "x-1"\nfile = "a.txt"\nmunicipality = "x"\ntitle = "T"\nkind = "strategy"\n'
         'year = 2020\ncommittee = "Udvalg"\n')


def test_layout_of_an_older_manifest_is_accepted_and_ignored(tmp_path: Path) -> None:
    manifest = load_manifest(_write(tmp_path, ENTRY + 'layout = "comic-strip"\n'))
    assert manifest.document("x-1").title == "T" and not hasattr(manifest.document("x-1"), "layout")


def test_unknown_kind_names_manifest_line_and_known_kinds(tmp_path: Path) -> None:
    path = _write(tmp_path, "\n" + ENTRY.replace('kind = "strategy"', 'kind = "comic-strip"'))
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    msg = str(info.value)
    assert f"{path}:5" in msg and "comic-strip" in msg and "follow-up-report" in msg


def test_missing_field_is_named(tmp_path: Path) -> None:
    body = ENTRY.replace('committee = "Udvalg"\n', "")
    with pytest.raises(ManifestError, match="lacks field.*committee"):
        load_manifest(_write(tmp_path, body))


def test_relation_to_unknown_document_is_refused(tmp_path: Path) -> None:
    body = ENTRY + 'follows_up = ["nowhere"]\n'
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


def test_an_entry_written_as_toml_reads_back_as_the_same_entry(tmp_path: Path) -> None:
    from dataclasses import replace

    from ingest.manifest import DocumentEntry, entry_toml

    entry = DocumentEntry(id="x-2", file="a.md", municipality="x", title='Politik "for" alle 2025–2028',
                          kind="policy", year=2025, committee="Udvalg", sha256="ab" * 32, format="markdown",
                          period="2025-2028", date="2025-03-12", relations={"follows_up": ("x-1",)}, source="tilføjet")
    manifest = load_manifest(_write(tmp_path, ENTRY + "\n" + entry_toml(entry)))
    assert replace(manifest.document("x-2"), line=None) == entry


@pytest.mark.parametrize(("change", "expected"), [
    (('year = 2020', 'year = "tyve"'), r"document x-1: field year: .*'tyve'"),
    (('id = "x-1"', 'id = "X 1"'), r"document X 1: field id: id 'X 1' must be lower-case"),
    (('committee = "Udvalg"', 'comittee = "Udvalg"'), r"lacks field\(s\): committee; field comittee is not a "
                                                      r"manifest field"),
    (('title = "T"', 'title = ""'), r"document x-1: lacks field\(s\): title"),
    (('year = 2020', 'year = 2020\nfollows_up = "x-0"'), r"document x-1: field follows_up: .*list"),
])
def test_a_bad_entry_names_file_line_entry_and_field(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    path = _write(tmp_path, ENTRY.replace(*change))
    with pytest.raises(ManifestError, match=expected) as info:
        load_manifest(path)
    assert str(info.value).startswith(f"{path}:4: ")
    assert "\n" not in str(info.value)  # one line: the command line prints it as one error


def test_an_entry_without_id_is_named_by_its_position(tmp_path: Path) -> None:
    path = _write(tmp_path, ENTRY + "\n" + ENTRY.replace('id = "x-1"\n', ""))
    with pytest.raises(ManifestError, match=r":13: document entry 2: lacks field\(s\): id"):
        load_manifest(path)


def test_a_toml_date_and_an_upper_case_sha256_are_read_as_text(tmp_path: Path) -> None:
    entry = load_manifest(_write(tmp_path, ENTRY + f'date = 2024-04-22\nsha256 = "{"AB" * 32}"\n')).document("x-1")
    assert (entry.date, entry.sha256) == ("2024-04-22", "ab" * 32)


def test_a_bad_municipality_table_is_named(tmp_path: Path) -> None:
    path = tmp_path / "manifest.toml"
    path.write_text('[municipality.x]\nname = "X Kommune"\nkode = "1"\n\n' + ENTRY, encoding="utf-8")
    with pytest.raises(ManifestError, match="municipality x: field kode is not a manifest field"):
        load_manifest(path)


def test_duplicate_ids_are_refused_at_the_second_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, ENTRY + "\n" + ENTRY)
    with pytest.raises(ManifestError, match=r":13: duplicate id 'x-1'"):
        load_manifest(path)


def test_every_entry_field_is_described() -> None:
    from ingest.manifest import ManifestEntry, MunicipalityTable

    for model in (ManifestEntry, MunicipalityTable):
        assert all(field.description for field in model.model_fields.values()), model.__name__

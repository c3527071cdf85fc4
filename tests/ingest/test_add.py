"""Adding an original document: preview changes nothing, add copies and writes the entry, builds, and a refused
file or a failed build leaves corpora/, the manifest and the live build as they were (on a copy of corpora/)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ingest.add import add_document, corpus_fingerprint, derive_id, preview
from ingest.build import BuildOptions, current_generation, load_records
from ingest.errors import DuplicateDocumentError, IngestError, MetadataError
from ingest.manifest import load_manifest
from service.generation import load_generation
from service.search import SearchParams, search

DATA = Path(__file__).resolve().parents[1] / "data"
KOLDING = DATA / "add" / "kolding-socialpsykiatri.md"
NORDDJURS = DATA / "add" / "norddjurs-bostoette.pdf"
VEJLE = DATA / "add" / "vejle-notat.txt"


def _options(corpus: Path, tmp_path: Path, build_dir: Path, **extra: object) -> BuildOptions:
    """A build of the scratch corpus that shares the session build's caches (no text is embedded twice)."""
    return BuildOptions(corpora_dir=corpus, build_dir=tmp_path / "build", cache_dir=build_dir / "cache",
                        **extra)  # type: ignore[arg-type]


def test_preview_reads_and_infers_without_changing_anything(scratch_corpus: Path) -> None:
    before = corpus_fingerprint(scratch_corpus)
    seen = preview(NORDDJURS, corpora_dir=scratch_corpus)
    assert seen.format == "pdf" and seen.pages == 2
    assert seen.metadata.municipality.value == "norddjurs"
    assert seen.metadata.committee.value == "Social- og Arbejdsmarkedsudvalget"
    assert seen.counts.get("Statement", 0) + seen.counts.get("Activity", 0) == 5  # bullets after "Det gør vi:"
    payload = seen.as_dict()
    assert payload["metadata"]["year"] == {"value": 2026, "evidence": payload["metadata"]["year"]["evidence"],
                                           "source": "title"}
    assert [n["class"] for n in payload["tree"]][:1] == ["Section"]
    assert corpus_fingerprint(scratch_corpus) == before


def test_markdown_added_with_no_flags_is_built_and_searchable(scratch_corpus: Path, tmp_path: Path,
                                                              build_dir: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    result = add_document(KOLDING, scratch_corpus, build=_options(scratch_corpus, tmp_path, build_dir))
    entry = result.entry
    assert entry.id == "kolding-2025-politik-for-socialpsykiatri-og-udsatte"
    assert (scratch_corpus / entry.file).read_bytes() == KOLDING.read_bytes()
    raw = tomllib.loads((scratch_corpus / "manifest.toml").read_text(encoding="utf-8"))["document"][-1]
    assert raw == {"id": entry.id, "file": entry.file, "municipality": "kolding",
                   "title": "Politik for socialpsykiatri og udsatte 2025–2028", "kind": "policy", "year": 2025,
                   "period": "2025-2028", "committee": "Social- og Sundhedsudvalget", "date": "2025-03-12",
                   "format": "markdown", "sha256": result.preview.sha256,
                   "source": "added with strategigraf add from kolding-socialpsykiatri.md"}
    assert not (scratch_corpus / ".add-journal.json").exists()
    assert result.build is not None and current_generation(tmp_path / "build") == result.build.path
    gen = load_generation(result.build.path, embedder)
    hits = search(gen, SearchParams(q="skæve boliger og Housing First", k=5, municipality="kolding")).results
    assert hits and hits[0].document.id == entry.id
    assert "skæve boliger" in " ".join(h.text for h in hits)
    assert hits[0].document.municipality == "kolding"


def test_pdf_added_keeps_its_page_numbers(scratch_corpus: Path, tmp_path: Path, build_dir: Path) -> None:
    result = add_document(NORDDJURS, scratch_corpus, build=_options(scratch_corpus, tmp_path, build_dir))
    assert result.entry.file == "norddjurs-2026-strategi-for-bostoette.pdf"
    assert result.entry.format == "pdf" and result.entry.kind == "strategy"
    assert result.build is not None
    documents, nodes = load_records(result.build.path)
    assert {d.id: d.municipality_name for d in documents}[result.entry.id] == "Norddjurs Kommune"
    pages = {n.text: n.source.page for n in nodes if n.doc == result.entry.id}
    assert pages["Vi laver en skriftlig plan med borgeren inden for fire uger."] == 1
    assert pages["Vi åbner et værested i Grenaa tre aftener om ugen."] == 2


def test_failed_build_takes_the_document_out_and_keeps_the_live_build(scratch_corpus: Path, tmp_path: Path,
                                                                     build_dir: Path) -> None:
    good = add_document(KOLDING, scratch_corpus, build=_options(scratch_corpus, tmp_path, build_dir))
    assert good.build is not None
    before = corpus_fingerprint(scratch_corpus)
    with pytest.raises(IngestError, match="fault injected after stage 'graph'"):
        add_document(NORDDJURS, scratch_corpus,
                     build=_options(scratch_corpus, tmp_path, build_dir, fail_after_stage="graph"))
    assert corpus_fingerprint(scratch_corpus) == before
    assert current_generation(tmp_path / "build") == good.build.path


def test_same_file_twice_is_refused_naming_the_entry(scratch_corpus: Path) -> None:
    first = add_document(KOLDING, scratch_corpus)
    before = corpus_fingerprint(scratch_corpus)
    with pytest.raises(DuplicateDocumentError) as info:
        add_document(KOLDING, scratch_corpus, municipality="aarhus", title="En anden titel")
    assert info.value.existing == first.entry.id and first.entry.id in str(info.value)
    assert info.value.exit_code == 8
    assert corpus_fingerprint(scratch_corpus) == before


def test_a_bundled_text_is_a_duplicate_of_its_entry(scratch_corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pejlemaerker.txt"
    copy.write_bytes((scratch_corpus / "slagelse-2019-politiske-pejlemaerker.txt").read_bytes())
    before = corpus_fingerprint(scratch_corpus)
    with pytest.raises(DuplicateDocumentError, match="already in the corpus as document 'slagelse-2019'"):
        add_document(copy, scratch_corpus)
    assert corpus_fingerprint(scratch_corpus) == before


def test_unstructured_text_ingests_with_a_warning(scratch_corpus: Path) -> None:
    result = add_document(VEJLE, scratch_corpus)
    assert any("no strategy structure" in w for w in result.preview.warnings)
    assert set(result.preview.counts) <= {"Section", "Passage"}
    entry = load_manifest(scratch_corpus).document(result.entry.id)
    assert entry.municipality == "vejle" and entry.year == 2023
    assert entry.committee == "Vejle Kommune"  # no committee named: the municipality published it


def test_missing_municipality_is_refused_with_the_flag_to_pass(scratch_corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "strategi.md"
    path.write_text("# Strategi for bostøtte 2026\n\nEn strategi uden kommunens navn.\n", encoding="utf-8")
    before = corpus_fingerprint(scratch_corpus)
    with pytest.raises(MetadataError, match="--municipality"):
        add_document(path, scratch_corpus)
    with pytest.raises(MetadataError, match="unknown municipality 'atlantis'"):
        add_document(path, scratch_corpus, municipality="atlantis")
    assert corpus_fingerprint(scratch_corpus) == before
    added = add_document(path, scratch_corpus, municipality="hoeje-taastrup", kind="policy")
    assert added.entry.id == "hoeje-taastrup-2026-strategi-for-bostoette"
    manifest = load_manifest(scratch_corpus)
    assert manifest.municipalities["hoeje-taastrup"].name == "Høje-Taastrup Kommune"
    assert manifest.document(added.entry.id).kind == "policy"


def test_flags_override_and_ids_stay_unique(scratch_corpus: Path, tmp_path: Path) -> None:
    assert derive_id("faxe", 2021, "Strategi 2021: for det specialiserede voksensocialområde", set()) == \
        "faxe-2021-strategi-for-det-specialiserede"  # at most 48 characters of title
    one, two = tmp_path / "a.md", tmp_path / "b.md"
    one.write_text("# Handicappolitik\n\nFaxe Kommune\n\nGodkendt 2022.\n", encoding="utf-8")
    two.write_text("# Handicappolitik\n\nFaxe Kommune\n\nGodkendt 2022. Revideret.\n", encoding="utf-8")
    first = add_document(one, scratch_corpus, year=2022)
    second = add_document(two, scratch_corpus, year=2022, title="Handicappolitik", committee="Byrådet")
    assert first.entry.id == "faxe-2022-handicappolitik" and second.entry.id == "faxe-2022-handicappolitik-2"
    assert first.entry.file == "faxe-2022-handicappolitik.md"
    assert load_manifest(scratch_corpus).document(second.entry.id).committee == "Byrådet"


def test_a_status_report_follows_up_the_policy_it_names(scratch_corpus: Path) -> None:
    policy = add_document(KOLDING, scratch_corpus)
    report = add_document(DATA / "add" / "kolding-status-2027.md", scratch_corpus)
    assert report.entry.id == "kolding-2027-status-paa-politik-for-socialpsykiatri"  # cut short, not on "-og"
    assert report.entry.kind == "follow-up-report" and report.entry.year == 2027
    assert report.entry.date == "2027-01"
    entry = load_manifest(scratch_corpus).document(report.entry.id)
    assert entry.relations == {"follows_up": (policy.entry.id,)}

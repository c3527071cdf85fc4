"""The parsed-document cache: a file parsed before by the same code comes back as parsed, an edited file is
parsed again, an unreadable entry is parsed again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.build import parse_corpus
from ingest.document import LoadedDocument, load_document
from ingest.manifest import load_manifest
from ingest.parse_cache import ParsedCache, code_digest, document_key, load_document_cached

FILE = "slagelse-2019-politiske-pejlemaerker.txt"


@pytest.fixture
def cache(tmp_path: Path) -> ParsedCache:
    return ParsedCache(tmp_path / "parsed.sqlite")


def _same(a: LoadedDocument, b: LoadedDocument) -> None:
    assert (a.source, a.parsed, a.format, a.page_starts) == (b.source, b.parsed, b.format, b.page_starts)


def test_a_file_parsed_before_comes_back_from_the_cache_as_parsed(corpora_dir: Path, cache: ParsedCache) -> None:
    path = corpora_dir / FILE
    first, cached = load_document_cached(path, cache)
    assert not cached
    again, cached = load_document_cached(path, cache)
    assert cached
    _same(again, load_document(path))
    assert again.parsed.nodes and again.source.sha256 == first.source.sha256


def test_an_edited_file_is_parsed_again(corpora_dir: Path, cache: ParsedCache, tmp_path: Path) -> None:
    path = tmp_path / FILE
    shutil.copy(corpora_dir / FILE, path)
    before, _ = load_document_cached(path, cache)
    path.write_text(path.read_text(encoding="utf-8") + "\n\nEt nyt afsnit om frivillighed og fællesskab.\n",
                    encoding="utf-8")
    after, cached = load_document_cached(path, cache)
    assert not cached
    assert after.source.sha256 != before.source.sha256
    _same(after, load_document(path))


def test_an_unreadable_entry_is_parsed_again(corpora_dir: Path, cache: ParsedCache) -> None:
    path = corpora_dir / FILE
    load_document_cached(path, cache)
    with cache._lock, cache._conn:
        cache._conn.execute("UPDATE parsed SET value = ?", (b"not a pickle",))
    loaded, cached = load_document_cached(path, cache)
    assert not cached
    _same(loaded, load_document(path))


def test_the_key_depends_on_the_bytes_the_name_and_the_code(tmp_path: Path) -> None:
    key = document_key(Path("a.txt"), b"tekst")
    assert key == document_key(Path("other/a.txt"), b"tekst")
    assert key != document_key(Path("a.md"), b"tekst")
    assert key != document_key(Path("a.txt"), b"tekst.")
    assert len(code_digest()) == 32


def test_parse_corpus_with_the_cache_equals_parse_corpus_without(corpora_dir: Path, cache: ParsedCache) -> None:
    manifest = load_manifest(corpora_dir)
    plain = parse_corpus(manifest)
    assert parse_corpus(manifest, cache=cache) == plain
    assert parse_corpus(manifest, cache=cache) == plain  # now every document from the cache

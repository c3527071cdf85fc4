"""ingest/sqlitecache.py: the sqlite3 file behind the build caches, tested through a small cache of its own kind
(the embedding and SHACL caches are tested in tests/ingest/embed/test_cache.py and test_validate.py)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from ingest.errors import BuildError
from ingest.sqlitecache import SqliteCache


class WordCache(SqliteCache):
    """word → count, the smallest cache of the kind."""

    what = "word cache"

    def __init__(self, path: Path) -> None:
        super().__init__(path, "CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, n INTEGER NOT NULL)")

    def put(self, items: dict[str, int]) -> None:
        with self._lock:
            self._conn.executemany("INSERT OR REPLACE INTO words VALUES (?, ?)", items.items())
            self._conn.commit()

    def get(self, words: list[str]) -> dict[str, int]:
        return dict(self._select_in("SELECT word, n FROM words WHERE word IN ({marks})", words))  # type: ignore[arg-type]


def test_lookups_of_more_keys_than_one_statement_takes_find_them_all(tmp_path: Path) -> None:
    words = {f"ord{i}": i for i in range(1_234)}  # more than the chunk of 500 keys per SELECT
    with WordCache(tmp_path / "sub" / "words.sqlite") as cache:  # the folder is made
        cache.put(words)
        assert cache.get([*words, "mangler"]) == words


def test_the_file_is_in_wal_mode_and_readable_by_another_connection_while_open(tmp_path: Path) -> None:
    path = tmp_path / "words.sqlite"
    with WordCache(path) as cache:
        cache.put({"netværk": 3})
        other = sqlite3.connect(path)
        try:
            assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert other.execute("SELECT n FROM words WHERE word = 'netværk'").fetchone() == (3,)
        finally:
            other.close()


def test_one_connection_is_shared_by_threads(tmp_path: Path) -> None:
    with WordCache(tmp_path / "words.sqlite") as cache:
        threads = [threading.Thread(target=cache.put, args=({f"t{i}-{j}": j for j in range(50)},)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(cache.get([f"t{i}-{j}" for i in range(4) for j in range(50)])) == 200


def test_a_file_that_is_no_database_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "words.sqlite"
    path.write_bytes(b"this is not a database, just text " * 100)
    with pytest.raises(BuildError, match="word cache is not a readable sqlite3 database") as caught:
        WordCache(path)
    assert caught.value.file == str(path)


def test_a_closed_cache_refuses_further_use(tmp_path: Path) -> None:
    with WordCache(tmp_path / "words.sqlite") as cache:
        cache.put({"a": 1})
    with pytest.raises(sqlite3.ProgrammingError):
        cache.get(["a"])

"""The sqlite3 file behind the build caches (embeddings, SHACL fingerprints): WAL mode, so any number of
readers (other processes included) read while one writer writes; within a process one connection is shared
under a lock. A file that is not a readable database is refused with a :class:`BuildError` naming it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ingest.errors import BuildError

_CHUNK = 500  # keys per SELECT ... IN (...), well below SQLite's variable limit


class SqliteCache:
    """Base of the caches: the connection, its lock, chunked key lookups, closing."""

    what = "cache"
    """How errors name the file (e.g. "embedding cache")."""

    def __init__(self, path: str | Path, schema: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(schema)
            self._conn.commit()
        except sqlite3.DatabaseError as exc:
            raise BuildError(f"{self.what} is not a readable sqlite3 database ({exc})", file=self.path) from exc

    def _select_in(self, sql: str, keys: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` (with one ``{marks}`` placeholder for ``IN (...)``) for ``keys``, in chunks."""
        with self._lock:
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i : i + _CHUNK]
                yield from self._conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

"""Documents read and recognised by earlier builds, kept beside the embedding cache: a rebuild after editing one
document reads and recognises only that one.

An entry is keyed by sha256 over the file's bytes, its name (formats are also told by the name) and
:func:`code_digest`: the bytes of every source and data file of the ``ingest`` and ``ontology`` packages (the
recogniser takes its node types from the ontology) plus the Python and reader-library versions. Any change to
the code or data that reads or recognises a document, or to anything else in those packages, therefore misses
the cache, and the document is parsed again.

The value is the pickled :class:`~ingest.document.LoadedDocument` minus its reader blocks. The file is written
only by builds that share this cache folder (like the embedding cache, it is as trusted as the build folder
itself); an entry that cannot be read back is parsed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import platform
from functools import cache
from importlib import metadata
from pathlib import Path

import ontology
from ingest.document import LoadedDocument, load_document
from ingest.sqlitecache import SqliteCache

__all__ = ["PARSED_FILE", "ParsedCache", "code_digest", "load_document_cached"]

PARSED_FILE = "parsed.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS parsed (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"
_CODE_SUFFIXES = (".py", ".toml", ".csv", ".json", ".txt", ".ttl")
_READER_PACKAGES = ("pdfplumber", "pdfminer.six", "python-docx", "selectolax", "markdown-it-py", "lxml",
                    "defusedxml", "PyStemmer")


@cache
def code_digest() -> bytes:
    """sha256 over the ``ingest`` and ``ontology`` packages' source and data files (path and bytes, sorted by
    path) and the versions of Python and of the libraries the readers use."""
    roots = (Path(__file__).resolve().parent, Path(ontology.__file__).resolve().parent)
    h = hashlib.sha256(f"python {platform.python_version()}".encode())
    for name in _READER_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"\0{name} {metadata.version(name)}".encode())
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts):
            h.update(b"\0" + f"{root.name}/{path.relative_to(root)}".encode() + b"\0")
            h.update(path.read_bytes())
    return h.digest()


class ParsedCache(SqliteCache):
    """A sqlite3-backed map from a document file's key to its parsed form."""

    what = "parsed-document cache"

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, _SCHEMA)

    def get(self, key: bytes) -> LoadedDocument | None:
        rows = list(self._select_in("SELECT value FROM parsed WHERE key IN ({marks})", [key]))
        if not rows:
            return None
        try:
            loaded = pickle.loads(rows[0][0])
        except Exception:  # noqa: BLE001 - an unreadable entry is parsed again, whatever broke it
            return None
        return loaded if isinstance(loaded, LoadedDocument) else None

    def put(self, key: bytes, loaded: LoadedDocument) -> None:
        blob = pickle.dumps(LoadedDocument(source=loaded.source, parsed=loaded.parsed, format=loaded.format,
                                           page_starts=loaded.page_starts), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock, self._conn:
            self._conn.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?)", (key, blob))


def document_key(path: Path, data: bytes) -> bytes:
    h = hashlib.sha256(code_digest())
    h.update(path.name.encode("utf-8") + b"\0")
    h.update(data)
    return h.digest()


def load_document_cached(path: Path, cache: ParsedCache | None) -> tuple[LoadedDocument, bool]:
    """:func:`~ingest.document.load_document` of ``path``, from ``cache`` when the same file was parsed by the
    same code before; and whether it came from the cache. Without ``reader blocks`` (``read`` is None)."""
    if cache is None:
        return load_document(path), False
    from ingest.read.detect import load_bytes  # as load_document does (ingest.read imports the readers)

    data = load_bytes(path)  # a missing or oversized file: the reader's own clear error
    key = document_key(path, data)
    found = cache.get(key)
    if found is not None:
        return found, True
    loaded = load_document(path, data=data)  # the file read once
    cache.put(key, loaded)
    return loaded, False

"""Adding an original document to the corpus: preview, refuse, copy, write the manifest entry, build.

``add_document`` reads and recognises the file first, so every refusal (unreadable file, unknown municipality,
the same file twice) happens before anything is written. It then commits in an order that a ``kill -9`` at any
moment cannot tear:

1. a journal ``corpora/.add-journal.json`` records the manifest as it was and the file about to be copied;
2. the original is written to a hidden temporary file in corpora/, fsynced, and renamed to its final name;
3. the new manifest is written to a hidden temporary file, fsynced, and renamed over ``manifest.toml``
   (``os.replace``): this rename is the moment the document enters the corpus;
4. the build runs (``ingest.build.run_build``, itself atomic);
5. the journal is removed.

A build that fails takes the document out again (manifest restored byte for byte, file removed). A process
killed before step 5 leaves the journal behind; the next ``add`` (or :func:`recover`) then restores the
manifest and removes the copied file, so an add either completed with its build or left no trace. Before the
manifest rename a copied file is only an orphan, which builds never read (they read what the manifest names).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.build import fault_point, sha256_file
from ingest.errors import DuplicateDocumentError, MetadataError
from ingest.manifest import (
    DOCUMENT_KINDS,
    DocumentEntry,
    Manifest,
    entry_toml,
    known_municipalities,
    load_manifest,
    slugify,
)
from ingest.metadata import Guess, InferredMetadata, infer_metadata
from ingest.model import ParsedDocument
from ingest.read.detect import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from ingest.build import BuildOptions, BuildResult
    from ingest.document import LoadedDocument

Progress = Callable[[str], None]

MANIFEST = "manifest.toml"
JOURNAL = ".add-journal.json"
"""Written before an add touches corpora/, removed when it is complete; its presence means an add was cut off."""
TEMP_PREFIX = ".add-"
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "markdown": ".md"}
"""File name extension of a copied original by detected format (every other text format: ``.txt``)."""
FAULT_POINTS = ("add-copy", "add-copied", "add-manifest", "add-committed")
"""Where ``STRATEGIGRAF_FAULT_PAUSE=<point>:<marker>`` pauses an add for the kill -9 tests."""


# --- preview -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Preview:
    """What adding a file would make, computed without changing anything."""

    file: Path
    format: str
    sha256: str
    size: int
    pages: int | None
    parsed: ParsedDocument
    metadata: InferredMetadata
    warnings: list[str] = field(default_factory=list)
    """What the reader and the recogniser noticed (e.g. no strategy structure: read as Sections and Passages)."""

    @property
    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(n.kind.value for n in self.parsed.all_nodes()).items()))

    def as_dict(self) -> dict[str, Any]:
        def tree(nodes: list[Any]) -> list[dict[str, Any]]:
            return [{"class": n.kind.value, "key": n.key, "label": n.label, "text": n.text,
                     "children": tree(n.children)} for n in nodes]

        return {"file": str(self.file), "format": self.format, "sha256": self.sha256, "size": self.size,
                "pages": self.pages, "counts": self.counts, "metadata": self.metadata.as_dict(),
                "warnings": self.warnings, "tree": tree(self.parsed.nodes)}


def _load(path: Path, max_bytes: int) -> LoadedDocument:
    from ingest.document import load_document

    return load_document(path, max_bytes=max_bytes)


def preview(path: Path, *, corpora_dir: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Preview:
    """Read and recognise ``path`` and infer its metadata; ``corpora_dir`` (optional) supplies the earlier
    documents a follow-up report may name. Nothing is written."""
    loaded = _load(path, max_bytes)
    read = loaded.read
    assert read is not None, "a file without a layout is read by format"
    known: list[DocumentEntry] = []
    if corpora_dir is not None and (corpora_dir / MANIFEST).is_file():
        known = load_manifest(corpora_dir).documents
    meta = infer_metadata(read, loaded.parsed, file_name=path.name, known=known)
    return Preview(file=path, format=loaded.format, sha256=loaded.source.sha256, size=path.stat().st_size,
                   pages=read.pages, parsed=loaded.parsed, metadata=meta,
                   warnings=list(read.warnings))


# --- the manifest entry ------------------------------------------------------------------------------------

_TRAILING_WORDS = frozenset({"og", "for", "i", "paa", "til", "af", "med", "om", "det", "den", "de", "en", "et"})
"""Words an id does not end on when the title is cut short ("…-socialpsykiatri-og")."""


def _title_slug(title: str, max_words: int = 6, max_chars: int = 48) -> str:
    words = [w for w in slugify(re.sub(r"(?:19|20)\d\d", " ", title)).split("-") if w]
    out: list[str] = []
    for word in words[:max_words]:
        if len("-".join([*out, word])) > max_chars:
            break
        out.append(word)
    while len(out) > 1 and out[-1] in _TRAILING_WORDS:
        out.pop()
    return "-".join(out) or "dokument"


def derive_id(municipality: str, year: int, title: str, taken: set[str]) -> str:
    """``<municipality>-<year>-<title slug>``, with ``-2``, ``-3`` … when taken."""
    base = f"{municipality}-{year}-{_title_slug(title)}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def resolve_metadata(meta: InferredMetadata, manifest: Manifest, file: Path) -> InferredMetadata:
    """Check the values an entry needs; a missing one is a :class:`MetadataError` that says which flag to pass."""
    muni = meta.municipality.value
    if muni is None:
        raise MetadataError(f"cannot tell the municipality: {meta.municipality.evidence}; pass --municipality "
                            "KEY (e.g. aarhus, hoeje-taastrup)", file=file)
    if muni not in manifest.municipalities and muni not in known_municipalities():
        raise MetadataError(f"unknown municipality {muni!r}: use the key of a Danish municipality (the name in "
                            "lower case, æ→ae ø→oe å→aa, e.g. aarhus, hoeje-taastrup, koebenhavn)", file=file)
    if meta.year.value is None:
        raise MetadataError(f"cannot tell the year: {meta.year.evidence}; pass --year", file=file)
    if meta.kind.value not in DOCUMENT_KINDS:
        raise MetadataError(f"unknown kind {meta.kind.value!r} (known: {', '.join(DOCUMENT_KINDS)})", file=file)
    if not meta.title.value:
        raise MetadataError("cannot tell the title; pass --title", file=file)
    if meta.committee.value is None:
        # The graph needs a publisher; when the text names no committee the municipality itself published it.
        names = {**known_municipalities(), **manifest.municipalities}
        meta = replace(meta, committee=Guess(names[muni].name, "no committee named in the text: the "
                                             "municipality is taken as publisher", "none"))
    return meta


def new_entry(meta: InferredMetadata, manifest: Manifest, *, sha256: str, fmt: str,
              original_name: str) -> DocumentEntry:
    assert meta.municipality.value and meta.year.value and meta.title.value and meta.kind.value
    assert meta.committee.value
    doc_id = derive_id(meta.municipality.value, meta.year.value, meta.title.value,
                       {d.id for d in manifest.documents})
    ext = EXTENSIONS.get(fmt, ".txt")
    taken = {p.name for p in manifest.root.iterdir()} | {d.file for d in manifest.documents}
    name, n = f"{doc_id}{ext}", 2
    while name in taken:
        name, n = f"{doc_id}-{n}{ext}", n + 1
    follows_up = tuple(meta.follows_up.value or ())
    return DocumentEntry(id=doc_id, file=name, municipality=meta.municipality.value, title=meta.title.value,
                         kind=meta.kind.value, year=meta.year.value, committee=meta.committee.value, sha256=sha256,
                         format=fmt, period=meta.period.value, date=meta.date.value,
                         relations={"follows_up": follows_up} if follows_up else {},
                         source=f"added with strategigraf add from {original_name}")


# --- duplicates --------------------------------------------------------------------------------------------

def find_duplicate(manifest: Manifest, sha256: str) -> DocumentEntry | None:
    """The entry whose original has this SHA-256 (from the manifest, else hashed from corpora/)."""
    for entry in manifest.documents:
        digest = entry.sha256
        if digest is None:
            path = manifest.root / entry.file
            digest = sha256_file(path) if path.is_file() else None
        if digest == sha256:
            return entry
    return None


# --- atomic file operations --------------------------------------------------------------------------------

def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(target: Path, data: bytes, *, fault: str | None = None) -> None:
    """Write ``data`` to a hidden temporary file beside ``target``, fsync it, and rename it over ``target``."""
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            half = len(data) // 2
            f.write(data[:half])
            if fault:
                f.flush()
                fault_point(fault)
            f.write(data[half:])
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


@contextlib.contextmanager
def corpus_lock(corpora_dir: Path) -> Iterator[None]:
    """Exclusive lock on the corpus folder itself (no lock file, so corpora/ stays as it was)."""
    fd = os.open(corpora_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write_journal(corpora_dir: Path, file: str, doc_id: str, before: bytes, after: bytes) -> None:
    payload = {"file": file, "id": doc_id, "manifest": before.decode("utf-8"),
               "manifest_after_sha256": hashlib.sha256(after).hexdigest()}
    _write_atomic(corpora_dir / JOURNAL, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _undo(corpora_dir: Path, file: str, before: bytes, after_sha256: str) -> bool:
    """Take an add back: the manifest first (the document leaves the corpus), then the copied file, then the
    journal. A manifest someone changed since the add wrote it is left alone (restoring it would lose their
    change); the file then stays when that manifest names it. Returns whether the document was taken out."""
    manifest = corpora_dir / MANIFEST
    current = manifest.read_bytes()
    taken_out = True
    if current != before:
        if hashlib.sha256(current).hexdigest() == after_sha256:
            _write_atomic(manifest, before)
        else:
            taken_out = not any(d.file == file for d in load_manifest(manifest).documents)
    if taken_out:
        with contextlib.suppress(FileNotFoundError):
            (corpora_dir / file).unlink()
    with contextlib.suppress(FileNotFoundError):
        (corpora_dir / JOURNAL).unlink()
    _fsync_dir(corpora_dir)
    return taken_out


def recover(corpora_dir: Path) -> str | None:
    """Finish what a killed add left: restore the manifest it recorded, remove its file and temporary files.

    Returns the id of the document that was taken out again, or None when there was nothing to take out.
    """
    for stale in corpora_dir.glob(f"{TEMP_PREFIX}*.part"):
        stale.unlink()
    journal = corpora_dir / JOURNAL
    if not journal.is_file():
        return None
    try:
        payload = json.loads(journal.read_text(encoding="utf-8"))
        file, doc_id = str(payload["file"]), str(payload["id"])
        before, after_sha256 = str(payload["manifest"]).encode("utf-8"), str(payload["manifest_after_sha256"])
    except (ValueError, KeyError, TypeError) as exc:
        raise MetadataError(f"the journal of an interrupted add is unreadable ({exc}); check corpora/ and the "
                            "manifest, then remove the journal", file=journal) from exc
    if "/" in file or file.startswith(".") or file == MANIFEST:
        raise MetadataError("the journal names an unexpected file; check it, then remove the journal", file=journal)
    return doc_id if _undo(corpora_dir, file, before, after_sha256) else None


# --- adding ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AddResult:
    entry: DocumentEntry
    preview: Preview
    build: BuildResult | None
    recovered: str | None = None
    """Id of a document an earlier, killed add left half-done and this add took out again."""


def add_document(
    path: Path, corpora_dir: Path, *, municipality: str | None = None, title: str | None = None,
    year: int | None = None, kind: str | None = None, committee: str | None = None, period: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES, build: BuildOptions | None = None, progress: Progress | None = None,
) -> AddResult:
    """Add the original file ``path`` to ``corpora_dir`` and build (when ``build`` is given); see the module doc."""
    say = progress or (lambda _msg: None)
    say(f"reading {path.name}")
    manifest_path = corpora_dir / MANIFEST
    load_manifest(manifest_path)  # a broken manifest is refused before the file is even read
    seen = preview(path, corpora_dir=corpora_dir, max_bytes=max_bytes)
    meta = seen.metadata.overridden(municipality=municipality, title=title, year=year, kind=kind,
                                    committee=committee, period=period)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != seen.sha256:
        raise MetadataError("the file changed while it was being read; try again", file=path)
    with corpus_lock(corpora_dir):
        recovered = recover(corpora_dir)
        before = manifest_path.read_bytes()
        manifest = load_manifest(manifest_path)
        meta = resolve_metadata(meta, manifest, path)
        existing = find_duplicate(manifest, seen.sha256)
        if existing is not None:
            raise DuplicateDocumentError(f"already in the corpus as document {existing.id!r} ({existing.file}, "
                                         f"same SHA-256)", existing=existing.id, file=path)
        entry = new_entry(meta, manifest, sha256=seen.sha256, fmt=seen.format, original_name=path.name)
        after = before.rstrip(b"\n") + b"\n\n" + entry_toml(entry).encode("utf-8")
        _check_manifest(after)

        say(f"copying {path.name} to {corpora_dir / entry.file}")
        _write_journal(corpora_dir, entry.file, entry.id, before, after)
        try:
            _write_atomic(corpora_dir / entry.file, data, fault="add-copy")
            fault_point("add-copied")
            say(f"writing the manifest entry {entry.id}")
            _write_atomic(manifest_path, after, fault="add-manifest")
            fault_point("add-committed")
            result = None
            if build is not None:
                from ingest.build import run_build

                result = run_build(build, say)
        except BaseException:
            # KeyboardInterrupt included: an add that did not finish leaves no trace.
            _undo(corpora_dir, entry.file, before, hashlib.sha256(after).hexdigest())
            raise
        with contextlib.suppress(FileNotFoundError):
            (corpora_dir / JOURNAL).unlink()
        _fsync_dir(corpora_dir)
    return AddResult(entry=entry, preview=seen, build=result, recovered=recovered)


def _check_manifest(text: bytes) -> None:
    """Parse the new manifest before it replaces the old one (catches an entry this module got wrong)."""
    with tempfile.TemporaryDirectory(prefix="strategigraf-manifest-") as tmp:
        probe = Path(tmp) / MANIFEST
        probe.write_bytes(text)
        load_manifest(probe)


def corpus_fingerprint(corpora_dir: Path) -> dict[str, str]:
    """SHA-256 of every file in ``corpora_dir`` (hidden ones included): equal before and after means untouched."""
    return {str(p.relative_to(corpora_dir)): sha256_file(p)
            for p in sorted(corpora_dir.rglob("*")) if p.is_file()}

"""Adding a document through the web service: stage the upload, preview it, commit it, report its state.

An upload lives in a staging folder under the build folder (``<build_dir>/uploads/<upload id>/``) holding the
original file and ``upload.json``, its record: state ``staged`` → ``building`` → ``done`` (with the new
document's id) or ``failed`` (with the error). Nothing in corpora/ changes until the commit, and the commit is
:func:`ingest.add.add_document`: journal, atomic copy and manifest rename, build, and undo when the build fails,
so a refused or failed upload leaves corpora/, the manifest and the live build as they were.

Every refusal becomes an :class:`UploadProblem` with a Danish ``detail`` naming the file and the reason (the
``reason`` keys of :mod:`ingest.read.detect`), an HTTP status and, for a duplicate, the existing document.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import threading
import time
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from python_multipart.multipart import MultipartParser, parse_options_header

from ingest.errors import (
    BuildError,
    DuplicateDocumentError,
    IngestError,
    MetadataError,
    ParseError,
    ValidationError,
)
from ingest.manifest import DOCUMENT_KINDS, known_municipalities, load_manifest

if TYPE_CHECKING:
    from ingest.add import Preview
    from service.state import ServiceState

UPLOADS_DIR = "uploads"
RECORD = "upload.json"
UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
STALE_AFTER_S = 24 * 3600
"""Staged uploads never committed are removed after a day (when the next upload arrives)."""
MAX_FIELD_CHARS = 500
MAX_TREE_NODES = 400
"""The preview lists at most this many nodes (the counts always cover all of them)."""
FIELDS = ("municipality", "title", "year", "kind")
"""Metadata a user may set instead of the inferred value."""
FIELD_LABELS = {"municipality": "kommune", "title": "titel", "year": "år", "kind": "type"}


# --- problems ----------------------------------------------------------------------------------------------

class UploadProblem(Exception):
    """A refused upload: HTTP status, stable reason key, Danish detail, extra members of the problem body."""

    def __init__(self, status: int, reason: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.reason, self.detail, self.extra = status, reason, detail, extra


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


SUPPORTED = "PDF med tekst, Word (.docx), en webside (HTML), Markdown eller almindelig tekst"
READ_REASONS: dict[str, tuple[int, str]] = {
    "missing": (422, "Filen »{name}« kunne ikke læses."),
    "empty": (422, "Filen »{name}« er tom eller indeholder ingen tekst."),
    "too-large": (413, "Filen »{name}« er for stor. Grænsen er {limit}."),
    "unsupported-format": (415, "Filen »{name}« er ikke i et format, Strategigraf kan læse. Upload " + SUPPORTED
                           + "."),
    "corrupt": (422, "Filen »{name}« er beskadiget eller afkortet og kan ikke åbnes. Gem eller eksportér den "
                     "igen, og prøv på ny."),
    "zip-bomb": (422, "Filen »{name}« er afvist: den er pakket, så den ville fylde langt mere end sin egen "
                      "størrelse, når den pakkes ud (en zip-bombe)."),
    "xml-entities": (422, "Filen »{name}« er afvist: den indeholder XML-entitetserklæringer (entitetsudvidelse "
                          "eller eksterne entiteter), som af sikkerhedshensyn ikke læses."),
    "encrypted": (422, "Filen »{name}« er beskyttet med adgangskode. Fjern beskyttelsen, og upload den igen."),
    "no-text-layer": (422, "Filen »{name}« har intet tekstlag; den ser ud til at være scannet. Tekstgenkendelse (OCR) "
                     "er ikke tilgængelig, så upload en udgave med tekst."),
}
READ_REASONS["no-text"] = READ_REASONS["no-text-layer"]  # an earlier name of the same reason
"""Status and Danish message per ``reason`` key of ``ingest.errors.ReadError`` (``ingest.errors.REASONS``)."""


def problem_for(exc: IngestError, name: str, max_bytes: int) -> UploadProblem:
    """The Danish problem for an ingestion error about the uploaded file ``name``."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason in READ_REASONS:
        status, template = READ_REASONS[reason]
        return UploadProblem(status, reason, template.format(name=name, limit=megabytes(max_bytes)))
    if isinstance(exc, DuplicateDocumentError):
        return duplicate_problem(name, exc.existing)
    if isinstance(exc, ParseError):
        return UploadProblem(422, "no-structure", f"Filen »{name}« indeholder ingen tekst, der kan blive til et "
                                                  "dokument.")
    if isinstance(exc, MetadataError):
        return UploadProblem(422, "metadata", f"Oplysningerne om »{name}« er ikke fuldstændige: {exc}")
    if isinstance(exc, ValidationError):
        return UploadProblem(422, "invalid-graph", f"Dokumentet »{name}« blev ikke tilføjet: grafen, det ville "
                                                   "give, overholder ikke ontologiens regler (SHACL). Grafen er "
                                                   f"uændret. Detaljer: {exc}")
    if isinstance(exc, BuildError):
        return UploadProblem(503, "build", f"Dokumentet »{name}« blev ikke tilføjet, fordi grafen ikke kunne bygges "
                                           f"lige nu. Grafen er uændret; prøv igen. Detaljer: {exc}")
    return UploadProblem(422, "unreadable", f"Filen »{name}« kunne ikke læses: {exc}")


def duplicate_problem(name: str, existing: str) -> UploadProblem:
    return UploadProblem(409, "duplicate", f"Filen »{name}« findes allerede i grafen som dokumentet "
                                           f"»{existing}«. Den er ikke tilføjet igen.",
                         existing=existing, existing_url=f"/dokument/{existing}")


def too_large(name: str, max_bytes: int) -> UploadProblem:
    status, template = READ_REASONS["too-large"]
    return UploadProblem(status, "too-large", template.format(name=name, limit=megabytes(max_bytes)))


# --- the upload record -------------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class UploadRecord:
    """What the service knows about one upload; stored as ``upload.json`` in its staging folder."""

    id: str
    file_name: str
    size: int
    state: str = "staged"
    """staged, building, done or failed."""
    created: str = field(default_factory=_now)
    overrides: dict[str, Any] = field(default_factory=dict)
    preview: dict[str, Any] | None = None
    progress: list[str] = field(default_factory=list)
    document_id: str | None = None
    document_title: str | None = None
    build_id: str | None = None
    error: str | None = None
    finished: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def status(self) -> dict[str, Any]:
        """The record without the preview, with the new document's page once done."""
        out = {k: v for k, v in self.__dict__.items() if k != "preview"}
        out["document_url"] = f"/dokument/{self.document_id}" if self.state == "done" and self.document_id else None
        return out


def uploads_root(build_dir: Path) -> Path:
    return build_dir / UPLOADS_DIR


def upload_folder(build_dir: Path, upload_id: str) -> Path:
    """The staging folder of ``upload_id``; unknown or malformed ids are a 404 problem."""
    folder = uploads_root(build_dir) / upload_id
    if not UPLOAD_ID.match(upload_id) or not (folder / RECORD).is_file():
        raise UploadProblem(404, "unknown-upload", f"Der er ingen upload med id »{upload_id}«. Upload filen igen.")
    return folder


_record_lock = threading.Lock()
_building: set[str] = set()
"""Uploads whose add runs in this process; a record left ``building`` by a stopped server is not among them."""
INTERRUPTED = ("Tilføjelsen af »{name}« blev afbrudt, fordi serveren stoppede undervejs. Dokumentet er ikke i "
               "grafen; upload filen igen.")


def save_record(folder: Path, record: UploadRecord) -> None:
    """Write ``upload.json`` atomically (a reader never sees half a record)."""
    tmp = folder / (RECORD + ".tmp")
    tmp.write_text(json.dumps(record.as_dict(), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / RECORD)


def load_record(folder: Path) -> UploadRecord:
    return UploadRecord(**json.loads((folder / RECORD).read_text(encoding="utf-8")))


def current_record(folder: Path) -> UploadRecord:
    """The record as it stands; one left ``building`` by a server that stopped is marked failed."""
    with _record_lock:
        record = load_record(folder)
        if record.state == "building" and record.id not in _building:
            record.state, record.error, record.finished = "failed", INTERRUPTED.format(name=record.file_name), _now()
            save_record(folder, record)
    return record


def staged_file(folder: Path, record: UploadRecord) -> Path:
    return folder / "original" / record.file_name


def new_upload(build_dir: Path) -> tuple[str, Path]:
    """A fresh upload id and its (empty) staging folder; stale staged uploads are removed first."""
    root = uploads_root(build_dir)
    root.mkdir(parents=True, exist_ok=True)
    remove_stale(root)
    upload_id = secrets.token_hex(16)
    folder = root / upload_id
    (folder / "original").mkdir(parents=True)
    return upload_id, folder


def remove_stale(root: Path, max_age_s: float = STALE_AFTER_S) -> None:
    """Remove staging folders untouched for ``max_age_s`` (a record still building in this process stays)."""
    now = time.time()
    for folder in root.iterdir():
        if not UPLOAD_ID.match(folder.name) or folder.name in _building:
            continue
        with contextlib.suppress(OSError):
            if now - folder.stat().st_mtime > max_age_s:
                shutil.rmtree(folder, ignore_errors=True)


def safe_file_name(raw: str) -> str:
    """The base name of an uploaded file, without path parts, control characters or a leading dot."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:120]
    return name or "dokument"


# --- receiving the multipart body --------------------------------------------------------------------------

@dataclass
class Received:
    file_name: str | None = None
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)


async def receive_multipart(chunks: AsyncIterator[bytes], content_type: str, folder: Path,
                            max_bytes: int) -> Received:
    """Stream a multipart/form-data body: the part ``file`` goes to ``folder/original/<its name>`` as it
    arrives, and the upload is refused (:class:`UploadProblem` 413) the moment it passes ``max_bytes``; other
    parts are short text fields."""
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadProblem(415, "not-multipart", "Filen skal sendes som multipart/form-data med feltet »file«.")
    got = Received()
    part: dict[str, Any] = {}
    header_field: list[bytes] = []
    header_value: list[bytes] = []

    def on_part_begin() -> None:
        part.clear()
        part.update(headers={}, name=None, file=None, buf=bytearray(), handle=None)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.append(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.append(data[start:end])

    def on_header_end() -> None:
        part["headers"][b"".join(header_field).lower()] = b"".join(header_value)
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        _, disp = parse_options_header(part["headers"].get(b"content-disposition", b""))
        part["name"] = _decode(disp.get(b"name", b""))
        if b"filename" in disp and part["name"] == "file":
            if got.file_name is not None:
                raise UploadProblem(422, "several-files", "Upload én fil ad gangen.")
            got.file_name = safe_file_name(_decode(disp[b"filename"]))
            part["handle"] = (folder / "original" / got.file_name).open("wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        handle = part.get("handle")
        if handle is not None:
            got.size += end - start
            if got.size > max_bytes:
                raise too_large(got.file_name or "dokument", max_bytes)
            handle.write(data[start:end])
        elif part.get("name") is not None:
            part["buf"] += data[start:end]
            if len(part["buf"]) > MAX_FIELD_CHARS * 4:
                raise UploadProblem(422, "field-too-long", f"Feltet »{part['name']}« er for langt.")

    def on_part_end() -> None:
        handle = part.get("handle")
        if handle is not None:
            handle.close()
            part["handle"] = None
        elif part.get("name"):
            got.fields[part["name"]] = _decode(bytes(part["buf"])).strip()

    callbacks: Any = {"on_part_begin": on_part_begin, "on_header_field": on_header_field,
                      "on_header_value": on_header_value, "on_header_end": on_header_end,
                      "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
                      "on_part_end": on_part_end}
    parser = MultipartParser(boundary, callbacks)
    try:
        async for chunk in chunks:  # errors of the stream itself (the body limit, a disconnect) pass through
            _feed(parser, chunk)
        _feed(parser, None)
    finally:
        if part.get("handle") is not None:
            part["handle"].close()
    if got.file_name is None:
        raise UploadProblem(422, "no-file", "Vælg en fil at uploade (feltet »file«).")
    return got


def _feed(parser: MultipartParser, chunk: bytes | None) -> None:
    """Write a chunk (None: the end) to the parser; a malformed body is a 400 problem."""
    try:
        if chunk is None:
            parser.finalize()
        else:
            parser.write(chunk)
    except UploadProblem:
        raise
    except Exception as exc:  # python-multipart raises its own errors for malformed bodies
        raise UploadProblem(400, "bad-multipart", f"Forespørgslen kunne ikke læses som en filupload ({exc}).") \
            from exc


def discard(folder: Path) -> None:
    """Remove a staging folder (a refused upload leaves nothing behind)."""
    shutil.rmtree(folder, ignore_errors=True)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# --- overrides ---------------------------------------------------------------------------------------------

def parse_overrides(fields: dict[str, Any]) -> dict[str, Any]:
    """The metadata a user set (empty values mean "use what the document says"), checked, in Danish."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = str(value).strip()
        if len(text) > MAX_FIELD_CHARS:
            raise UploadProblem(422, "field-too-long", f"Feltet {FIELD_LABELS[name]} er for langt.")
        if name == "year":
            if not re.fullmatch(r"(?:19|20)\d\d", text):
                raise UploadProblem(422, "bad-year", f"År skal være et årstal som 2024 (fik »{text}«).")
            out[name] = int(text)
        elif name == "kind":
            if text not in DOCUMENT_KINDS:
                raise UploadProblem(422, "bad-kind",
                                    f"Ukendt type »{text}«; vælg en af: {', '.join(DOCUMENT_KINDS)}.")
            out[name] = text
        elif name == "municipality":
            key = municipality_key(text)
            if key is None:
                raise UploadProblem(422, "unknown-municipality",
                                    f"»{text}« er ikke en dansk kommune. Skriv kommunens navn, fx Aarhus eller "
                                    "Høje-Taastrup.")
            out[name] = key
        else:
            out[name] = text
    return out


def municipality_key(text: str) -> str | None:
    """The key of the municipality named ``text`` (its key, "Aarhus", "Aarhus Kommune", "Høje-Taastrup")."""
    from ingest.manifest import municipality_base_name, slugify

    known = known_municipalities()
    for candidate in (text.strip().lower(), slugify(municipality_base_name(text))):
        if candidate in known:
            return candidate
    return None


# --- preview -----------------------------------------------------------------------------------------------

def _tree(preview: Preview) -> tuple[list[dict[str, Any]], bool]:
    rows: list[dict[str, Any]] = []

    def walk(nodes: list[Any], depth: int) -> None:
        for node in nodes:
            if len(rows) >= MAX_TREE_NODES:
                return
            text = node.text if len(node.text) <= 200 else node.text[:199].rstrip() + "…"
            rows.append({"class": node.kind.value, "label": node.label, "text": text, "depth": depth})
            walk(node.children, depth + 1)

    walk(preview.parsed.nodes, 0)
    return rows, len(preview.parsed.all_nodes()) > len(rows)


KIND_WORDS = {"strategy": "Strategi", "policy": "Politik", "political-bearings": "Politiske pejlemærker",
              "strategy-proposal": "Strategiforslag", "follow-up-report": "Opfølgningsrapport"}
SOURCE_WORDS = {"meta": "dokumentets egenskaber", "title": "titlen", "heading": "en overskrift", "text": "teksten",
                "file-name": "filnavnet", "flag": "angivet i formularen", "none": "står ikke i dokumentet"}
_QUOTE = re.compile(r"»[^»«]*«")
_NO_STRUCTURE = "no strategy structure recognised"


def display_value(name: str, value: Any) -> str | None:
    """A metadata value as the page shows it: municipality and kind by name, lists joined."""
    if value is None or value == "" or value == []:
        return None
    if name == "municipality":
        known = known_municipalities().get(str(value))
        return known.name if known else str(value)
    if name == "kind":
        return KIND_WORDS.get(str(value), str(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def danish_evidence(source: str, evidence: str) -> str:
    """Where a value was read, in Danish: the kind of place and the quoted words (the quotes are the text's own)."""
    quotes = _QUOTE.findall(evidence)[:2]
    words = SOURCE_WORDS.get(source, "teksten")
    return words + (": " + " … ".join(quotes) if quotes and source not in ("flag", "none") else "")


def danish_warning(warning: str) -> str:
    if warning.startswith(_NO_STRUCTURE):
        return ("Der blev ikke genkendt nogen strategiopbygning (vision, spor, pejlemærker, principper, mål eller "
                "aktiviteter); dokumentet tilføjes som afsnit og tekstafsnit.")
    return warning


def describe_metadata(metadata: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each field with its value for the page (``display``) and its evidence in Danish (``evidence_da``)."""
    return {name: {**m, "display": display_value(name, m["value"]),
                   "evidence_da": danish_evidence(str(m.get("source", "")), str(m.get("evidence", "")))}
            for name, m in metadata.items()}


def missing_fields(metadata: dict[str, dict[str, Any]]) -> list[str]:
    """Required fields the document does not state and the user did not set (the commit needs them)."""
    out = [name for name in ("municipality", "title", "year") if metadata[name]["value"] in (None, "")]
    if metadata["kind"]["value"] not in DOCUMENT_KINDS:
        out.append("kind")
    return out


def make_preview(path: Path, corpora_dir: Path, overrides: dict[str, Any], max_bytes: int) -> dict[str, Any]:
    """Read and recognise the staged file: counts, tree and metadata (with overrides applied). Refusals — an
    unreadable file, the same file already in the corpus — are :class:`UploadProblem`. Nothing is written."""
    from ingest.add import find_duplicate, preview

    try:
        seen = preview(path, corpora_dir=corpora_dir, max_bytes=max_bytes)
    except IngestError as exc:
        raise problem_for(exc, path.name, max_bytes) from exc
    existing = find_duplicate(load_manifest(corpora_dir), seen.sha256)
    if existing is not None:
        raise duplicate_problem(path.name, existing.id)
    metadata = describe_metadata(seen.metadata.overridden(**overrides).as_dict())
    tree, truncated = _tree(seen)
    return {"file": path.name, "format": seen.format, "size": seen.size, "pages": seen.pages, "sha256": seen.sha256,
            "counts": seen.counts, "nodes": sum(seen.counts.values()), "metadata": metadata,
            "missing": missing_fields(metadata), "warnings": [danish_warning(w) for w in seen.warnings], "tree": tree,
            "tree_truncated": truncated}


def stage_preview(folder: Path, record: UploadRecord, corpora_dir: Path, max_bytes: int) -> UploadRecord:
    """Preview a received upload and save its record; a refusal removes the staging folder."""
    try:
        record.preview = make_preview(staged_file(folder, record), corpora_dir, record.overrides, max_bytes)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    save_record(folder, record)
    return record


# --- commit and build --------------------------------------------------------------------------------------

def check_commit(record: UploadRecord, overrides: dict[str, Any]) -> dict[str, Any]:
    """The overrides the commit uses; refuses a commit that is not staged or lacks a required field."""
    if record.state != "staged":
        words = _STATE_WORDS.get(record.state, record.state)
        raise UploadProblem(409, "not-staged", f"Uploaden »{record.file_name}« er allerede {words}.")
    merged = {**record.overrides, **overrides}
    assert record.preview is not None
    metadata = dict(record.preview["metadata"])
    for name, value in merged.items():
        metadata[name] = {"value": value}
    missing = missing_fields(metadata)
    if missing:
        words = ", ".join(FIELD_LABELS[m] for m in missing)
        raise UploadProblem(422, "metadata", f"Dokumentet »{record.file_name}« siger ikke selv sin {words}. "
                                             "Udfyld feltet, og tilføj det igen.", missing=missing)
    return merged


_STATE_WORDS = {"building": "ved at blive tilføjet", "done": "tilføjet", "failed": "afvist"}


def commit(state: ServiceState, folder: Path, overrides: dict[str, Any]) -> UploadRecord:
    """Start adding the staged file in a background thread; the live build serves until the new one is swapped
    in. Refused (409) while another build runs."""
    with _record_lock:
        record = load_record(folder)
        merged = check_commit(record, overrides)
        if not state.rebuild_lock.acquire(blocking=False):
            raise UploadProblem(409, "busy", "En anden opbygning af grafen er i gang. Prøv igen om lidt.",
                                retry_after=5)
        record.state, record.overrides, record.progress = "building", merged, ["Tilføjelsen er startet"]
        save_record(folder, record)
        _building.add(record.id)
    from service.rebuild import RebuildStatus

    state.rebuild_status = RebuildStatus(state="running", started=_now())
    threading.Thread(target=_add_and_swap, args=(state, folder, merged), name="strategigraf-upload",
                     daemon=True).start()
    return record


PROGRESS_WORDS: tuple[tuple[str, str], ...] = (
    ("reading", "Læser dokumentet"),
    ("copying", "Kopierer originalen til korpusset"),
    ("writing the manifest", "Skriver manifestet"),
    ("building the graph", "Bygger grafen"),
    ("validating", "Validerer grafen (SHACL)"),
    ("embedding", "Beregner vektorer til semantisk søgning"),
    ("building the vector", "Bygger søgeindekset"),
    ("analysing", "Analyserer emner og overlap"),
    ("writing the build", "Skriver den nye udgave"),
    ("build ", "Den nye udgave er klar"),
)


def progress_words(message: str) -> str:
    """A build progress message in Danish (the original when no wording is known)."""
    for prefix, words in PROGRESS_WORDS:
        if message.startswith(prefix):
            return words
    return message


def _update(folder: Path, change: Callable[[UploadRecord], None]) -> None:
    with _record_lock:
        record = load_record(folder)
        change(record)
        save_record(folder, record)


def _add_and_swap(state: ServiceState, folder: Path, overrides: dict[str, Any]) -> None:
    from ingest.add import add_document
    from service.rebuild import RebuildStatus, build_options, swap_to

    s = state.settings
    record = load_record(folder)
    started = state.rebuild_status.started

    def say(message: str) -> None:
        words = progress_words(message)

        def step(r: UploadRecord) -> None:
            if words not in r.progress:
                r.progress.append(words)

        _update(folder, step)

    try:
        result = add_document(
            staged_file(folder, record), s.corpora_dir, max_bytes=s.max_upload_bytes, progress=say,
            build=build_options(state), **overrides)
        assert result.build is not None
        swap_to(state, result.build.path)
        build_id = result.build.build_id

        def done(r: UploadRecord) -> None:
            r.state, r.document_id, r.document_title = "done", result.entry.id, result.entry.title
            r.build_id, r.finished = build_id, _now()
            r.progress.append("Dokumentet er tilføjet")

        _update(folder, done)
        state.rebuild_status = RebuildStatus(state="succeeded", started=started, finished=_now(), build_id=build_id,
                                             build_seconds=result.build.seconds, timings_s=result.build.timings)
    except Exception as exc:  # the add undid itself; the live build keeps serving
        if isinstance(exc, IngestError):
            detail = problem_for(exc, record.file_name, s.max_upload_bytes).detail
        else:
            detail = f"Dokumentet »{record.file_name}« kunne ikke tilføjes: {exc}"

        def failed(r: UploadRecord) -> None:
            r.state, r.error, r.finished = "failed", detail, _now()

        _update(folder, failed)
        state.rebuild_status = RebuildStatus(state="failed", started=started, finished=_now(), error=str(exc))
    finally:
        _building.discard(record.id)
        state.rebuild_lock.release()

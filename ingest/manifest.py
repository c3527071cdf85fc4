"""The corpus manifest (corpora/manifest.toml) and reading source texts from disk."""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ingest.errors import ManifestError, SourceError

DOCUMENT_KINDS = ("strategy", "policy", "political-bearings", "strategy-proposal", "follow-up-report")
RELATIONS = ("follows_up", "carries_forward", "revises")
REQUIRED = ("id", "file", "municipality", "title", "kind", "year", "committee")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MUNICIPALITIES_FILE = "kommuner.csv"
"""The 98 Danish municipalities with their official codes (package data of ``ingest.data``)."""


@dataclass(frozen=True)
class Municipality:
    key: str
    name: str
    code: str | None = None

    @property
    def base_name(self) -> str:
        """The name without "Kommune"/"Regionskommune" and without the genitive s the CSV writes
        ("Københavns Kommune" → "København")."""
        return municipality_base_name(self.name)


_DANISH_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str) -> str:
    """Lower-case ASCII slug: Danish letters spelled out (æ→ae, ø→oe, å→aa), other marks dropped."""
    folded = unicodedata.normalize("NFKD", text.translate(_DANISH_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


_GENITIVE_NAMES = ("Københavns", "Bornholms", "Nordfyns", "Vesthimmerlands")


def municipality_base_name(name: str) -> str:
    base = re.sub(r"\s+(?:Regions)?[Kk]ommune$", "", name.strip())
    return base[:-1] if base in _GENITIVE_NAMES else base


@cache
def known_municipalities() -> dict[str, Municipality]:
    """Every Danish municipality by key (the slug of its base name: "aarhus", "hoeje-taastrup", "koebenhavn")."""
    text = resources.files("ingest.data").joinpath(MUNICIPALITIES_FILE).read_text(encoding="utf-8")
    out: dict[str, Municipality] = {}
    for row in csv.DictReader(text.splitlines()):
        key = slugify(municipality_base_name(row["name"]))
        out[key] = Municipality(key=key, name=row["name"], code=row["code"])
    return out


@dataclass(frozen=True)
class DocumentEntry:
    """One manifest entry: a source text and what is known about it."""

    id: str
    file: str
    municipality: str
    title: str
    kind: str
    year: int
    committee: str
    sha256: str | None = None
    """SHA-256 of the original file, written by ``strategigraf add``."""
    format: str | None = None
    """Format detected when the file was added (pdf, docx, html, markdown, text …)."""
    period: str | None = None
    date: str | None = None
    source: str | None = None
    relations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    line: int | None = None
    """Line of the entry in the manifest, for error messages."""


def entry_toml(entry: DocumentEntry) -> str:
    """The entry as a ``[[document]]`` table of the manifest (strings as TOML basic strings: JSON escaping is
    valid TOML), in the field order of the bundled entries."""
    import json

    def s(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["[[document]]", f"id = {s(entry.id)}", f"file = {s(entry.file)}",
             f"municipality = {s(entry.municipality)}", f"title = {s(entry.title)}", f"kind = {s(entry.kind)}",
             f"year = {entry.year}"]
    if entry.period:
        lines.append(f"period = {s(entry.period)}")
    lines.append(f"committee = {s(entry.committee)}")
    if entry.date:
        lines.append(f"date = {s(entry.date)}")
    if entry.format:
        lines.append(f"format = {s(entry.format)}")
    if entry.sha256:
        lines.append(f"sha256 = {s(entry.sha256)}")
    for rel in RELATIONS:
        if entry.relations.get(rel):
            lines.append(f"{rel} = [{', '.join(s(x) for x in entry.relations[rel])}]")
    if entry.source:
        lines.append(f"source = {s(entry.source)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Manifest:
    path: Path
    municipalities: dict[str, Municipality]
    documents: list[DocumentEntry]

    @property
    def root(self) -> Path:
        return self.path.parent

    def document(self, doc_id: str) -> DocumentEntry:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)


def _entry_lines(text: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == "[[document]]"]


def load_manifest(path: Path) -> Manifest:
    """Read and check the manifest; every problem names the manifest file and the entry's line.

    A ``layout`` field (older manifests named a layout parser per document) is accepted and ignored."""
    if path.is_dir():
        path = path / "manifest.toml"
    if not path.is_file():
        raise ManifestError("manifest not found", file=path)
    raw_text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"not valid TOML: {exc}", file=path) from exc
    munis = {
        key: Municipality(key=key, name=str(v.get("name", key)), code=v.get("code"))
        for key, v in (data.get("municipality") or {}).items()
    }
    lines = _entry_lines(raw_text)
    docs: list[DocumentEntry] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("document") or []):
        line = lines[i] if i < len(lines) else None
        missing = [f for f in REQUIRED if f not in raw or raw[f] in ("", None)]
        if missing:
            raise ManifestError(f"document entry {raw.get('id', i + 1)!s} lacks field(s): {', '.join(missing)}",
                                file=path, line=line)
        doc_id = str(raw["id"])
        if not _ID.match(doc_id):
            raise ManifestError(f"id {doc_id!r} must be lower-case letters, digits and '-'", file=path, line=line)
        if doc_id in seen:
            raise ManifestError(f"duplicate id {doc_id!r}", file=path, line=line)
        seen.add(doc_id)
        if raw["municipality"] not in munis:
            fallback = known_municipalities().get(str(raw["municipality"]))
            if fallback is None:
                raise ManifestError(f"document {doc_id}: unknown municipality {raw['municipality']!r} "
                                    f"(known: {', '.join(sorted(munis))}, or the key of a Danish municipality "
                                    f"such as 'aarhus' or 'hoeje-taastrup')", file=path, line=line)
            munis[fallback.key] = fallback
        if raw["kind"] not in DOCUMENT_KINDS:
            raise ManifestError(f"document {doc_id}: unknown kind {raw['kind']!r} "
                                f"(known: {', '.join(DOCUMENT_KINDS)})", file=path, line=line)
        try:
            year = int(raw["year"])
        except (TypeError, ValueError) as exc:
            raise ManifestError(f"document {doc_id}: year {raw['year']!r} is not a number",
                                file=path, line=line) from exc
        sha256 = str(raw["sha256"]).lower() if raw.get("sha256") else None
        if sha256 is not None and not _SHA256.match(sha256):
            raise ManifestError(f"document {doc_id}: sha256 {raw['sha256']!r} is not 64 hex digits",
                                file=path, line=line)
        relations = {r: tuple(str(x) for x in raw.get(r, [])) for r in RELATIONS if raw.get(r)}
        docs.append(DocumentEntry(
            id=doc_id, file=str(raw["file"]), municipality=str(raw["municipality"]), title=str(raw["title"]),
            kind=str(raw["kind"]), year=year, committee=str(raw["committee"]),
            sha256=sha256,
            format=str(raw["format"]) if raw.get("format") else None,
            period=raw.get("period"), date=str(raw["date"]) if raw.get("date") else None,
            source=raw.get("source"), relations=relations, line=line,
        ))
    if not docs:
        raise ManifestError("no [[document]] entries", file=path)
    for doc in docs:
        for rel, targets in doc.relations.items():
            for target in targets:
                if target not in seen:
                    raise ManifestError(f"document {doc.id}: {rel} names unknown document {target!r}",
                                        file=path, line=doc.line)
    return Manifest(path=path, municipalities=munis, documents=docs)


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    encoding: str
    sha256: str


def read_source(path: Path) -> SourceText:
    """Read a source text: UTF-8, else Windows-1252; refuse missing, empty and binary files by name."""
    if not path.is_file():
        raise SourceError("source file not found", file=path)
    data = path.read_bytes()
    if not data.strip():
        raise SourceError("source file is empty", file=path)
    if b"\x00" in data[:65536]:
        raise SourceError("source file is binary (contains NUL bytes), not text", file=path)
    digest = hashlib.sha256(data).hexdigest()
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise SourceError(f"not UTF-8 or Windows-1252 text (bad byte at offset {exc.start})",
                              file=path, line=line) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise SourceError("source file looks binary (too many control characters)", file=path)
    return SourceText(path=path, text=text, encoding=encoding, sha256=digest)

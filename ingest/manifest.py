"""The corpus manifest (corpora/manifest.toml) and reading source texts from disk."""

from __future__ import annotations

import csv
import datetime
import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ingest.errors import ManifestError, SourceError

DOCUMENT_KINDS = ("strategy", "policy", "political-bearings", "strategy-proposal", "follow-up-report")
RELATIONS = ("follows_up", "carries_forward", "revises")
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


class MunicipalityTable(BaseModel):
    """A ``[municipality.<key>]`` table of the manifest."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    name: str | None = Field(None, min_length=1, description="Official name (\"Slagelse Kommune\"); default the key")
    code: str | None = Field(None, min_length=1, description="Official municipality code (\"330\")")


class ManifestEntry(BaseModel):
    """A ``[[document]]`` table of the manifest as written, checked field by field (what the entries refer to,
    other entries and municipalities, :func:`load_manifest` checks across the manifest)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    id: str = Field(min_length=1, description="Stable, readable id (lower-case letters, digits, '-'); becomes "
                                              "the IRI https://w3id.org/strategigraf/id/<id>")
    file: str = Field(min_length=1, description="File name in the corpus folder")
    municipality: str = Field(min_length=1, description="Key of a [municipality.<key>] table or of any Danish "
                                                        "municipality ('aarhus', 'hoeje-taastrup')")
    title: str = Field(min_length=1, description="The document's own title")
    kind: str = Field(min_length=1, description="One of DOCUMENT_KINDS")
    year: int = Field(description="The year the document belongs to (its first year for a period)")
    committee: str = Field(min_length=1, description="Political committee or administrative centre behind it")
    period: str | None = Field(None, description="Optional 'YYYY-YYYY'")
    date: str | None = Field(None, description="Optional ISO date the text states (a TOML date or a string)")
    format: str | None = Field(None, description="Format detected by `strategigraf add` (pdf, docx, html …)")
    sha256: str | None = Field(None, description="SHA-256 of the original file (64 hex digits), written by "
                                                 "`strategigraf add`")
    source: str | None = Field(None, description="Where the text came from")
    follows_up: list[str] = Field(default_factory=list, description="Ids of documents this one follows up")
    carries_forward: list[str] = Field(default_factory=list, description="Ids of documents it carries forward")
    revises: list[str] = Field(default_factory=list, description="Ids of documents it revises")
    layout: str | None = Field(None, description="Ignored: older manifests named a layout parser per document")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"id {value!r} must be lower-case letters, digits and '-'")
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in DOCUMENT_KINDS:
            raise ValueError(f"unknown kind {value!r} (known: {', '.join(DOCUMENT_KINDS)})")
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        return value.isoformat() if isinstance(value, datetime.date) else value

    @field_validator("sha256")
    @classmethod
    def _sha256_shape(cls, value: str | None) -> str | None:
        if value is not None and not _SHA256.match(value.lower()):
            raise ValueError(f"sha256 {value!r} is not 64 hex digits")
        return value.lower() if value is not None else None

    @field_validator("period", "date", "format", "sha256", "source", mode="before")
    @classmethod
    def _empty_is_absent(cls, value: object) -> object:
        return None if value == "" else value

    def document_entry(self, line: int | None) -> DocumentEntry:
        relations = {r: tuple(getattr(self, r)) for r in RELATIONS if getattr(self, r)}
        return DocumentEntry(id=self.id, file=self.file, municipality=self.municipality, title=self.title,
                             kind=self.kind, year=self.year, committee=self.committee, sha256=self.sha256,
                             format=self.format, period=self.period, date=self.date, source=self.source,
                             relations=relations, line=line)


def _entry_lines(text: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == "[[document]]"]


def _problems(exc: ValidationError) -> str:
    """One line naming every field at fault: missing fields together, then each other field's problem."""
    missing = [str(e["loc"][0]) for e in exc.errors()
               if e["type"] == "missing" or (e["type"] == "string_too_short" and e["input"] == "")]
    parts = [f"lacks field(s): {', '.join(missing)}"] if missing else []
    for e in exc.errors():
        field_name = ".".join(str(x) for x in e["loc"])
        if e["type"] == "missing" or (e["type"] == "string_too_short" and e["input"] == ""):
            continue
        if e["type"] == "value_error":
            parts.append(f"field {field_name}: {e['msg'].removeprefix('Value error, ')}")
        elif e["type"] == "extra_forbidden":
            parts.append(f"field {field_name} is not a manifest field")
        else:
            parts.append(f"field {field_name}: {e['msg']} (got {e['input']!r})")
    return "; ".join(parts)


def load_manifest(path: Path) -> Manifest:
    """Read and check the manifest; every problem names the manifest file, the entry (id and line) and the field.

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
    munis: dict[str, Municipality] = {}
    for key, table in (data.get("municipality") or {}).items():
        try:
            checked = MunicipalityTable.model_validate(table)
        except ValidationError as exc:
            raise ManifestError(f"municipality {key}: {_problems(exc)}", file=path) from exc
        munis[key] = Municipality(key=key, name=checked.name or key, code=checked.code)
    lines = _entry_lines(raw_text)
    docs: list[DocumentEntry] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("document") or []):
        line = lines[i] if i < len(lines) else None
        try:
            entry = ManifestEntry.model_validate(raw)
        except ValidationError as exc:
            name = raw.get("id") if isinstance(raw, dict) and raw.get("id") else f"entry {i + 1}"
            raise ManifestError(f"document {name!s}: {_problems(exc)}", file=path, line=line) from exc
        if entry.id in seen:
            raise ManifestError(f"duplicate id {entry.id!r}", file=path, line=line)
        seen.add(entry.id)
        if entry.municipality not in munis:
            fallback = known_municipalities().get(entry.municipality)
            if fallback is None:
                raise ManifestError(f"document {entry.id}: unknown municipality {entry.municipality!r} "
                                    f"(known: {', '.join(sorted(munis))}, or the key of a Danish municipality "
                                    f"such as 'aarhus' or 'hoeje-taastrup')", file=path, line=line)
            munis[fallback.key] = fallback
        docs.append(entry.document_entry(line))
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

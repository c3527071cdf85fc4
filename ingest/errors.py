"""Ingestion errors. Each message names the file (and line or node where it applies) and the rule broken."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        where = ""
        if self.file is not None:
            where = self.file + (f":{line}" if line is not None else "") + ": "
        super().__init__(where + message)


class ManifestError(IngestError):
    """The corpus manifest is missing, malformed, or an entry is incomplete."""

    exit_code = 3


class SourceError(IngestError):
    """A source text is missing, empty, binary or undecodable."""

    exit_code = 4


class ParseError(IngestError):
    """A layout parser could not recover the document's structure."""

    exit_code = 5


class ValidationError(IngestError):
    """The graph does not conform to the SHACL shapes; the build is refused."""

    exit_code = 6


class BuildError(IngestError):
    """A build directory is missing, incomplete or corrupt."""

    exit_code = 7


class DuplicateDocumentError(IngestError):
    """The file is already in the corpus (same SHA-256 as an existing entry); the message names that entry."""

    exit_code = 8

    def __init__(self, message: str, *, existing: str, file: str | Path | None = None) -> None:
        self.existing = existing
        super().__init__(message, file=file)


class MetadataError(IngestError):
    """A manifest field could not be inferred from the document and was not given (or was given wrongly)."""

    exit_code = 9

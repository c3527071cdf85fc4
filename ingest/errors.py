"""Ingestion errors. Each message names the file (and line or node where it applies) and the rule broken."""

from __future__ import annotations

from pathlib import Path
from typing import Final


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


REASONS: Final = {
    "missing": "the file does not exist or cannot be read",
    "empty": "the file is empty or holds no text",
    "too-large": "the file is larger than the size limit",
    "unsupported-format": "the format is not one Strategigraf reads (spreadsheets, executables, images, …)",
    "corrupt": "the file is truncated or damaged",
    "zip-bomb": "a compressed file that would expand far beyond its size",
    "xml-entities": "XML entity declarations (entity expansion or external entities)",
    "encrypted": "the file is password-protected",
    "no-text-layer": "the PDF has no text layer (a scan; OCR is not available)",
}
"""Stable ``reason`` keys of :class:`ReadError`, with what each means (the UI words them in Danish)."""


class ReadError(SourceError):
    """An original file that cannot be read, with a stable ``reason`` key from :data:`REASONS`."""

    def __init__(self, message: str, *, reason: str, file: str | Path | None = None) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown read-error reason {reason!r}")
        self.reason = reason
        super().__init__(message, file=file)


class ParseError(IngestError):
    """The structure recogniser could not make a document tree from a file."""

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

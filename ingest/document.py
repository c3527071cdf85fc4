"""One source file → its text and document tree: the step every build, preview and add shares.

Files in a legacy layout (a ``layout`` named in the manifest) still go through that layout's parser until
the structure reader replaces them; every other file is read by format (``ingest.read``) and recognised
(``ingest.structure``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ParseError
from ingest.manifest import SourceText, read_source
from ingest.model import ParsedDocument
from ingest.read.blocks import ReadDocument

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class LoadedDocument:
    source: SourceText
    """The text node spans point into: the decoded file, or the text extracted from PDF, DOCX or HTML."""
    parsed: ParsedDocument
    format: str
    page_starts: tuple[tuple[int, int], ...] = ()
    read: ReadDocument | None = None
    """The blocks the tree was recognised from (None for legacy layouts)."""


def page_starts(doc: ReadDocument) -> tuple[tuple[int, int], ...]:
    """(offset, page) where each page's text begins, from the pages the reader put on its blocks."""
    starts: dict[int, int] = {}
    for block in doc.blocks:
        if block.page is not None and block.segments and block.page not in starts:
            starts[block.page] = block.start
    return tuple(sorted((offset, page) for page, offset in starts.items()))


def load_document(path: Path, *, layout: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Read ``path`` and recognise its structure; errors name the file and say why."""
    if layout:
        from ingest.parse import parse_document

        source = read_source(path)
        return LoadedDocument(source=source, parsed=parse_document(layout, source.text, str(path)), format="text")
    from ingest.read.detect import read_file
    from ingest.structure.recognise import recognise

    read = read_file(path, max_bytes=max_bytes)
    parsed = recognise(read, file=str(path))
    if not parsed.nodes:
        raise ParseError("no text found to make a document tree from", file=path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    encoding = read.meta.get("encoding") or ("binary" if read.format in ("pdf", "docx") else "utf-8")
    source = SourceText(path=path, text=read.text, encoding=encoding, sha256=digest)
    return LoadedDocument(source=source, parsed=parsed, format=read.format, page_starts=page_starts(read), read=read)

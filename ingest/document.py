"""One source file → its text and document tree: the step every build, preview and add shares.

Every file is read by format (``ingest.read``) and recognised (``ingest.structure``); there is no parser per
document. The document's own date, which the manifest may leave out, comes from metadata inference.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ParseError
from ingest.manifest import SourceText
from ingest.metadata import HEAD_CHARS, infer_time
from ingest.model import ParsedDocument
from ingest.read.blocks import BlockKind, ReadDocument

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class LoadedDocument:
    source: SourceText
    """The text node spans point into: the decoded file, or the text extracted from PDF, DOCX or HTML."""
    parsed: ParsedDocument
    format: str
    page_starts: tuple[tuple[int, int], ...] = ()
    read: ReadDocument | None = None
    """The blocks the tree was recognised from."""


def page_starts(doc: ReadDocument) -> tuple[tuple[int, int], ...]:
    """(offset, page) where each page's text begins, from the pages the reader put on its blocks; none for a
    document without pages (Markdown, plain text, a web page), whose spans then carry no page number."""
    if doc.pages is None:
        return ()
    starts: dict[int, int] = {}
    for block in doc.blocks:
        if block.page is not None and block.segments and block.page not in starts:
            starts[block.page] = block.start
    return tuple(sorted((offset, page) for page, offset in starts.items()))


DATELINE_CHARS = 40
"""Longest block read as a dateline ("Januar 2015", "22.04.2024"); a date inside a sentence ("Den 9. november
2020 blev der afholdt en workshop") dates an event the document tells of, not the document."""


def stated_date(read: ReadDocument, parsed: ParsedDocument) -> str | None:
    """The date the document gives itself: the date metadata inference reads from the first pages
    (ingest.metadata.infer_time) when a dateline there states it, else None."""
    inferred = infer_time(read, "", parsed)[2].value
    if not inferred:
        return None
    for block in read.content_blocks():
        if block.start < HEAD_CHARS and block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH) \
                and len(block.text) <= DATELINE_CHARS:
            line = ReadDocument(text=block.text, blocks=[], format=read.format)
            if infer_time(line, "", None)[2].value == inferred:
                return inferred
    return None


def load_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None) -> LoadedDocument:
    """Read ``path`` and recognise its structure; errors name the file and say why. ``data``: the file's bytes
    when the caller has read them already (through ``ingest.read.detect.load_bytes``)."""
    from ingest.read.detect import load_bytes, read_bytes
    from ingest.structure.recognise import recognise

    if data is None:
        data = load_bytes(path, max_bytes=max_bytes)
    read = read_bytes(data, file=path, max_bytes=max_bytes)
    parsed = recognise(read, file=str(path))
    if not parsed.nodes:
        raise ParseError("no text found to make a document tree from", file=path)
    if "date" not in parsed.attrs:
        date = stated_date(read, parsed)
        if date:
            parsed.attrs["date"] = date
    digest = hashlib.sha256(data).hexdigest()
    encoding = read.meta.get("encoding") or ("binary" if read.format in ("pdf", "docx") else "utf-8")
    source = SourceText(path=path, text=read.text, encoding=encoding, sha256=digest)
    return LoadedDocument(source=source, parsed=parsed, format=read.format, page_starts=page_starts(read), read=read)

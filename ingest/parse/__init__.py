"""Layout parsers. The manifest names a layout per document; adding a document in a known layout needs no code.

Each parser is ``parse(text: str, file: str) -> ParsedDocument`` and raises ``ParseError`` naming the file
and line when the text does not have the layout's structure.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.errors import ParseError
from ingest.model import ParsedDocument
from ingest.parse import followup_table, markdown_bearings, markdown_tracks, plain_bearings, web_transcript

Parser = Callable[[str, str], ParsedDocument]

LAYOUTS: dict[str, Parser] = {
    "markdown-tracks": markdown_tracks.parse,
    "markdown-bearings": markdown_bearings.parse,
    "web-transcript": web_transcript.parse,
    "followup-table": followup_table.parse,
    "plain-bearings": plain_bearings.parse,
}


def parse_document(layout: str, text: str, file: str) -> ParsedDocument:
    """Parse ``text`` with the named layout; refuse a result with no nodes."""
    try:
        parser = LAYOUTS[layout]
    except KeyError:
        raise ParseError(f"unknown layout {layout!r} (known: {', '.join(sorted(LAYOUTS))})", file=file) from None
    doc = parser(text, file)
    if not doc.nodes:
        raise ParseError(f"layout {layout!r} found no structure (no nodes) in this text", file=file)
    return doc


__all__ = ["LAYOUTS", "Parser", "parse_document"]

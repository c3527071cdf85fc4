"""Format readers: any supported file → :class:`~ingest.read.blocks.ReadDocument` (blocks with provenance).

Entry point: :func:`read_file` (or :func:`read_bytes`). The format is detected from the content (magic bytes,
markup), never from the file name alone; each format's clean-up lives in its own module:

=================  ==============================================================================
module             formats
=================  ==============================================================================
``detect``         content sniffing, size limit, refusal of unsupported formats
``pdf``            PDF with a text layer (fonts and positions → headings, running headers, pages)
``docx``           Word: heading and list styles, tables with merged cells
``html``           web pages: main content only (no navigation, cookie banner, footer …)
``text``           Markdown, plain text, ``pdftotext -layout`` output
``transcript``     flattened web transcripts of PDFs (document-sharing sites)
``tabular``        tab-separated tables with stray HTML fragments in cells
=================  ==============================================================================
"""

from __future__ import annotations

from ingest.read.blocks import Block, BlockKind, ReadDocument
from ingest.read.detect import DEFAULT_MAX_BYTES, REASONS, ReadError, detect_format, read_bytes, read_file

__all__ = ["DEFAULT_MAX_BYTES", "REASONS", "Block", "BlockKind", "ReadDocument", "ReadError", "detect_format",
           "read_bytes", "read_file"]

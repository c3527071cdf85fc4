"""Real ``pdftotext -layout`` output of small PDFs drawn with reportlab, for the text reader's and recogniser's tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

Line = tuple[str, int, str]
"""(font name, size, text) of one drawn line."""


def pdftotext_pages(path: Path, pages: list[list[Line]], *, header: str | None = None,
                    numbers_from: int = 1) -> str:
    """Draw ``pages`` into an A4 PDF at ``path`` and return ``pdftotext -layout`` of it.

    ``header`` is a running header drawn at the top of every page from ``numbers_from`` on, together with a
    "Side N af M" footer; a bold line gets some space above it, as a heading does.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed for this test"
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        if header is not None and number >= numbers_from:
            c.setFont("Helvetica", 9)
            c.drawString(72, height - 40, header)
            c.drawString(width / 2 - 20, 30, f"Side {number} af {len(pages)}")
        y = height - 100
        for font, size, text in lines:
            if font.endswith("Bold") and y < height - 100:
                y -= 14
            c.setFont(font, size)
            c.drawString(72, y, text)
            y -= size + 6
        c.showPage()
    c.save()
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout

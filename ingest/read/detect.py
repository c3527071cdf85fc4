"""Content sniffing, the size limit and the dispatch to a format reader.

The format of a file is decided from its bytes (magic numbers, ZIP members, markup), never from its name alone:
a ``.docx`` that is really a spreadsheet or an executable renamed ``.txt`` is refused before any parser sees it.
Every refusal is a :class:`ReadError` whose ``reason`` is a stable key (see :data:`REASONS`) that the web page
turns into a Danish message and the CLI into exit code 4.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Final

from ingest.errors import REASONS, ReadError
from ingest.read.blocks import ReadDocument

DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
"""Largest original file accepted (50 MB); configurable per call."""

def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


# --- Content sniffing ------------------------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (_OLE, "an old Office file (.doc/.xls/.ppt, OLE compound file); save it as .docx"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xfe\xed\xfa\xce", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O or Java class file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document; save it as .docx"),
    (b"%!PS", "a PostScript file"),
)

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_HTML_START = re.compile(rb"<(?:!doctype\s|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_XML_START = re.compile(rb"<\?xml[\s?]")
_PROLOGUE_NOISE = re.compile(rb"(?:\s+|<\?xml[^>]*\?>|<!--.*?-->)", re.DOTALL)
_BOMS: Final = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


MAX_ZIP_ENTRIES: Final = 4096
"""More parts than any Word document has (they hold tens to hundreds); checked before the directory is parsed."""


def check_zip_entries(data: bytes, file: str | Path) -> None:
    """Refuse a ZIP whose end record announces more than :data:`MAX_ZIP_ENTRIES` members, before
    :mod:`zipfile` builds an object per member (300,000 empty members fit in 27 MB and take seconds)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if end < 0 or end + 22 > len(data):
        return  # no end record: zipfile refuses the file as corrupt
    entries = int.from_bytes(data[end + 10:end + 12], "little")
    if entries > MAX_ZIP_ENTRIES:  # 0xFFFF (ZIP64) included
        raise ReadError(f"zip bomb refused: the archive announces {entries} parts, over the limit of "
                        f"{MAX_ZIP_ENTRIES}", reason="zip-bomb", file=file)


def _zip_kind(data: bytes, name: str) -> str:
    """``docx`` for a Word package; refuses every other ZIP, and corrupt ones."""
    check_zip_entries(data, name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        what = "DOCX" if name.lower().endswith(".docx") else "ZIP"
        raise ReadError(f"truncated or corrupt {what} file ({exc})", reason="corrupt", file=name) from exc
    if any(n.startswith("word/") for n in names):  # the main part's name is the package's choice
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise ReadError("xlsx is not supported (an Excel workbook); export the sheet as a table in a "
                        "Word document, or as text", reason="unsupported-format", file=name)
    if any(n.startswith("ppt/") for n in names):
        raise ReadError("pptx is not supported (a PowerPoint presentation)", reason="unsupported-format",
                        file=name)
    if "mimetype" in names or "content.xml" in names:
        raise ReadError("OpenDocument files (.odt/.ods) are not supported; save it as .docx",
                        reason="unsupported-format", file=name)
    raise ReadError("a ZIP archive that is not a Word document is not supported",
                    reason="unsupported-format", file=name)


def _is_html(head: bytes) -> bool:
    """Markup at the very start (after a BOM, whitespace, an XML declaration and comments) makes a web page."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, "ignore").encode("utf-8")
            break
    pos = 0
    while m := _PROLOGUE_NOISE.match(head, pos):
        if m.end() == pos:
            break
        pos = m.end()
    return _HTML_START.match(head, pos) is not None


def _control_ratio(data: bytes) -> float:
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(len(sample), 1)


def detect_format(data: bytes, name: str) -> str:
    """``pdf``, ``docx``, ``html`` or ``text`` from the content of ``data``; refuses everything else.

    ``name`` is used only in error messages (and to word a corrupt ZIP as a corrupt DOCX).
    """
    if not data:
        raise ReadError("the file is empty", reason="empty", file=name)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data, name)
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        raise ReadError("a Windows executable (MZ/PE) is not a supported format", reason="unsupported-format",
                        file=name)
    if data.startswith(_OLE) and "EncryptedPackage".encode("utf-16-le") in data:
        raise ReadError("the Office document is encrypted with a password; save it without a password and add "
                        "it again", reason="encrypted", file=name)
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ReadError(f"{what} is not a supported format", reason="unsupported-format", file=name)
    if data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise ReadError("a WebP image is not a supported format", reason="unsupported-format", file=name)
    if _is_html(data[:4096]):
        return "html"
    if _XML_START.match(data.lstrip(b"\xef\xbb\xbf \t\r\n")):
        raise ReadError("an XML document that is not a web page is not a supported format",
                        reason="unsupported-format", file=name)
    if decode_text(data, name) is not None:
        return "text"
    raise ReadError("binary data is not a supported format", reason="unsupported-format", file=name)


def decode_text(data: bytes, name: str = "") -> str | None:
    """The text of ``data``: UTF-8 (or UTF-16 with a BOM), else Windows-1252; None for binary data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:65536] or _control_ratio(data) > 0.01:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # The five bytes cp1252 leaves undefined; Latin-1 maps them to C1 controls rather than refusing.
        return data.decode("latin-1")


# --- Entry points ----------------------------------------------------------------------------------------------


def check_size(size: int, max_bytes: int, file: str | Path) -> None:
    if size > max_bytes:
        raise ReadError(f"the file is {_mib(size)} ({size} bytes), over the size limit of {_mib(max_bytes)} "
                        f"({max_bytes} bytes)", reason="too-large", file=file)


def read_bytes(data: bytes, *, file: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadDocument:
    """Read an original file's bytes into blocks: size limit, format detection, then the format's reader."""
    check_size(len(data), max_bytes, file)
    fmt = detect_format(data, str(file))
    # readers are imported on use: each brings its own libraries (pdfium, python-docx, Lexbor, markdown-it)
    if fmt == "pdf":
        from ingest.read.pdf import read_pdf

        return read_pdf(data, file=file)
    if fmt == "docx":
        from ingest.read.docx import read_docx

        return read_docx(data, file=file)
    if fmt == "html":
        from ingest.read.html import read_html

        return read_html(data, file=file)
    from ingest.read.text import read_text_document

    text = decode_text(data, str(file))
    assert text is not None  # detect_format returned "text" only for decodable data
    return read_text_document(text)


def load_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of the file at ``path``; the size limit is checked before the file is loaded."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ReadError("not a regular file", reason="missing", file=path)
        check_size(size, max_bytes, path)
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read the file ({exc.strerror or exc})", reason="missing", file=path) from exc


def read_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadDocument:
    """Read the file at ``path`` (:func:`load_bytes`, then :func:`read_bytes`)."""
    return read_bytes(load_bytes(path, max_bytes=max_bytes), file=Path(path), max_bytes=max_bytes)


__all__ = ["DEFAULT_MAX_BYTES", "MAX_ZIP_ENTRIES", "REASONS", "ReadError", "check_size", "check_zip_entries",
           "decode_text", "detect_format", "load_bytes", "read_bytes", "read_file"]

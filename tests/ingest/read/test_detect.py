"""Format detection by content, the size limit and the refusals of read_file/read_bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.read import REASONS, ReadError, detect_format, read_bytes, read_file

DATA = Path(__file__).resolve().parents[2] / "data" / "read"
POLICY = DATA / "docx" / "politik-socialpsykiatri.docx"
PAGE = DATA / "html" / "handicappolitik-holbaek.html"


def test_word_document_is_detected_by_its_members_not_its_name() -> None:
    assert detect_format(POLICY.read_bytes(), "politik.txt") == "docx"


def test_web_page_is_detected_by_its_markup() -> None:
    assert detect_format(PAGE.read_bytes(), "side.docx") == "html"


@pytest.mark.parametrize("head", [
    b"<!DOCTYPE html>\n<html lang=\"da\">",
    b"\xef\xbb\xbf  <html><body><p>Hej</p></body></html>",
    b"<?xml version=\"1.0\"?>\n<!-- gemt fra browseren -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
    b"<body><h1>Handleplan</h1></body>",
])
def test_markup_at_the_start_makes_a_web_page(head: bytes) -> None:
    assert detect_format(head, "x") == "html"


def test_pdf_magic_makes_a_pdf_even_after_leading_junk() -> None:
    assert detect_format(b"\r\n%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "strategi") == "pdf"


@pytest.mark.parametrize("text", [
    b"# Politik for psykisk sundhed\n\nVi vil styrke trivslen.\n",
    "Mål 1: Færre borgere i hjemløshed\n\n- flere skæve boliger\n".encode("cp1252"),
    "Side 3 af 8\fIndsatsområde 2\n".encode(),
    "Kære læser, <br> her er handleplanen".encode(),  # inline markup in prose is still text
])
def test_prose_is_text(text: bytes) -> None:
    assert detect_format(text, "x") == "text"


def test_windows_1252_text_is_decoded() -> None:
    data = "Ældre- og Handicapudvalget godkendte politikken i maj.\n\nHandicaprådet blev hørt.".encode("cp1252")
    doc = read_bytes(data, file="politik.txt")
    assert "Ældre- og Handicapudvalget godkendte politikken i maj." in doc.text
    assert doc.blocks[0].text.startswith("Ældre- og Handicapudvalget")


@pytest.mark.parametrize(("data", "what"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "old Office file (.doc/.xls/.ppt"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(54), "Windows executable"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
    (b"{\\rtf1\\ansi Politik}", "RTF document"),
    (b'<?xml version="1.0"?>\n<politik><titel>Sundhedspolitik</titel></politik>', "XML document"),
    (b"Politik\x00\x01\x02\x03\x04\x05 for \x06\x07 psykiatri" * 20, "binary data"),
])
def test_other_formats_are_refused_naming_what_they_are(data: bytes, what: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_bytes(data, file="upload.docx")
    assert caught.value.reason == "unsupported-format"
    assert what in str(caught.value)
    assert str(caught.value).startswith("upload.docx: ")


def test_spreadsheet_in_a_zip_is_refused_as_xlsx() -> None:
    path = DATA / "docx" / "bad" / "budget.xlsx"
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert caught.value.reason == "unsupported-format"
    assert "xlsx is not supported" in str(caught.value)


def test_executable_renamed_docx_is_refused_as_an_executable() -> None:
    with pytest.raises(ReadError) as caught:
        read_file(DATA / "docx" / "bad" / "renamed-executable.docx")
    assert caught.value.reason == "unsupported-format"
    assert "ELF executable" in str(caught.value)


def test_size_limit_is_checked_first_and_named(tmp_path: Path) -> None:
    size = POLICY.stat().st_size
    with pytest.raises(ReadError) as caught:
        read_file(POLICY, max_bytes=10_000)
    assert caught.value.reason == "too-large"
    assert f"({size} bytes)" in str(caught.value) and "(10000 bytes)" in str(caught.value)
    # the limit applies before detection: an oversized executable is refused for its size
    big = tmp_path / "stor.bin"
    big.write_bytes(b"\x7fELF" + bytes(20_000))
    with pytest.raises(ReadError) as caught:
        read_file(big, max_bytes=10_000)
    assert caught.value.reason == "too-large"


def test_default_limit_is_50_mb(tmp_path: Path) -> None:
    path = tmp_path / "kæmpe.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert caught.value.reason == "too-large"
    assert "over the size limit of 50.0 MB" in str(caught.value)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    with pytest.raises(ReadError) as caught:
        read_file(empty)
    assert caught.value.reason == "empty"
    with pytest.raises(ReadError) as caught:
        read_file(tmp_path / "findes-ikke.docx")
    assert caught.value.reason == "missing"
    assert "findes-ikke.docx" in str(caught.value)


def test_every_reason_is_documented() -> None:
    assert {"too-large", "unsupported-format", "corrupt", "zip-bomb", "xml-entities"} <= set(REASONS)
    with pytest.raises(ValueError):
        ReadError("x", reason="no-such-reason")

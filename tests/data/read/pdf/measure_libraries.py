"""Measure PDF text libraries on the reader's fixtures: what each gives (lines with font size, weight and
position), how right it is on the things a designed PDF needs, and how fast. Figures: docs/pdf-libraries.md.

Run from the repository root: ``.venv/bin/python tests/data/read/pdf/measure_libraries.py``. A library that is not
installed is left out (docling-parse is not a project dependency: install it in a scratch venv together with
pdfplumber and pypdfium2 to include it). Not a test: timings never go in tests.

Each library is used the way a reader would use it: its own line grouping (pdfplumber's
``extract_text_lines``, pdfium's text rectangles, docling-parse's text-line cells), with the font size and weight
of each line. On those lines the same simple rules count:

- headings: lines outside the page margins set larger than the body size, or bold at body size, merged when
  wrapped, compared with the fixtures' headings (exact text after numbering);
- hyphenation: whether the line order puts "handicap-" right before "politik ..." (so it can be joined);
- columns: lines on the two-column page that run across the gutter (mix both columns);
- characters: the en dash in "2025–2029", the "▪" bullet, and Danish letters.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = ["handicappolitik.pdf", "psykiatriplan.pdf", "vaerdighedspolitik.pdf"]
EXPECTED_HEADINGS = {
    "handicappolitik.pdf": ["Handicappolitik 2025–2029", "Forord", "Vision og værdier", "Værdier", "Indsatsområder",
                            "Bolig og hverdagsliv", "Beskæftigelse og uddannelse", "Opfølgning", "Kontakt"],
    "psykiatriplan.pdf": ["Psykiatriplan for Guldborgsund Kommune", "Baggrund", "Planens fire temaer",
                          "Tema 1: Tidlig hjælp", "Det vil vi måle", "Tema 2: Overgange",
                          "Tema 3 og 4: Bostøtte og pårørende", "Økonomi"],
    "vaerdighedspolitik.pdf": ["Værdighedspolitik 2026", "Indledning", "Hvorfor en værdighedspolitik",
                               "Hvem gælder politikken for", "Fire værdier", "Selvbestemmelse", "Respekt", "Tryghed",
                               "Nærvær", "Sådan arbejder vi med politikken", "Opfølgning", "Kontakt"],
}
GUTTER_X = 297.6  # the two-column page of handicappolitik.pdf (page 4)
BOLD = re.compile(r"bold|black|heavy", re.IGNORECASE)
NUMBERING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")
RUNS = 20


@dataclass
class Line:
    page: int
    text: str
    size: float
    bold: bool
    x0: float
    x1: float
    top: float
    """Distance from the top of the page."""
    height: float


def lines_pdfplumber(path: Path) -> list[Line]:
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            for line in page.extract_text_lines(return_chars=True):
                chars = [c for c in line["chars"] if c["text"].strip()]
                sizes = Counter(round(c["size"] * 2) / 2 for c in chars)
                bold = sum(1 for c in chars if BOLD.search(c["fontname"])) * 2 > len(chars)
                out.append(Line(n, line["text"], sizes.most_common(1)[0][0], bold, line["x0"], line["x1"],
                                line["top"], float(page.height)))
    return out


def lines_pypdfium2(path: Path) -> list[Line]:
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out = []
    doc = pdfium.PdfDocument(path)
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    for n in range(len(doc)):
        page = doc[n]
        height = page.get_height()
        text = page.get_textpage()
        for i in range(text.count_rects()):
            left, bottom, right, top = text.get_rect(i)
            chunk = text.get_text_bounded(left, bottom, right, top)
            if not chunk.strip():
                continue
            index = raw.FPDFText_GetCharIndexAtPos(text.raw, left + 1, (top + bottom) / 2, 3.0, 3.0)
            size = raw.FPDFText_GetFontSize(text.raw, index)
            raw.FPDFText_GetFontInfo(text.raw, index, buf, 256, ctypes.byref(flags))
            weight = raw.FPDFText_GetFontWeight(text.raw, index)
            bold = weight >= 600 or bool(BOLD.search(buf.value.decode("latin-1")))
            out.append(Line(n + 1, chunk, round(size * 2) / 2, bold, left, right, height - top, height))
    return out


def lines_docling_parse(path: Path) -> list[Line]:
    from docling_parse.pdf_parser import DoclingPdfParser

    out = []
    doc = DoclingPdfParser().load(str(path))
    for n in range(1, doc.number_of_pages() + 1):
        page = doc.get_page(n)
        height = page.dimension.height
        for cell in page.textline_cells:
            r = cell.rect
            size = abs(r.r_y2 - r.r_y0)  # no font size in the cells: the line box height stands in
            out.append(Line(n, cell.text, round(size * 2) / 2, bool(BOLD.search(cell.font_name)), r.r_x0, r.r_x1,
                            height - max(r.r_y0, r.r_y2), height))
    return out


LIBRARIES: dict[str, Callable[[Path], list[Line]]] = {
    "pdfplumber": lines_pdfplumber,
    "pypdfium2": lines_pypdfium2,
    "docling-parse": lines_docling_parse,
}


def headings(lines: list[Line]) -> list[str]:
    body_chars: Counter[float] = Counter()
    content = [ln for ln in lines if 0.1 * ln.height < ln.top < 0.9 * ln.height and "...." not in ln.text]
    for ln in content:
        body_chars[ln.size] += len(ln.text)
    body = body_chars.most_common(1)[0][0]
    found: list[str] = []
    prev: Line | None = None
    for ln in content:
        is_heading = (ln.size > body + 0.4 or (ln.bold and ln.size >= body - 0.4)) and len(ln.text.split()) <= 20
        if not is_heading:
            prev = None
            continue
        text = ln.text.strip()
        if prev is not None and prev.size == ln.size and prev.bold == ln.bold and prev.page == ln.page \
                and 0 < ln.top - prev.top < 2 * ln.size:
            found[-1] = f"{found[-1]} {text}"
        else:
            found.append(text)
        prev = ln
    return [NUMBERING.sub("", h) for h in found]


def measure(name: str, extract: Callable[[Path], list[Line]]) -> dict[str, str]:
    found = expected = false = 0
    for fixture in FIXTURES:
        got = headings(extract(HERE / fixture))
        want = EXPECTED_HEADINGS[fixture]
        found += sum(1 for h in want if h in got)
        expected += len(want)
        false += sum(1 for h in got if h not in want)
    lines = extract(HERE / "handicappolitik.pdf")
    texts = [ln.text.strip() for ln in lines]
    # pdfium marks a hyphen it takes for a line-end break as U+0002
    hyphen = any(a.endswith(("handicap-", "handicap\x02")) and b.startswith("politik") for a, b in zip(texts, texts[1:], strict=False))
    page4 = [ln for ln in lines if ln.page == 4 and 140 < ln.top < 400]
    mixed = sum(1 for ln in page4 if ln.x0 < GUTTER_X < ln.x1)
    whole = " ".join(texts)
    chars = ", ".join(f"{label} {'yes' if probe in whole else 'no'}"
                      for label, probe in (("en dash", "2025–2029"), ("▪", "▪"), ("æøå", "Løgstør")))
    pages = sum(len({ln.page for ln in extract(HERE / f)}) for f in FIXTURES)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for fixture in FIXTURES:
            extract(HERE / fixture)
        timings.append(time.perf_counter() - start)
    return {
        "library": name,
        "headings found": f"{found}/{expected}",
        "false headings": str(false),
        "hyphen joinable": "yes" if hyphen else "no",
        "lines across the gutter": f"{mixed}/{len(page4)}",
        "characters": chars,
        "ms/page": f"{1000 * statistics.median(timings) / pages:.1f}",
    }


def measure_reader() -> dict[str, str]:
    sys.path.insert(0, str(HERE.parents[3]))
    from ingest.read.blocks import BlockKind
    from ingest.read.pdf import read_pdf

    datas = {f: (HERE / f).read_bytes() for f in FIXTURES}
    docs = {f: read_pdf(d, file=f) for f, d in datas.items()}
    found = expected = false = 0
    for fixture, doc in docs.items():
        got = [NUMBERING.sub("", b.text) for b in doc.blocks if b.kind is BlockKind.HEADING]
        want = EXPECTED_HEADINGS[fixture]
        found += sum(1 for h in want if h in got)
        expected += len(want)
        false += sum(1 for h in got if h not in want)
    blocks = docs["handicappolitik.pdf"].blocks
    hyphen = any("Den nye handicappolitik er blevet" in b.text for b in blocks)
    page4 = [b for b in blocks if b.page == 4 and b.bbox]
    mixed = sum(1 for b in page4 if b.bbox and b.bbox[0] < GUTTER_X < b.bbox[2] and b.bbox[1] > 140)
    pages = sum(doc.pages or 0 for doc in docs.values())
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for data in datas.values():
            read_pdf(data, file="x")
        timings.append(time.perf_counter() - start)
    return {"library": "ingest.read.pdf (on pdfplumber)", "headings found": f"{found}/{expected}",
            "false headings": str(false), "hyphen joinable": "joined" if hyphen else "no",
            "lines across the gutter": f"{mixed}/{len(page4)} blocks", "characters": "as pdfplumber",
            "ms/page": f"{1000 * statistics.median(timings) / pages:.1f}"}


def main() -> None:
    rows = []
    for name, extract in LIBRARIES.items():
        try:
            rows.append(measure(name, extract))
        except ImportError as exc:
            print(f"{name}: not installed ({exc})", file=sys.stderr)
    try:
        rows.append(measure_reader())
    except ImportError as exc:
        print(f"reader: not importable ({exc})", file=sys.stderr)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(row.get(c, "") for c in columns) + " |")


if __name__ == "__main__":
    main()

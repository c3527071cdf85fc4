"""Measures the web-page candidates on the fixture pages: selectolax (our reader) against trafilatura.

Run from the repository root: ``.venv/bin/python tests/data/read/html/measure_libraries.py`` (trafilatura is
needed only for this measurement: ``.venv/bin/pip install trafilatura``).

For each page it prints, per library: the share of the page's content lines found in the output (content
recall), how many pieces of site chrome leaked in, whether headings, list nesting/numbers and table cells survive
as structure, and the median time of 20 runs.

Result (2026-12-01): both find all content on both pages; trafilatura lets the ``display:none`` paragraph through
on the page without ``<main>``, loses ``<ol start="4">``/``type="a"`` numbering and ``rowspan`` (the cells after a
merged one shift column, the caption becomes a header row), and takes 11-15 ms a page against 0.9-1.2 ms. Its
output is its own re-serialised text, so spans into the extracted text would need mapping back as well. Chosen:
selectolax (Lexbor), with our own boilerplate rules and container choice.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from ingest.read.html import read_html

HERE = Path(__file__).resolve().parent

CONTENT = [
    "Handicappolitik 2025-2028", "Byrådet vedtog den 22. januar 2025", "Vision", "Fire indsatsområder",
    "Uddannelse og beskæftigelse", "Det vil vi:", "med en fast kontaktperson fra 8. klasse",
    "Vi bygger 40 nye almene boliger", "Alle kommunale kulturhuse og haller", "Sådan måler vi",
    "antallet af klager over tilgængelighed", "Handleplan", "Center for Børn og Unge",
    "Kultur og Fritid, løbende i hele perioden", "Sådan blev politikken til", "Over 300 borgere deltog",
]
CHROME = ["cookies", "Tillad alle", "Gå til hovedindhold", "Politik og demokrati", "Politikker og strategier",
          "Del på Facebook", "Print siden", "Søg på holbaek.dk", "Psykiatripolitik", "Var siden nyttig",
          "Senest opdateret", "Kanalstræde", "Privatlivspolitik", "skjult"]


def _pages() -> dict[str, bytes]:
    spec = importlib.util.spec_from_file_location("html_fixtures", HERE / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    page = (HERE / "handicappolitik-holbaek.html").read_text(encoding="utf-8")
    return {"med <main>": page.encode(), "uden <main>, cp1252": fixtures.without_main(page)}


def ours(data: bytes) -> tuple[str, str]:
    doc = read_html(data, file="side.html")
    kinds = {b.kind.value for b in doc.blocks}
    numbers = sorted({b.number for b in doc.blocks if b.number})
    return doc.text, f"blocks {sorted(kinds)}, list depth {max(b.depth for b in doc.blocks)}, numbers {numbers}"


def trafilatura_xml(data: bytes) -> tuple[str, str]:
    import trafilatura

    xml = trafilatura.extract(data, output_format="xml", include_tables=True, include_formatting=False,
                              favor_recall=True) or ""
    text = trafilatura.extract(data, include_tables=True, favor_recall=True) or ""
    tags = sorted({t.split(">")[0].split()[0] for t in xml.split("<")[1:] if t and t[0] not in "/?!"})
    return text, f"xml elements {tags}"


def measure(name: str, fn: Callable[[bytes], tuple[str, str]], data: bytes) -> None:
    text, structure = fn(data)
    recall = sum(c in text for c in CONTENT) / len(CONTENT)
    leaked = [c for c in CHROME if c in text]
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - t0)
    print(f"  {name:12s} recall {recall:.2f}  chrome leaked {len(leaked)} {leaked}  "
          f"median {statistics.median(times) * 1000:.1f} ms\n  {'':12s} {structure}")


def main() -> None:
    candidates: list[tuple[str, Callable[[bytes], tuple[str, str]]]] = [("selectolax", ours)]
    if importlib.util.find_spec("trafilatura") is not None:
        candidates.append(("trafilatura", trafilatura_xml))
    for page, data in _pages().items():
        print(page)
        for name, fn in candidates:
            measure(name, fn, data)


if __name__ == "__main__":
    main()

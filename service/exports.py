"""CSV exports that Danish Excel opens as they are: the one place CSV is written for people.

Danish Excel reads a double-clicked .csv with the list separator of the Danish locale (semicolon) and, without a
byte-order mark, in the Windows code page (æøå garbled). So every export is UTF-8 with a BOM, semicolon-separated,
CRLF line ends and quoted per RFC 4180 (a field holding a semicolon, quote or line break is quoted, quotes
doubled); numbers have a decimal comma; columns are named in Danish and carry the document's title, year and page
and a link to the text's page. A text cell that Excel would read as a formula (it begins with = + - @ or a tab)
gets a leading apostrophe.

Pure functions from the response models (and the citations and scales they need) to bytes: search
(:func:`search_csv`), overlaps (:func:`overlaps_csv`) and compare (:func:`compare_csv`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from ingest.manifest import slugify
from service.citations import Citation
from service.compare import CompareResponse
from service.overlaps import NodeRef, OverlapsResponse
from service.pages.wording import node_url, type_label
from service.schemas import AncestorRef, SearchResponse
from service.strength import OverlapScale, search_strengths

BOM = b"\xef\xbb\xbf"
DELIMITER = ";"
MEDIA_TYPE = "text/csv; charset=utf-8"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | None


def text_cell(value: str) -> str:
    """A text as a cell: a leading apostrophe where Excel would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def number_cell(value: float, digits: int = 3) -> str:
    """A decimal number with a decimal comma, as Danish Excel reads numbers: 0,733."""
    return f"{value:.{digits}f}".replace(".", ",")


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_cell(value)
    return text_cell(value)


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A table as CSV for Danish Excel: UTF-8 with BOM, ';', CRLF, RFC 4180 quoting, decimal commas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return BOM + out.getvalue().encode("utf-8")


def filename(*parts: str | None) -> str:
    """A safe ASCII file name from ``parts``: "overlap-faxe-strategi-slagelse-2014.csv"."""
    slug = slugify("-".join(p for p in parts if p))[:80].rstrip("-")
    return (slug or "eksport") + ".csv"


def content_disposition(name: str) -> str:
    return f'attachment; filename="{name}"'


# --------------------------------------------------------------------------- shared columns
def _link(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _place(ancestors: Sequence[AncestorRef]) -> str:
    """The text's place below its document: "Spor 5 › Netværk" (the document itself left out)."""
    return " › ".join((a.label or type_label(a.type)) for a in ancestors[1:])


SOURCE_COLUMNS = ["Kommune", "Dokument", "År", "Side", "Link til teksten", "Originalfil"]


def _source_cells(citation: Citation | None, municipality: str, title: str, year: int, iri: str,
                  base_url: str) -> list[Cell]:
    if citation is None:
        return [municipality, title, year, None, _link(base_url, node_url(iri)), None]
    # "4–5" with an en dash: Excel would read "4-5" as a date
    pages = citation.page if citation.end_page in (None, citation.page) else citation.pages.removeprefix("side ")
    return [citation.municipality_name, citation.title, citation.year, pages, _link(base_url, citation.page_url),
            _link(base_url, citation.original_url)]


def _node_cells(node: NodeRef, citations: Mapping[str, Citation], base_url: str) -> list[Cell]:
    """Type, heading, text and source columns of one side of a pair."""
    doc = node.document
    return [type_label(node.type), node.label or "", node.text if node.text != node.label else "",
            *_source_cells(citations.get(node.id), doc.municipality, doc.title, doc.year, node.id, base_url)]


def _side_columns(side: str) -> list[str]:
    return [f"{name} {side}" for name in ("Type", "Overskrift", "Tekst", *SOURCE_COLUMNS)]


# --------------------------------------------------------------------------- search
SEARCH_COLUMNS = ["Nr.", "Styrke", "Hvorfor", "Type", "Overskrift", "Tekst", "Matchende indhold", "Placering",
                  *SOURCE_COLUMNS, "Score"]


def search_csv(response: SearchResponse, citations: Mapping[str, Citation], base_url: str) -> bytes:
    """One row per search result, best first."""
    rows: list[list[Cell]] = []
    for n, (r, strength) in enumerate(zip(response.results, search_strengths(response), strict=True), start=1):
        evidence = " | ".join(e.text for e in r.evidence)
        doc = r.document
        text = r.text if r.text != r.label else ""
        rows.append([n, strength.word, strength.reason, type_label(r.type), r.label or "", text, evidence,
                     _place(r.ancestors),
                     *_source_cells(citations.get(r.id), doc.municipality, doc.title, doc.year, r.id, base_url),
                     r.score])
    return excel_csv(SEARCH_COLUMNS, rows)


# --------------------------------------------------------------------------- overlaps
OVERLAP_COLUMNS = ["Styrke", "Hvorfor", "Score", *_side_columns("A"), *_side_columns("B"), "Fælles emner",
                   "Fælles ord"]


def overlaps_csv(response: OverlapsResponse, citations: Mapping[str, Citation], scale: OverlapScale,
                 base_url: str) -> bytes:
    """One row per overlapping pair, best first."""
    rows: list[list[Cell]] = []
    for p in response.pairs:
        e = p.explanation
        topics = [t.label for t in e.shared_topics]
        strength = scale.strength(p.score, e.kind, e.level, e.shared_terms, topics, e.aligned_children)
        rows.append([strength.word, strength.reason, p.score, *_node_cells(p.a, citations, base_url),
                     *_node_cells(p.b, citations, base_url), ", ".join(topics), ", ".join(e.shared_terms)])
    return excel_csv(OVERLAP_COLUMNS, rows)


# --------------------------------------------------------------------------- compare
COMPARE_COLUMNS = ["Afsnit", "Score", *_side_columns("(fra)"), *_side_columns("(til)"), "Status"]


def compare_sections(response: CompareResponse) -> tuple[str, str, str]:
    """The Danish names of the carried-over, new and dropped sections (across municipalities: both have, only
    the later has, only the earlier has)."""
    if response.same_municipality:
        return "Videreført", "Nyt", "Ikke ført videre"
    return "Begge har", "Kun det senere dokument", "Kun det tidligere dokument"


def compare_csv(response: CompareResponse, citations: Mapping[str, Citation], base_url: str) -> bytes:
    """One row per carried-over theme and its later theme, per new and per dropped theme, and per goal of a
    follow-up report with its activities' status."""
    carried, new, dropped = compare_sections(response)
    empty: list[Cell] = [None] * (3 + len(SOURCE_COLUMNS))
    rows: list[list[Cell]] = []
    for theme in response.carried_over:
        for partner in theme.partners:
            rows.append([carried, partner.score, *_node_cells(theme.from_theme, citations, base_url),
                         *_node_cells(partner.to_theme, citations, base_url), None])
    rows += [[new, None, *empty, *_node_cells(n, citations, base_url), None] for n in response.new]
    rows += [[dropped, None, *_node_cells(n, citations, base_url), *empty, None] for n in response.dropped]
    for follow_up in response.follow_ups:
        section = f"Opfølgning: {follow_up.report.title}"
        for goal in follow_up.goals:
            if not goal.reports:
                rows.append([section, None, *_node_cells(goal.goal, citations, base_url), *empty, "ikke rapporteret"])
            for report in goal.reports:
                statuses = ", ".join(f"{a.activity.label or a.activity.text}: {a.status_class}"
                                     for a in report.activities)
                rows.append([section, report.score, *_node_cells(goal.goal, citations, base_url),
                             *_node_cells(report.goal, citations, base_url), statuses or None])
    return excel_csv(COMPARE_COLUMNS, rows)


def compare_nodes(response: CompareResponse) -> list[str]:
    """Every node a compare export cites."""
    out = [n.id for t in response.carried_over for n in (t.from_theme, *(p.to_theme for p in t.partners))]
    out += [n.id for n in (*response.new, *response.dropped)]
    out += [n.id for f in response.follow_ups for g in f.goals for n in (g.goal, *(r.goal for r in g.reports))]
    return out

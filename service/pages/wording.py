"""Danish words for the pages, and the Jinja2 filters that render highlights, links and numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from ontology.node_types import (
    DOCUMENT,
    DOCUMENT_FILTER,
    FILTER_TYPES,
    NODE_TYPES,
    danish_name,
    danish_plural,
)

# Danish names of the node types, from the ontology (rdfs:label@da, or sg:shortLabel where the pages use a shorter one).
TYPE_LABELS = {t: danish_name(t).capitalize() for t in (*NODE_TYPES, DOCUMENT, DOCUMENT_FILTER)}

# The type filter of the search form: containers first (their results show matching statements as evidence).
SEARCH_TYPES = list(FILTER_TYPES)

MODE_LABELS = {"hybrid": "Kombineret (betydning og ord)", "semantic": "Betydning", "keyword": "Ord"}

LINK_LABELS = {
    "forGoal": "Hører til målet",
    "hasStatus": "Rapporteret status",
    "followsUp": "Følger op på",
    "carriesOver": "Videreført fra",
}

ATTR_LABELS = {"number": "Nummer", "subtitle": "Undertitel", "issuer": "Udsteder", "role": "Rolle", "box": "Boks"}

KIND_LABELS = {
    "strategy": "Strategi",
    "policy": "Politik",
    "political-bearings": "Politiske pejlemærker",
    "strategy-proposal": "Strategiforslag",
    "follow-up-report": "Opfølgningsrapport",
}

METHOD_LABELS = {
    "hybrid-mnn": "gensidigt bedste match (betydning, ord og emne)",
    "hybrid-threshold": "score over den kalibrerede tærskel",
    "children": "samlet fra matchende underpunkter",
    "container": "samlet dækning af underpunkter",
    "lexical": "ordmatch",
    "embedding": "betydning (vektor)",
    "lexical+embedding": "ord og betydning",
}


def type_label(value: str | None) -> str:
    return TYPE_LABELS.get(value or "", value or "")


def plural(count: int | float | None, singular: str, plural_form: str) -> str:
    """``count`` with the Danish noun in the right number: "1 princip", "2 principper", "0 principper"."""
    n = count or 0
    shown = f"{n:,}".replace(",", ".") if isinstance(n, int) else number(n, 1)
    return f"{shown} {singular if n == 1 else plural_form}"


def type_plural(node_type: str | None) -> str:
    """The plural of a type's label, lower case, from the ontology (sg:pluralLabel): "principper", "pejlemærker"."""
    try:
        return danish_plural(node_type or "")
    except KeyError:
        return type_label(node_type).lower()


def type_count(count: int | None, node_type: str | None) -> str:
    """A count of nodes of one type: "1 princip", "3 pejlemærker" (lower case, right number)."""
    return plural(count, type_label(node_type).lower(), type_plural(node_type))


def highlight(text: str | None, spans: Iterable[Sequence[int]] | None) -> Markup:
    """``text`` escaped, with each character range of ``spans`` wrapped in <mark>."""
    text = text or ""
    out: list[str] = []
    pos = 0
    for start, end in sorted((int(s[0]), int(s[1])) for s in (spans or ())):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def shorten(text: str | None, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def capfirst(value: str | None) -> str:
    value = value or ""
    return value[:1].upper() + value[1:]


def node_url(iri: str, doc_id: str | None = None, node_type: str | None = None) -> str:
    """The page of a node; a document's IRI goes to its document page."""
    if node_type in ("StrategyDocument", "Document") and doc_id:
        return document_url(doc_id)
    return "/node?" + urlencode({"id": iri})


def document_url(doc_id: str) -> str:
    return "/dokument/" + quote(doc_id, safe="")


def anchor(iri: str) -> str:
    """A fragment id for a node on its document page (from the IRI path under /id/)."""
    tail = iri.split("/id/", 1)[-1]
    return "k-" + "".join(c if c.isalnum() else "-" for c in tail)


def number(value: float | None, digits: int = 2) -> str:
    """A decimal number the Danish way (comma as decimal separator)."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}".replace(".", ",")


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{round(value * 100)} %"


def heat(value: float | None) -> str:
    """CSS class of a heat-map cell: h0 (none) … h10 (full) in tenths."""
    if not value or value <= 0:
        return "h0"
    return f"h{max(1, min(10, round(value * 10)))}"


def query_string(**params: object) -> str:
    """``?a=1&b=2`` of the params that have a value (lists repeat the key)."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            pairs.extend((key, str(v)) for v in value)
        else:
            pairs.append((key, str(value)))
    return "?" + urlencode(pairs) if pairs else ""


FILTERS = {
    "type_label": type_label,
    "highlight": highlight,
    "shorten": shorten,
    "node_url": node_url,
    "document_url": document_url,
    "anchor": anchor,
    "number": number,
    "percent": percent,
    "heat": heat,
    "capfirst": capfirst,
    "plural": plural,
    "type_count": type_count,
    "type_plural": type_plural,
}

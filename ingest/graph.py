"""Parsed document trees → an rdflib Graph using only ontology terms (see ontology/strategigraf.ttl)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ingest.language.words import stem, words
from ingest.manifest import DocumentEntry, Manifest, SourceText
from ingest.model import Node, NodeKind, ParsedDocument
from ontology import ID, OA, ORG, PREFIXES, SG


@dataclass(frozen=True)
class ParsedSource:
    """One manifest entry with its source text (decoded, or extracted from PDF/DOCX/HTML) and its tree."""

    entry: DocumentEntry
    source: SourceText
    parsed: ParsedDocument
    format: str = "text"
    """Format detected from the file's content (``pdf``, ``docx``, ``html``, ``markdown``, ``text`` …)."""
    page_starts: tuple[tuple[int, int], ...] = ()
    """(offset in the source text, 1-based page) where each page's text begins, sorted; empty without pages."""

    def page_at(self, offset: int) -> int | None:
        """The page of the original file the character at ``offset`` of the source text is on."""
        import bisect

        i = bisect.bisect_right(self.page_starts, (offset, 1 << 30)) - 1
        return self.page_starts[i][1] if i >= 0 else None


def slug(text: str) -> str:
    """ASCII slug for IRIs: 'Handicap- og Socialpsykiatriudvalget' → 'handicap-og-socialpsykiatriudvalget'."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def document_iri(doc_id: str) -> URIRef:
    return ID[doc_id]


def node_iri(doc_id: str, key: str) -> URIRef:
    return ID[f"{doc_id}/{key}"]


def municipality_iri(key: str) -> URIRef:
    return ID[f"municipality/{key}"]


def committee_iri(municipality: str, committee: str) -> URIRef:
    return ID[f"committee/{municipality}/{slug(committee)}"]


def stems(text: str) -> set[str]:
    """Danish Snowball stems of the words of ``text`` longer than two letters."""
    return {s for s in map(stem, words(text)) if len(s) > 2}


class _LineIndex:
    """Character offset → 1-based line number, by binary search over newline positions."""

    def __init__(self, text: str) -> None:
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line(self, offset: int) -> int:
        import bisect

        return bisect.bisect_left(self.newlines, offset) + 1


def _bind(graph: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)


def _add_selector(graph: Graph, iri: URIRef, file: str, start: int, end: int, lines: _LineIndex,
                  page: int | None = None) -> None:
    graph.add((iri, RDF.type, OA.TextPositionSelector))
    if page is not None:
        graph.add((iri, SG.page, Literal(page, datatype=XSD.positiveInteger)))
    graph.add((iri, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((iri, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    graph.add((iri, SG.sourceFile, Literal(file)))
    graph.add((iri, SG.startLine, Literal(lines.line(start), datatype=XSD.positiveInteger)))
    graph.add((iri, SG.endLine, Literal(lines.line(max(start, end - 1)), datatype=XSD.positiveInteger)))


def _add_node(graph: Graph, doc: ParsedSource, node: Node, parent: URIRef, order: int, lines: _LineIndex) -> None:
    doc_id = doc.entry.id
    iri = node_iri(doc_id, node.key)
    graph.add((iri, RDF.type, SG[node.kind.value]))
    graph.add((iri, SG.inDocument, document_iri(doc_id)))
    graph.add((iri, DCTERMS.isPartOf, parent))
    graph.add((parent, DCTERMS.hasPart, iri))
    graph.add((iri, SG.text, Literal(node.text, lang="da")))
    graph.add((iri, SG.order, Literal(order, datatype=XSD.integer)))
    if node.label:
        graph.add((iri, SKOS.prefLabel, Literal(node.label, lang="da")))
    for name, value in node.attrs.items():
        if name == "subtitle":
            graph.add((iri, SG.subtitle, Literal(value, lang="da")))
        elif name in ("number", "issuer"):
            graph.add((iri, SG[name], Literal(value)))
    file = doc.entry.file
    span = URIRef(f"{iri}/span")
    graph.add((iri, SG.sourceSpan, span))
    _add_selector(graph, span, file, node.start, node.end, lines, doc.page_at(node.start))
    for i, (start, end) in enumerate(node.segments, start=1):
        seg = URIRef(f"{iri}/span/{i}")
        graph.add((iri, SG.sourceSegment, seg))
        _add_selector(graph, seg, file, start, end, lines, doc.page_at(start))
        graph.add((seg, SG.order, Literal(i, datatype=XSD.integer)))
    for prop, target in node.links:
        graph.add((iri, SG[prop], node_iri(doc_id, target)))
    if node.kind is NodeKind.ACTIVITY and (parent, RDF.type, SG.Goal) in graph \
            and not any(prop == "forGoal" for prop, _ in node.links):
        graph.add((iri, SG.forGoal, parent))  # an activity listed under a goal serves it
    if node.kind is NodeKind.RELATED_DOCUMENT:
        graph.add((document_iri(doc_id), DCTERMS.references, iri))
    for order_child, child in enumerate(node.children, start=1):
        _add_node(graph, doc, child, iri, order_child, lines)


def _add_document(graph: Graph, manifest: Manifest, doc: ParsedSource) -> None:
    entry = doc.entry
    iri = document_iri(entry.id)
    muni = manifest.municipalities[entry.municipality]
    graph.add((iri, RDF.type, SG.StrategyDocument))
    graph.add((iri, DCTERMS.title, Literal(entry.title, lang="da")))
    graph.add((iri, SKOS.prefLabel, Literal(entry.title, lang="da")))
    graph.add((iri, SG.municipality, municipality_iri(muni.key)))
    graph.add((iri, SG.year, Literal(entry.year, datatype=XSD.integer)))
    graph.add((iri, SG.documentKind, Literal(entry.kind)))
    graph.add((iri, SG.sourceFormat, Literal(doc.format)))
    graph.add((iri, SG.sha256, Literal(doc.source.sha256)))
    graph.add((iri, DCTERMS.source, Literal(entry.file)))
    if entry.period:
        graph.add((iri, SG.period, Literal(entry.period)))
    date = entry.date or doc.parsed.attrs.get("date")
    if date:
        dtype = XSD.date if len(date) == 10 else XSD.gYearMonth if len(date) == 7 else XSD.gYear
        graph.add((iri, DCTERMS.issued, Literal(date, datatype=dtype)))
    committee = committee_iri(muni.key, entry.committee)
    graph.add((iri, DCTERMS.publisher, committee))
    graph.add((committee, RDF.type, SG.Committee))
    graph.add((committee, RDF.type, ORG.OrganizationalUnit))
    graph.add((committee, SKOS.prefLabel, Literal(entry.committee, lang="da")))
    graph.add((committee, RDFS.label, Literal(entry.committee, lang="da")))
    graph.add((committee, ORG.unitOf, municipality_iri(muni.key)))
    for theme in doc.parsed.themes:
        graph.add((iri, SG.theme, Literal(theme, lang="da")))
    for rel, targets in entry.relations.items():
        for target in targets:
            target_iri = document_iri(target)
            if rel == "follows_up":
                graph.add((iri, SG.followsUp, target_iri))
            elif rel == "carries_forward":
                graph.add((iri, SG.carriesForward, target_iri))
            elif rel == "revises":
                graph.add((iri, PROV.wasRevisionOf, target_iri))
    lines = _LineIndex(doc.source.text)
    for order, node in enumerate(doc.parsed.nodes, start=1):
        _add_node(graph, doc, node, iri, order, lines)


def _add_municipality(graph: Graph, manifest: Manifest, key: str) -> None:
    muni = manifest.municipalities[key]
    iri = municipality_iri(key)
    graph.add((iri, RDF.type, SG.Municipality))
    graph.add((iri, RDF.type, ORG.FormalOrganization))
    graph.add((iri, SKOS.prefLabel, Literal(muni.name, lang="da")))
    graph.add((iri, RDFS.label, Literal(muni.name, lang="da")))
    if muni.code:
        graph.add((iri, SG.municipalityCode, Literal(muni.code)))


def link_followed_up_focus_areas(graph: Graph, docs: dict[str, ParsedSource], min_overlap: float = 0.5) -> int:
    """Link each FocusArea of a follow-up report to the focus area of the followed-up document it names.

    A theme matches the focus area whose label and text share the largest part of the theme's own stems
    (at least ``min_overlap``); themes that name no earlier focus area stay unlinked.
    """
    added = 0
    for doc in docs.values():
        for target_id in doc.entry.relations.get("follows_up", ()):
            target = docs.get(target_id)
            if target is None:
                continue
            candidates = [n for n in target.parsed.all_nodes() if n.kind is NodeKind.FOCUS_AREA]
            for theme in (n for n in doc.parsed.all_nodes() if n.kind is NodeKind.FOCUS_AREA):
                theme_stems = stems(theme.label or theme.text)
                if not theme_stems:
                    continue
                best, best_score = None, 0.0
                for cand in candidates:
                    cand_stems = stems(f"{cand.label or ''} {cand.text}")
                    score = len(theme_stems & cand_stems) / len(theme_stems)
                    if score > best_score:
                        best, best_score = cand, score
                if best is not None and best_score >= min_overlap:
                    graph.add((node_iri(doc.entry.id, theme.key), SG.followsUp, node_iri(target_id, best.key)))
                    added += 1
    return added


def build_graph(manifest: Manifest, docs: dict[str, ParsedSource]) -> Graph:
    """The whole corpus as one graph: municipalities, committees, documents and every node."""
    graph = Graph()
    _bind(graph)
    for key in sorted({d.entry.municipality for d in docs.values()}):
        _add_municipality(graph, manifest, key)
    for doc in docs.values():
        _add_document(graph, manifest, doc)
    link_followed_up_focus_areas(graph, docs)
    return graph


def relative_file(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


__all__ = ["ParsedSource", "build_graph", "document_iri", "node_iri", "slug", "stems"]

"""Denormalised records of documents and nodes, written into a build for fast serving and search.

Row ``i`` of the build's vectors and of its keyword index is ``nodes[i]``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ingest.graph import ParsedSource, document_iri, node_iri
from ingest.manifest import Manifest
from ingest.model import Node, line_of_offset
from ontology.node_types import HEADED_ELEMENTS


class SourceSpan(BaseModel):
    file: str = Field(description="Source file, relative to the corpus folder")
    start: int = Field(description="Start character offset of the node in the decoded source text")
    end: int = Field(description="End character offset (exclusive)")
    start_line: int = Field(description="1-based line of the start offset")
    end_line: int = Field(description="1-based line of the last character")
    segments: list[tuple[int, int]] = Field(description="Exact pieces of the source the text was read from")
    page: int | None = Field(default=None, description="1-based page of the original file where the node begins "
                             "(formats with pages: PDF, Word, pdftotext text)")
    end_page: int | None = Field(default=None, description="1-based page where the node ends")


class Ancestor(BaseModel):
    id: str = Field(description="IRI of the ancestor")
    type: str = Field(description="Ontology class local name of the ancestor")
    label: str | None = Field(description="Heading or title of the ancestor")


class DocumentRecord(BaseModel):
    id: str = Field(description="Stable document id, e.g. slagelse-2024-2030")
    iri: str = Field(description="IRI of the document")
    title: str = Field(description="The document's title")
    municipality: str = Field(description="Municipality key, e.g. slagelse")
    municipality_name: str = Field(description="Municipality name, e.g. Slagelse Kommune")
    year: int = Field(description="Year the document belongs to")
    period: str | None = Field(description="Period the document covers, e.g. 2024-2030")
    date: str | None = Field(description="Date the text states (ISO)")
    kind: str = Field(description="strategy, policy, political-bearings, strategy-proposal or follow-up-report")
    committee: str = Field(description="Committee or centre behind the document")
    file: str = Field(description="Source file, relative to the corpus folder")
    format: str = Field(default="text", description="Format detected from the file's content (pdf, docx, html, "
                        "markdown, text, pdftotext, web-transcript)")
    themes: list[str] = Field(description="Cross-cutting themes the document names for itself")
    relations: dict[str, list[str]] = Field(description="Relations to other documents by id")


class NodeRecord(BaseModel):
    id: str = Field(description="IRI of the node")
    key: str = Field(description="Path of the node within its document")
    doc: str = Field(description="Id of the node's document")
    type: str = Field(description="Ontology class local name")
    label: str | None = Field(description="Heading or title, when the node has one")
    text: str = Field(description="The node's own text, whitespace normalised")
    order: int = Field(description="1-based position among its siblings")
    parent: str = Field(description="IRI of the parent node or document")
    ancestors: list[Ancestor] = Field(description="Ancestors root first, the document included")
    children: list[str] = Field(description="IRIs of the children in order")
    source: SourceSpan = Field(description="Where the text came from")
    attrs: dict[str, str] = Field(description="Extra facts (number, subtitle, issuer …)")
    links: dict[str, list[str]] = Field(description="Links to other nodes by ontology property")
    context: str = Field(description="Text embedded and indexed: ancestor headings, then label and own text")


def embedding_context(node: Node, ancestors: list[Ancestor]) -> str:
    """Ancestor headings before the node's own label and text, so a bullet carries its track's meaning."""
    heads = [a.label for a in ancestors[1:] if a.label]
    own = node.text if not node.label or node.label == node.text else f"{node.label}. {node.text}"
    return (" › ".join(heads) + ": " + own) if heads else own


def build_records(manifest: Manifest, docs: dict[str, ParsedSource]) -> tuple[list[DocumentRecord], list[NodeRecord]]:
    documents: list[DocumentRecord] = []
    nodes: list[NodeRecord] = []
    for doc in docs.values():
        entry = doc.entry
        muni = manifest.municipalities[entry.municipality]
        documents.append(DocumentRecord(
            id=entry.id, iri=str(document_iri(entry.id)), title=entry.title, municipality=muni.key,
            municipality_name=muni.name, year=entry.year, period=entry.period,
            date=entry.date or doc.parsed.attrs.get("date"), kind=entry.kind, committee=entry.committee,
            file=entry.file, format=doc.format, themes=list(doc.parsed.themes),
            relations={k: list(v) for k, v in entry.relations.items()},
        ))
        root = Ancestor(id=str(document_iri(entry.id)), type="StrategyDocument", label=entry.title)
        for i, top in enumerate(doc.parsed.nodes, start=1):
            _visit(nodes, doc, top, [root], root.id, i)
    return documents, nodes


def _visit(out: list[NodeRecord], doc: ParsedSource, node: Node, ancestors: list[Ancestor], parent: str,
           order: int) -> None:
    doc_id, file, text = doc.entry.id, doc.entry.file, doc.source.text
    iri = str(node_iri(doc_id, node.key))
    links: dict[str, list[str]] = {}
    for prop, target in node.links:
        links.setdefault(prop, []).append(str(node_iri(doc_id, target)))
    out.append(NodeRecord(
        id=iri, key=node.key, doc=doc_id, type=node.kind.value, label=node.label, text=node.text,
        order=order, parent=parent, ancestors=list(ancestors),
        children=[str(node_iri(doc_id, c.key)) for c in node.children],
        source=SourceSpan(file=file, start=node.start, end=node.end,
                          start_line=line_of_offset(text, node.start),
                          end_line=line_of_offset(text, max(node.start, node.end - 1)),
                          segments=list(node.segments), page=doc.page_at(node.start),
                          end_page=doc.page_at(max(node.start, node.end - 1))),
        attrs=dict(node.attrs), links=links, context=embedding_context(node, ancestors),
    ))
    me = Ancestor(id=iri, type=node.kind.value, label=node.label or _short(node))
    for i, child in enumerate(node.children, start=1):
        _visit(out, doc, child, [*ancestors, me], iri, i)


def _short(node: Node, limit: int = 60) -> str:
    if node.kind not in HEADED_ELEMENTS:  # a node without a heading is named by its text
        return node.text if len(node.text) <= limit else node.text[: limit - 1].rstrip() + "…"
    return node.text


def records_payload(documents: list[DocumentRecord], nodes: list[NodeRecord]) -> dict[str, Any]:
    return {"documents": [d.model_dump() for d in documents], "nodes": [n.model_dump() for n in nodes]}

"""Pure functions behind the browsing routes: document list, document tree, node detail with its source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ingest.records import Ancestor, DocumentRecord, NodeRecord
from service.generation import Generation
from service.schemas import DocumentRef

CONTEXT_CHARS = 300


class DocumentSummary(BaseModel):
    id: str = Field(description="Document id")
    iri: str = Field(description="IRI of the document")
    title: str = Field(description="Title")
    municipality: str = Field(description="Municipality key")
    municipality_name: str = Field(description="Municipality name")
    year: int = Field(description="Year")
    kind: str = Field(description="Document kind")
    committee: str = Field(description="Committee or centre behind it")
    node_count: int = Field(description="Number of nodes in the document")


class TreeNode(BaseModel):
    id: str = Field(description="IRI")
    type: str = Field(description="Ontology class local name")
    label: str | None = Field(description="Heading or title")
    text: str = Field(description="Own text")
    children: list[TreeNode] = Field(description="Children in document order")


class DocumentDetail(BaseModel):
    document: DocumentRecord = Field(description="Document metadata")
    tree: list[TreeNode] = Field(description="The document's nodes as a tree")


class NodeLink(BaseModel):
    id: str = Field(description="IRI")
    type: str = Field(description="Ontology class local name")
    label: str | None = Field(description="Heading or title")
    text: str = Field(description="Own text")


class SourceContext(BaseModel):
    file: str = Field(description="Source file relative to the corpus folder")
    start: int = Field(description="Start offset of the node")
    end: int = Field(description="End offset of the node (exclusive)")
    start_line: int = Field(description="First line")
    end_line: int = Field(description="Last line")
    segments: list[tuple[int, int]] = Field(description="Exact pieces the text was read from")
    before: str = Field(description="Source text just before the span")
    span: str = Field(description="The source text of the span, markup included")
    after: str = Field(description="Source text just after the span")
    page: int | None = Field(default=None, description="1-based page of the original file where the node begins")
    end_page: int | None = Field(default=None, description="1-based page where the node ends")
    format: str = Field(default="text", description="Format of the original file (pdf, docx, html, markdown, text …)")
    original: str | None = Field(default=None, description="Path of the original file on this service, opened at "
                                 "the node's page where the format has pages")


class NodeDetail(BaseModel):
    id: str = Field(description="IRI")
    type: str = Field(description="Ontology class local name")
    label: str | None = Field(description="Heading or title")
    text: str = Field(description="Own text")
    attrs: dict[str, str] = Field(description="Extra facts: number, subtitle, issuer …")
    document: DocumentRef = Field(description="The node's document")
    ancestors: list[Ancestor] = Field(description="Ancestors root first")
    children: list[NodeLink] = Field(description="Children in order")
    links: dict[str, list[NodeLink]] = Field(description="Links to other nodes by property (forGoal, hasStatus …)")
    topics: list[dict[str, Any]] = Field(default_factory=list, description="Topics the node is tagged with")
    overlaps: list[dict[str, Any]] = Field(default_factory=list, description="Overlapping nodes in other documents")
    source: SourceContext = Field(description="The node's span with the source text around it")


def node_counts(gen: Generation) -> dict[str, int]:
    """How many nodes each document has, by document id (a document without nodes is absent)."""
    counts: dict[str, int] = {}
    for n in gen.nodes:
        counts[n.doc] = counts.get(n.doc, 0) + 1
    return counts


def list_documents(gen: Generation) -> list[DocumentSummary]:
    counts = node_counts(gen)
    return [DocumentSummary(id=d.id, iri=d.iri, title=d.title, municipality=d.municipality,
                            municipality_name=d.municipality_name, year=d.year, kind=d.kind,
                            committee=d.committee, node_count=counts.get(d.id, 0))
            for d in gen.documents.values()]


def document_tree(gen: Generation, doc_id: str) -> DocumentDetail | None:
    doc = gen.documents.get(doc_id)
    if doc is None:
        return None
    built: dict[str, TreeNode] = {}
    roots: list[TreeNode] = []
    for n in gen.nodes:
        if n.doc != doc_id:
            continue
        tree = TreeNode(id=n.id, type=n.type, label=n.label, text=n.text, children=[])
        built[n.id] = tree
        parent = built.get(n.parent)
        (parent.children if parent is not None else roots).append(tree)
    return DocumentDetail(document=doc, tree=roots)


def _link(node: NodeRecord) -> NodeLink:
    return NodeLink(id=node.id, type=node.type, label=node.label, text=node.text)


def read_source_text(corpora_dir: Path, file: str) -> str:
    """A corpus file's decoded text; the name comes from the build's records, never from a request."""
    from ingest.manifest import read_source

    root = corpora_dir.resolve()
    path = (root / file).resolve()
    if root not in path.parents:
        raise PermissionError(f"{file} is outside the corpus folder")
    return read_source(path).text


def original_link(doc_id: str, page: int | None) -> str:
    """Where the service serves a document's original file; a PDF viewer opens it at ``#page=N``."""
    return f"/documents/{doc_id}/original" + (f"#page={page}" if page else "")


def node_detail(gen: Generation, iri: str, source_text: str | None) -> NodeDetail | None:
    node = gen.node(iri)
    if node is None:
        return None
    doc = gen.documents[node.doc]
    children = [gen.nodes[gen.position[c]] for c in node.children]
    links = {prop: [_link(gen.nodes[gen.position[t]]) for t in targets if t in gen.position]
             for prop, targets in node.links.items()}
    s, e = node.source.start, node.source.end
    text = source_text or ""
    ctx = SourceContext(file=node.source.file, start=s, end=e, start_line=node.source.start_line,
                        end_line=node.source.end_line, segments=node.source.segments,
                        before=text[max(0, s - CONTEXT_CHARS):s], span=text[s:e], after=text[e:e + CONTEXT_CHARS],
                        page=node.source.page, end_page=node.source.end_page, format=doc.format,
                        original=original_link(doc.id, node.source.page))
    return NodeDetail(id=node.id, type=node.type, label=node.label, text=node.text, attrs=node.attrs,
                      document=DocumentRef(id=doc.id, title=doc.title, municipality=doc.municipality,
                                           year=doc.year),
                      ancestors=node.ancestors, children=[_link(c) for c in children], links=links,
                      topics=gen.topics_of(node.id), overlaps=gen.overlaps_of(node.id), source=ctx)

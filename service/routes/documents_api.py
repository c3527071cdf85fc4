"""GET /documents, /documents/{id}, /nodes/{id}."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import APIRouter, Response

from service.browse import (
    DocumentDetail,
    DocumentSummary,
    NodeDetail,
    document_tree,
    list_documents,
    node_detail,
)
from service.deps import GenerationDep, SettingsDep
from service.problems import Problem, not_found
from service.sources import source_text_for

router = APIRouter(tags=["browse"])


@router.get("/documents", response_model=list[DocumentSummary], summary="All documents in the build")
def documents_route(gen: GenerationDep) -> list[DocumentSummary]:
    return list_documents(gen)


@router.get("/documents/{doc_id}", response_model=DocumentDetail, summary="A document's metadata and node tree")
def document_route(doc_id: str, gen: GenerationDep) -> DocumentDetail:
    detail = document_tree(gen, doc_id)
    if detail is None:
        raise not_found("document", doc_id)
    return detail


ORIGINAL_MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


@router.get("/documents/{doc_id}/original", summary="The document's original file, byte for byte",
            response_class=Response, responses={200: {"content": {t: {} for t in ORIGINAL_MEDIA_TYPES.values()}}})
def original_route(doc_id: str, gen: GenerationDep, settings: SettingsDep) -> Response:
    """The file as it was added to corpora/, if it still has the checksum the build recorded."""
    entry = gen.manifest.get("corpora", {}).get(doc_id)
    if entry is None:
        raise not_found("document", doc_id)
    root = Path(settings.corpora_dir).resolve()
    path = (root / entry["file"]).resolve()
    if root not in path.parents or not path.is_file():
        raise not_found("original file of document", doc_id)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise Problem(409, "Conflict", f"the original of {doc_id} changed since the build; rebuild first")
    media = ORIGINAL_MEDIA_TYPES.get(entry.get("format", "text"), "text/plain; charset=utf-8")
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'inline; filename="{Path(entry["file"]).name}"'})


@router.get("/nodes/{node_path:path}", response_model=NodeDetail,
            summary="One node: text, place in the tree, links, topics, overlaps and source span")
def node_route(node_path: str, gen: GenerationDep, settings: SettingsDep) -> NodeDetail:
    """``node_path`` is the node's IRI, or its path under /id/ (e.g. slagelse-2024-2030/track/5)."""
    iri = resolve_node_iri(node_path)
    node = gen.node(iri)
    if node is None:
        raise not_found("node", node_path)
    detail = node_detail(gen, iri, source_text_for(settings, gen, node.source.file))
    assert detail is not None
    return detail


def resolve_node_iri(ident: str) -> str:
    from ontology import ID_NS

    if ident.startswith(("http://", "https://")):
        return ident
    if ident.startswith("https:/"):  # a proxy may squash the double slash of an IRI in a path
        return "https://" + ident[len("https:/"):]
    return ID_NS + ident.strip("/")

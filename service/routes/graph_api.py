"""GET /graph (the whole graph) and dereferenceable node IRIs under /id/."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from service.conneg import negotiate
from service.deps import GenerationDep
from service.problems import Problem, not_found
from service.rdf import describe

router = APIRouter(tags=["graph"])

GRAPH_FORMATS = {
    "text/turtle": "graph.ttl",
    "application/n-triples": "graph.nt",
    "application/ld+json": "graph.jsonld",
}
DESCRIBE_FORMATS = ["text/turtle", "application/ld+json", "application/n-triples"]


@router.get("/graph", summary="The whole graph as Turtle, N-Triples or JSON-LD (by Accept)",
            responses={200: {"content": {m: {} for m in GRAPH_FORMATS}}, 406: {"description": "Not acceptable"}})
def graph_route(request: Request, gen: GenerationDep) -> Response:
    media = negotiate(request.headers.get("accept"), list(GRAPH_FORMATS))
    if media is None:
        raise Problem(406, "Not acceptable", f"the graph is served as {', '.join(GRAPH_FORMATS)}")
    ext = GRAPH_FORMATS[media].rsplit(".", 1)[1]
    return FileResponse(gen.path / GRAPH_FORMATS[media], media_type=media,
                        headers={"Content-Disposition": f'inline; filename="strategigraf.{ext}"', "Vary": "Accept"})


@router.get("/id/{path:path}", summary="Dereference a node or document IRI",
            responses={200: {"content": {"text/html": {}, **{m: {} for m in DESCRIBE_FORMATS}}},
                       303: {"description": "See the HTML page"}, 406: {"description": "Not acceptable"}})
def dereference(path: str, request: Request, gen: GenerationDep) -> Response:
    """HTML clients are sent (303) to the node's page; RDF clients get the node's description (200)."""
    from ontology import ID_NS

    iri = ID_NS + path.strip("/")
    doc_id = path.strip("/")
    is_doc = doc_id in gen.documents
    if not is_doc and gen.node(iri) is None:
        raise not_found("resource", path)
    media = negotiate(request.headers.get("accept"), ["text/html", *DESCRIBE_FORMATS])
    if media is None:
        raise Problem(406, "Not acceptable", f"offered: text/html, {', '.join(DESCRIBE_FORMATS)}")
    if media == "text/html":
        target = f"/dokument/{doc_id}" if is_doc else f"/node?id={iri}"
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})
    return Response(describe(gen.store, iri, media), media_type=media, headers={"Vary": "Accept"})


__all__ = ["HTMLResponse", "router"]

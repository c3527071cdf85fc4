"""GET /graph (the whole graph), and every IRI the graph mints dereferenceable on this server: /id/… (documents,
nodes, their source selectors and topic assignments, overlaps, municipalities, committees), /topic/… (the SKOS
topics and their scheme) and /ontology (the ontology and, by fragment, its terms).

Browsers get a page (nodes and documents: 303 to their page; topics: 303 to the topic page; the rest: an HTML
page at the IRI's own path); RDF clients get Turtle, JSON-LD or N-Triples by Accept, or by ``?format=`` for a link
a person can click.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from service.conneg import negotiate
from service.deps import GenerationDep
from service.problems import Problem, not_found
from service.resources import describe_resource, is_described, kind_of, ontology_rdf
from service.sparql.execution import describe

router = APIRouter(tags=["graph"])

GRAPH_FORMATS = {
    "text/turtle": "graph.ttl",
    "application/n-triples": "graph.nt",
    "application/ld+json": "graph.jsonld",
}
DESCRIBE_FORMATS = ["text/turtle", "application/ld+json", "application/n-triples"]
FORMAT_NAMES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
                "html": "text/html"}
FormatQuery = Annotated[str | None, Query(description="ttl, jsonld, nt or html: overrides the Accept header "
                                                      "(for links people click)")]
DEREF_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/html": {}, **{m: {} for m in DESCRIBE_FORMATS}}},
    303: {"description": "See the resource's HTML page"}, 406: {"description": "Not acceptable"}}


@router.get("/graph", summary="The whole graph as Turtle, N-Triples or JSON-LD (by Accept)",
            responses={200: {"content": {m: {} for m in GRAPH_FORMATS}}, 406: {"description": "Not acceptable"}})
def graph_route(request: Request, gen: GenerationDep) -> Response:
    media = negotiate(request.headers.get("accept"), list(GRAPH_FORMATS))
    if media is None:
        raise Problem(406, "Not acceptable", f"the graph is served as {', '.join(GRAPH_FORMATS)}")
    ext = GRAPH_FORMATS[media].rsplit(".", 1)[1]
    return FileResponse(gen.path / GRAPH_FORMATS[media], media_type=media,
                        headers={"Content-Disposition": f'inline; filename="strategigraf.{ext}"', "Vary": "Accept"})


def _media(request: Request, fmt: str | None) -> str:
    """The representation to answer with: ``?format=`` when given, else the best offer for the Accept header."""
    if fmt:
        if fmt not in FORMAT_NAMES:
            raise Problem(422, "Invalid parameters", f"format must be one of {', '.join(FORMAT_NAMES)}",
                          kind="invalid-parameters")
        return FORMAT_NAMES[fmt]
    media = negotiate(request.headers.get("accept"), ["text/html", *DESCRIBE_FORMATS])
    if media is None:
        raise Problem(406, "Not acceptable", f"offered: text/html, {', '.join(DESCRIBE_FORMATS)}")
    return media


def _rdf(data: bytes, media: str) -> Response:
    return Response(data, media_type=media, headers={"Vary": "Accept"})


@router.get("/id/{path:path}", summary="Dereference an IRI under /id/ (document, node, municipality, committee, "
            "overlap, source selector, topic assignment)", responses=DEREF_RESPONSES)
def dereference(path: str, request: Request, gen: GenerationDep, format: FormatQuery = None) -> Response:
    """Nodes and documents: HTML clients are sent (303) to their page. Every other resource has its HTML page
    here. RDF clients get the resource's description (200)."""
    from ontology import ID_NS
    from service.pages.resource_views import resource_page

    iri = ID_NS + path.strip("/")
    kind = kind_of(iri, gen)
    if kind not in ("document", "node") and not is_described(gen, iri):
        raise not_found("resource", path)
    media = _media(request, format)
    if media != "text/html":
        return _rdf(describe(gen.store, iri, media), media)
    if kind == "document":
        return RedirectResponse(f"/dokument/{path.strip('/')}", status_code=303, headers={"Vary": "Accept"})
    if kind == "node":
        return RedirectResponse(f"/node?id={iri}", status_code=303, headers={"Vary": "Accept"})
    view = describe_resource(gen, iri)
    assert view is not None
    return resource_page(request, view)


@router.get("/topic/{topic_id:path}", summary="Dereference a topic IRI (sgt:…) or the topic scheme",
            responses=DEREF_RESPONSES)
def dereference_topic(topic_id: str, request: Request, gen: GenerationDep, format: FormatQuery = None) -> Response:
    """HTML clients are sent (303) to the topic's page (the scheme: the list of topics); RDF clients get the
    concept's description from the graph."""
    from ontology import TOPIC_NS

    iri = TOPIC_NS + topic_id.strip("/")
    if not is_described(gen, iri):
        raise not_found("topic", topic_id)
    media = _media(request, format)
    if media != "text/html":
        return _rdf(describe(gen.store, iri, media), media)
    target = "/emner" if kind_of(iri, gen) == "topic-scheme" else "/emner/" + topic_id.strip("/")
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


@router.get("/ontology", summary="The ontology (its terms are fragments of this IRI)", responses=DEREF_RESPONSES)
def dereference_ontology(request: Request, format: FormatQuery = None) -> Response:
    """The ontology's page for browsers (each term an anchor: /ontology#Track); the ontology file for RDF clients."""
    from service.pages.resource_views import ontology_page

    media = _media(request, format)
    if media != "text/html":
        return _rdf(ontology_rdf(media), media)
    return ontology_page(request)

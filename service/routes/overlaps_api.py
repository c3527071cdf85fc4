"""GET /overlaps, /overlaps/matrix and /compare (the work is in service/overlaps.py and service/compare.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from service import exports
from service.citations import citations
from service.compare import CompareError, CompareResponse, compare_documents
from service.conneg import negotiate
from service.deps import GenerationDep
from service.overlaps import (
    MATRIX_FORMATS,
    AnalysisMissingError,
    MatrixResponse,
    OverlapError,
    OverlapsResponse,
    UnknownDocumentError,
    coverage_matrix,
    heatmap_for,
    list_overlaps,
)
from service.problems import Problem, not_found
from service.strength import overlap_scale

router = APIRouter(tags=["overlaps"])

OVERLAP_MEDIA = ["application/json", "text/csv"]
MATRIX_MEDIA = list(MATRIX_FORMATS.values())
DocParam = Annotated[str | None, Query(description="Document id, e.g. slagelse-2024-2030")]
TableFormat = Annotated[Literal["json", "csv"] | None, Query(
    description="json or csv (overrides Accept): csv is a file Danish Excel opens (UTF-8 with BOM, ';', decimal "
                "comma, Danish column names)")]
#: 404 (unknown document), 406 and 422 (bad level, min_score, format; /compare of a document with itself) are
#: documented app-wide as problem+json.
ANALYSIS_MISSING = {"description": "The live build has no analysis (rebuild)",
                    "content": {"application/problem+json": {}}}


def _problem(exc: Exception) -> Problem:
    if isinstance(exc, UnknownDocumentError):
        return not_found("document", exc.doc_id)
    if isinstance(exc, AnalysisMissingError):
        return Problem(503, "Analysis missing", str(exc), kind="analysis-missing")
    return Problem(422, "Invalid parameters", str(exc), kind="invalid-parameters")


def _not_acceptable(offers: list[str]) -> Problem:
    return Problem(406, "Not acceptable", f"offered: {', '.join(offers)}")


@router.get("/overlaps", response_model=OverlapsResponse,
            summary="Statements, principles, tracks … of two documents that say the same thing",
            responses={200: {"content": {"text/csv": {}}}, 503: ANALYSIS_MISSING})
def overlaps_route(
    request: Request,
    gen: GenerationDep,
    a: DocParam = None,
    b: DocParam = None,
    level: Annotated[str | None, Query(description="statement, principle, track, bearing, goal, focusarea, "
                                                   "activity, passage or vision: pairs with a node of this type")] = None,
    min_score: Annotated[float | None, Query(description="Lowest score, 0-1")] = None,
    topic: Annotated[str | None, Query(description="Topic id (skos:notation, as in /topics), e.g. "
                                                   "netvaerk-og-paaroerende: pairs whose two nodes share this topic")] = None,
    format: TableFormat = None,
) -> Response | OverlapsResponse:
    """Without a and b: every cross-document overlap. CSV with ``format=csv`` or ``Accept: text/csv``."""
    media = "text/csv" if format == "csv" else "application/json" if format == "json" else (
        negotiate(request.headers.get("accept"), OVERLAP_MEDIA))
    if media is None:
        raise _not_acceptable(OVERLAP_MEDIA)
    try:
        result = list_overlaps(gen, a, b, level, min_score, topic)
    except (UnknownDocumentError, OverlapError, AnalysisMissingError) as exc:
        raise _problem(exc) from exc
    if media == "text/csv":
        cited = citations(gen, (n.id for p in result.pairs for n in (p.a, p.b)))
        body = exports.overlaps_csv(result, cited, overlap_scale(gen), str(request.base_url))
        return Response(body, media_type=exports.MEDIA_TYPE, headers={
            "Content-Disposition": exports.content_disposition(exports.filename("overlap", a, b)), "Vary": "Accept"})
    return result


@router.get("/overlaps/matrix", response_model=MatrixResponse,
            summary="Coverage matrix of two documents' containers, as JSON or a heat map (PNG, SVG)",
            responses={200: {"content": {m: {} for m in MATRIX_MEDIA if m != "application/json"}},
                       503: ANALYSIS_MISSING})
async def matrix_route(
    request: Request,
    gen: GenerationDep,
    a: Annotated[str, Query(description="Document of the rows, e.g. slagelse-2024-2030")],
    b: Annotated[str, Query(description="Document of the columns, e.g. faxe-strategi")],
    level_a: Annotated[str | None, Query(description="Container type of the rows (default: the document's themes, "
                                                     "e.g. track)")] = None,
    level_b: Annotated[str | None, Query(description="Container type of the columns (e.g. principle)")] = None,
    format: Annotated[str | None, Query(description="json, png or svg (overrides Accept)")] = None,
) -> Response | MatrixResponse:
    if format is not None:
        fmt = format.strip().lower()
        if fmt not in MATRIX_FORMATS:
            raise Problem(422, "Invalid parameters", f"format must be one of {', '.join(MATRIX_FORMATS)}",
                          kind="invalid-parameters")
        media = MATRIX_FORMATS[fmt]
    else:
        negotiated = negotiate(request.headers.get("accept"), MATRIX_MEDIA)
        if negotiated is None:
            raise _not_acceptable(MATRIX_MEDIA)
        media = negotiated
        fmt = next(k for k, v in MATRIX_FORMATS.items() if v == media)
    try:
        matrix = await run_in_threadpool(coverage_matrix, gen, a, b, level_a, level_b)
    except (UnknownDocumentError, OverlapError, AnalysisMissingError) as exc:
        raise _problem(exc) from exc
    if fmt == "json":
        return matrix
    image = await run_in_threadpool(heatmap_for, gen, matrix, fmt)
    return Response(image, media_type=media, headers={
        "Content-Disposition": f'inline; filename="overlap-{a}-{b}.{fmt}"', "Vary": "Accept"})


@router.get("/compare", response_model=CompareResponse, tags=["compare"],
            summary="Evolution within a municipality: themes carried over, new, dropped; follow-up status",
            responses={200: {"content": {"text/csv": {}}}, 503: ANALYSIS_MISSING})
def compare_route(
    request: Request,
    gen: GenerationDep,
    from_: Annotated[str, Query(alias="from", description="The earlier document, e.g. slagelse-2014 (a later one is "
                                                            "swapped with to, and the response says so in notes)")],
    to: Annotated[str, Query(description="The later document, e.g. slagelse-2024-2030")],
    format: TableFormat = None,
) -> Response | CompareResponse:
    """Two documents of one municipality, from the earlier to the later. A reversed pair is turned around and two
    municipalities are compared too (themes both have, themes only one has); both come with a Danish note."""
    try:
        result = compare_documents(gen, from_, to)
    except (UnknownDocumentError, CompareError, AnalysisMissingError) as exc:
        raise _problem(exc) from exc
    if format == "csv":
        body = exports.compare_csv(result, citations(gen, exports.compare_nodes(result)), str(request.base_url))
        name = exports.filename("sammenligning", result.from_document.id, result.to_document.id)
        return Response(body, media_type=exports.MEDIA_TYPE,
                        headers={"Content-Disposition": exports.content_disposition(name)})
    return result

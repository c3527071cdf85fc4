"""GET /health: ready only when graph, index and embedder are loaded."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ingest.embed.batching import BatchStats
from service.deps import StateDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(description="'ready' or 'loading'")
    build_id: str | None = Field(description="Id of the live build generation")
    model: str | None = Field(description="Embedding model of the live build")
    counts: dict[str, object] = Field(description="Documents, nodes and triples of the live build")
    index: dict[str, object] = Field(description="Vector index kind and size")
    embedder: dict[str, int | float] | None = Field(default=None, description="The query embedder's batching since "
                                              "start: requests, model calls (batches), distinct texts, largest and "
                                              "mean batch, other calls, seconds in query calls of the model")


def _batching(embedder: object) -> dict[str, int | float] | None:
    stats = getattr(embedder, "stats", None)
    return stats.as_dict() if isinstance(stats, BatchStats) else None


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def health(state: StateDep) -> JSONResponse:
    """On the event loop (no thread hand-off): every figure is at hand, the triple count counted once per
    generation."""
    if not state.ready:
        body = Health(status="loading", build_id=None, model=None, counts={}, index={})
        return JSONResponse(body.model_dump(), status_code=503)
    gen = state.generation
    counts = gen.manifest["counts"]
    body = Health(status="ready", build_id=gen.build_id, model=gen.model,
                  counts={"documents": counts["documents"], "nodes": counts["nodes"], "triples": gen.triple_count,
                          "per_class": counts["per_class"]},
                  index=gen.manifest["index"], embedder=_batching(state.embedder))
    return JSONResponse(body.model_dump())

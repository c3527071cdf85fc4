"""The help page (/hjaelp: what the data is, how to ask, what the scores mean, how to cite) and the page about
the data (/om-data: the documents of the loaded build with their sources and dates).

Everything these pages state about the data is read from the live generation (its documents, its build manifest
and its analysis parameters) and, for where a text came from, from the corpus manifest: nothing is written for
one corpus.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ingest.errors import IngestError
from ingest.manifest import load_manifest
from ontology import ID_NS
from service.browse import node_counts
from service.deps import GenerationDep, SettingsDep
from service.generation import Generation
from service.pages.security import SecureRoute
from service.pages.views import municipality_choices, render

log = logging.getLogger("strategigraf")
router = APIRouter(route_class=SecureRoute, include_in_schema=False, default_response_class=HTMLResponse)


@dataclass(frozen=True)
class ScoreBand:
    """One of the words the pages use for an overlap's strength, with the scores it covers."""

    name: str
    text_pairs: str
    containers: str


def score_bands(gen: Generation) -> list[ScoreBand]:
    """Stærk, middel and svag overlaps as the build's analysis parameters define them."""
    params: dict[str, Any] = gen.analysis.get("parameters", {}).get("overlaps", {})
    strong, listed = params.get("strong"), params.get("threshold")
    floor = params.get("mnn_floor")
    c_strong, c_listed = params.get("container_strong"), params.get("container_threshold")
    if strong is None or listed is None or c_strong is None or c_listed is None:
        return []

    def n(x: float) -> str:
        return f"{x:.2f}".replace(".", ",")

    weak_text = f"under {n(listed)}" + (f" (ned til {n(floor)}, når de to er hinandens bedste match)" if floor else "")
    return [ScoreBand("Stærk", f"{n(strong)} eller mere", f"{n(c_strong)} eller mere"),
            ScoreBand("Middel", f"fra {n(listed)} til under {n(strong)}", f"fra {n(c_listed)} til under {n(c_strong)}"),
            ScoreBand("Svag", weak_text, f"under {n(c_listed)}")]


def citation_example(gen: Generation) -> dict[str, Any] | None:
    """A real principle (else any headed node) of the loaded build, to show how a passage is cited."""
    node = next((n for n in gen.nodes if n.type == "Principle"), None) or \
        next((n for n in gen.nodes if n.label), None)
    if node is None:
        return None
    return {"node": node, "doc": gen.documents[node.doc]}


@router.get("/hjaelp", name="help_page")
def help_page(request: Request, gen: GenerationDep) -> Response:
    """Sådan bruger du Strategigraf."""
    munis = municipality_choices(gen)
    topics = sorted((str(t["label"]) for t in gen.analysis.get("topics", [])), key=str.lower)
    params = gen.analysis.get("parameters", {}).get("topics", {})
    return render(request, "help.html", nav="help", documents=len(gen.documents), munis=munis,
                  nodes=len(gen.nodes), topics=topics, bands=score_bands(gen),
                  topic_min=params.get("min_confidence"), example=citation_example(gen))


def corpus_sources(settings: Any) -> dict[str, Any]:
    """The corpus manifest's entries by document id (for where each text came from); empty when unreadable."""
    try:
        return {d.id: d for d in load_manifest(settings.corpora_dir).documents}
    except (IngestError, OSError) as exc:
        log.warning("about page: corpus manifest unreadable: %s", exc)
        return {}


@router.get("/om-data", name="about_data_page")
def about_data_page(request: Request, gen: GenerationDep, settings: SettingsDep) -> Response:
    """The documents of the live build: title, municipality, year, date, committee, format and source."""
    entries = corpus_sources(settings)
    built = gen.manifest.get("corpora", {})
    docs = sorted(gen.documents.values(), key=lambda d: (d.municipality_name, d.year, d.id))
    counts = node_counts(gen)
    rows = [{"doc": d, "entry": entries.get(d.id), "built": built.get(d.id, {}), "nodes": counts.get(d.id, 0)}
            for d in docs]
    return render(request, "about.html", nav="about", rows=rows, manifest=gen.manifest, id_ns=ID_NS,
                  munis=municipality_choices(gen), topics=len(gen.analysis.get("topics", [])),
                  overlaps=len(gen.analysis.get("overlaps", [])))

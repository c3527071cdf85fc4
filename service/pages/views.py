"""The web pages (HTML, Danish): thin routes that call the API's pure functions and render templates.

Pages: / (search), /dokumenter, /dokument/{id}, /node?id=<IRI>, /overlap, /sammenlign, /emner,
/emner/{id} and /sparql-editor; static files under /static. Every response carries the security headers
of :mod:`service.pages.security` (Content-Security-Policy without inline script, nosniff, Referrer-Policy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ontology import ID_NS
from ontology.node_types import NODE_TYPES, OVERLAP_TYPES, THEMATIC, danish_plural
from service import question
from service.browse import document_tree, list_documents, node_detail
from service.citations import citations, cite
from service.deps import GenerationDep, SettingsDep
from service.generation import Generation
from service.pages import wording
from service.pages.security import SecureRoute
from service.problem_messages import danish as danish_problem
from service.schemas import Mode, SearchResponse
from service.search import SearchError, SearchParams, search
from service.sources import source_text_for
from service.sparql.catalogue import catalogue
from service.strength import LEVEL_WORDS, overlap_scale, search_strengths, topic_scale

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,  # every value is escaped unless a filter returns Markup (wording.highlight does, escaping)
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
env.filters.update(wording.FILTERS)
env.globals.update(type_labels=wording.TYPE_LABELS, mode_labels=wording.MODE_LABELS,
                   link_labels=wording.LINK_LABELS, attr_labels=wording.ATTR_LABELS,
                   kind_labels=wording.KIND_LABELS, method_labels=wording.METHOD_LABELS,
                   query_string=wording.query_string, level_words=LEVEL_WORDS)
templates = Jinja2Templates(env=env)
static_files = StaticFiles(directory=STATIC_DIR)

router = APIRouter(route_class=SecureRoute, include_in_schema=False, default_response_class=HTMLResponse)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found_page(request: Request, message: str) -> Response:
    return render(request, "error.html", 404, title="Ikke fundet", message=message, nav="")


# --------------------------------------------------------------------------- shared context
@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def municipality_choices(gen: Generation) -> list[Choice]:
    names: dict[str, str] = {}
    for d in gen.documents.values():
        names.setdefault(d.municipality, d.municipality_name)
    return [Choice(k, v) for k, v in sorted(names.items(), key=lambda kv: kv[1])]


def municipality_names(gen: Generation) -> dict[str, str]:
    return {c.value: c.label for c in municipality_choices(gen)}


def document_choices(gen: Generation) -> list[Choice]:
    docs = sorted(gen.documents.values(), key=lambda d: (d.municipality, d.year, d.id))
    return [Choice(d.id, f"{d.municipality_name} {d.year}: {d.title}") for d in docs]


def topic_choices(gen: Generation) -> list[Choice]:
    topics = gen.analysis.get("topics", [])
    return sorted((Choice(str(t["id"]), str(t["label"])) for t in topics), key=lambda c: c.label.lower())


def years(gen: Generation) -> list[int]:
    return sorted({d.year for d in gen.documents.values()})


# --------------------------------------------------------------------------- static files
@router.get("/static/{path:path}", name="static")
async def static(path: str, request: Request) -> Response:
    """The pages' CSS, JS and vendored front-end packages (no build step, no CDN)."""
    return await static_files.get_response(path, request.scope)


# --------------------------------------------------------------------------- search
def _int_or_none(value: str | None, name: str, errors: list[str]) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        errors.append(f"{name} skal være et årstal, fx 2024 (fik {value!r}).")
        return None


@router.get("/", name="search_page")
def search_page(request: Request, gen: GenerationDep, settings: SettingsDep, q: str = "", type: str = "",
                municipality: str = "", document: str = "", year_from: str = "", year_to: str = "",
                topic: str = "", mode: str = "hybrid", k: str = "10", literal: str = "") -> Response:
    """The search box with filters; results are rendered on the server (the form works without JS). A question
    is understood (types, municipality, years … read from it) unless ``literal`` is set; the page says what
    was understood and links to the literal search."""
    errors: list[str] = []
    form = {"q": q, "type": type, "municipality": municipality, "document": document, "year_from": year_from,
            "year_to": year_to, "topic": topic, "mode": mode if mode in Mode.__members__ else "hybrid",
            "k": k if k in ("10", "20", "50") else "10", "literal": "1" if literal in ("1", "true", "on") else ""}
    response = None
    understood_as: str | None = None
    notes: list[str] = []
    question_link = False
    if q.strip():
        asked = SearchParams(
            q=q, k=int(form["k"]), types=(type,) if type else (), municipality=municipality or None,
            document=document or None, year_from=_int_or_none(year_from, "Fra år", errors),
            year_to=_int_or_none(year_to, "Til år", errors), mode=Mode(form["mode"]), topic=topic or None,
            max_query_chars=settings.max_query_chars)
        if not errors:
            params, interpreted = question.search_params(gen, asked, literal=bool(form["literal"]))
            try:
                response = search(gen, params).model_copy(update={"query": q, "interpreted": interpreted})
            except SearchError as exc:
                errors.append(danish_problem(422, "invalid-parameters", str(exc)).detail)
            if response is not None and interpreted is not None and question.understood(interpreted, q):
                understood_as = question.describe(interpreted, gen)
                notes = interpreted.notes
            elif response is not None and form["literal"]:
                question_link = question.understood(question.search_params(gen, asked)[1], q)
    cited = citations(gen, (i for r in response.results for i in (r.id, *(e.id for e in r.evidence)))) \
        if response is not None else {}
    return render(request, "search.html", 422 if errors else 200, nav="search", form=form, response=response,
                  empty_query="q" in request.query_params and not q.strip(), citations=cited,
                  strengths=search_strengths(response) if response is not None else [],
                  errors=errors, search_types=wording.SEARCH_TYPES, municipalities=municipality_choices(gen),
                  muni_names=municipality_names(gen), documents=document_choices(gen), topics=topic_choices(gen),
                  years=years(gen), filtered=bool(type or municipality or document or year_from or year_to or topic),
                  understood_as=understood_as, notes=notes, question_link=question_link,
                  results_heading=_results_heading(response))


def _results_heading(response: SearchResponse | None) -> str:
    """ "3 principper", "1 resultat", "Ingen gode match" … for the results of a search (Danish number)."""
    if response is None:
        return ""
    n = len(response.results)
    if response.match == "none":
        return "Ingen gode match"
    if not n:
        return "Ingen resultater"
    types = response.interpreted.types if response.interpreted else []
    return wording.type_count(n, types[0]) if len(types) == 1 else wording.plural(n, "resultat", "resultater")


# --------------------------------------------------------------------------- documents
@router.get("/dokumenter", name="documents_page")
def documents_page(request: Request, gen: GenerationDep, settings: SettingsDep) -> Response:
    docs = sorted(list_documents(gen), key=lambda d: (d.municipality_name, d.year))
    return render(request, "documents.html", nav="documents", documents=docs,
                  upload_enabled=bool(settings.admin_token))


@router.get("/dokument/{doc_id}", name="document_page")
def document_page(doc_id: str, request: Request, gen: GenerationDep) -> Response:
    """The whole document as a collapsible tree (<details>/<summary>: works without JS)."""
    detail = document_tree(gen, doc_id)
    if detail is None:
        return not_found_page(request, f"Der er intet dokument med id »{doc_id}«.")
    count = sum(1 for n in gen.nodes if n.doc == doc_id)
    return render(request, "document.html", nav="documents", detail=detail, doc=detail.document,
                  node_count=count, muni_names=municipality_names(gen))


# --------------------------------------------------------------------------- node
def node_overlaps(gen: Generation, iri: str) -> list[dict[str, Any]]:
    """The node's overlaps in other documents, each with the other node and the overlap's explanation."""
    items = sorted(gen.overlaps_of(iri), key=lambda o: -float(o.get("score", 0)))
    wanted = {str(item.get("overlap")) for item in items}
    records = {str(o["id"]): o for o in gen.analysis.get("overlaps", []) if str(o.get("id")) in wanted}
    scale = overlap_scale(gen)
    topic_labels = {str(t["id"]): str(t["label"]) for t in gen.analysis.get("topics", [])}
    out = []
    for item in items:
        other = gen.node(str(item.get("node")))
        if other is None:
            continue
        record = records.get(str(item.get("overlap")), {})
        mine_is_a = record.get("a") == iri
        out.append({
            "other": other, "doc": gen.documents[other.doc], "score": item.get("score"),
            "method": item.get("method"), "kind": item.get("kind"), "level": record.get("level"),
            "shared_terms": record.get("shared_terms", []), "shared_topics": record.get("shared_topics", []),
            "via_mine": record.get("via_a" if mine_is_a else "via_b"),
            "via_other": record.get("via_b" if mine_is_a else "via_a"),
            "strength": scale.strength(float(item.get("score", 0.0)), record.get("kind"), record.get("level"),
                                       record.get("shared_terms", []),
                                       [topic_labels.get(t, t) for t in record.get("shared_topics", [])],
                                       int(record.get("aligned_children", 0) or 0)),
            "citation": cite(gen, other.id),
        })
    return out


@router.get("/node", name="node_page")
def node_page(request: Request, gen: GenerationDep, settings: SettingsDep, id: str = "") -> Response:
    """One node: text, place in the document tree, source span, topics and overlaps."""
    from service.routes.documents_api import resolve_node_iri

    if not id.strip():
        return not_found_page(request, "Siden skal have en teksts henvisning (en adresse under /id/) i parameteren id.")
    iri = resolve_node_iri(id.strip())
    node = gen.node(iri)
    if node is None:
        for doc in gen.documents.values():
            if doc.iri == iri:
                return RedirectResponse(wording.document_url(doc.id), status_code=303)
        return not_found_page(request, f"Der er ingen tekst med henvisningen »{id}«.")
    detail = node_detail(gen, iri, source_text_for(settings, gen, node.source.file))
    assert detail is not None
    topic_labels = {t["id"]: t["label"] for t in gen.analysis.get("topics", [])}
    local = node.id[len(ID_NS):] if node.id.startswith(ID_NS) else node.id
    tags_scale = topic_scale(gen)
    return render(request, "node.html", nav="", node=detail, record=node, doc=gen.documents[node.doc],
                  overlaps=node_overlaps(gen, iri), topic_labels=topic_labels, json_path="/nodes/" + local,
                  citation=cite(gen, iri), topic_strengths={t["topic"]: tags_scale.strength(t) for t in detail.topics})


# --------------------------------------------------------------------------- SPARQL
@router.get("/sparql-editor", name="sparql_page")
def sparql_page(request: Request) -> Response:
    """YASGUI (vendored) against /sparql, with the example queries one click away."""
    return render(request, "sparql.html", nav="sparql", examples=catalogue())


# --------------------------------------------------------------------------- overlaps
# The levels overlaps are found at (service.overlaps.LEVELS), named by the ontology's Danish plurals.
LEVEL_CHOICES = [Choice("", "Alle niveauer"),
                 *(Choice(t.lower(), danish_plural(t).capitalize()) for t in NODE_TYPES if t in OVERLAP_TYPES)]
# How strong a pair must be (service.strength.OverlapScale: the words the pairs are shown with).
STRENGTH_CHOICES = [Choice("", "Alle"), Choice("medium", "Stærke og middel"), Choice("strong", "Kun stærke")]
STRENGTHS_KEPT: dict[str, tuple[str, ...]] = {"": ("strong", "medium", "weak"), "medium": ("strong", "medium"),
                                              "strong": ("strong",)}
# The page's filters, in the order its links carry them.
OVERLAP_FILTERS = ("a", "b", "level", "strength", "topic", "min_score", "container_a", "container_b")


def document_pair_counts(gen: Generation) -> list[dict[str, Any]]:
    """How many overlaps each pair of documents has (earlier document first), most first."""
    counts: dict[tuple[str, str], int] = {}
    for o in gen.analysis.get("overlaps", []):
        na, nb = gen.node(o["a"]), gen.node(o["b"])
        if na is None or nb is None or na.doc == nb.doc:
            continue
        da, db = sorted((gen.documents[na.doc], gen.documents[nb.doc]), key=lambda d: (d.year, d.id))
        counts[(da.id, db.id)] = counts.get((da.id, db.id), 0) + 1
    return [{"a": gen.documents[a], "b": gen.documents[b], "count": n}
            for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _min_score(value: str, errors: list[str]) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        errors.append(f"Mindste score skal være et tal mellem 0 og 1 (fik »{value}«).")
        return None


def _overlap_view(gen: Generation, form: dict[str, str], errors: list[str]) -> dict[str, Any] | None:
    """What the overlap page shows for two documents: the heat map with each cell's pairs counted (under the
    filters in use), the topics the pairs share with their counts, and the pairs under their containers (of the
    chosen heat-map cell, row or column, when one is chosen)."""
    from service import overlaps as ov

    def href(**changes: str) -> str:
        return "/overlap" + wording.query_string(**{k: changes.get(k, form[k]) for k in OVERLAP_FILTERS})

    min_score = _min_score(form["min_score"], errors)
    if errors:
        return None
    listed = ov.list_overlaps(gen, form["a"], form["b"], level=form["level"] or None, min_score=min_score)
    scale = overlap_scale(gen)
    labels = ov.topic_labels(gen)
    strengths = {p.explanation.overlap: scale.strength(
        p.score, p.explanation.kind, p.explanation.level, p.explanation.shared_terms,
        [t.label for t in p.explanation.shared_topics], p.explanation.aligned_children) for p in listed.pairs}
    kept = [p for p in listed.pairs if strengths[p.explanation.overlap].level in STRENGTHS_KEPT[form["strength"]]]
    try:
        matrix: ov.MatrixResponse | None = ov.coverage_matrix(gen, form["a"], form["b"])
    except ov.OverlapError:  # a document without containers: pairs without a heat map
        matrix = None
    level_a, level_b = (matrix.level_a, matrix.level_b) if matrix else (None, None)
    chosen = {side: form[f"container_{side}"] for side in ("a", "b") if form[f"container_{side}"]}
    selection: dict[str, ov.Container] = {}
    for side, iri in chosen.items():
        node = gen.node(iri)
        if node is None or node.doc != form[side]:
            errors.append(f"Dokument {side.upper()} har intet punkt med henvisningen »{iri}«.")
        else:
            selection[side] = ov.describe_container(gen, iri)
    ov.check_topic(labels, form["topic"] or None)
    if errors:
        return None

    def in_selection(pair: ov.OverlapPair) -> bool:
        ca, cb = ov.pair_containers(pair, level_a, level_b)
        return chosen.get("a", ca) == ca and chosen.get("b", cb) == cb

    topics = ov.topic_counts(p for p in kept if in_selection(p))
    if form["topic"] and form["topic"] not in {t.id for t, _ in topics}:
        topics = sorted([*topics, (ov.TopicRef(id=form["topic"], label=labels[form["topic"]]), 0)],
                        key=lambda tn: tn[0].label.lower())
    on_topic = [p for p in kept if not form["topic"] or form["topic"] in {t.id for t in p.explanation.shared_topics}]
    shown = [p for p in on_topic if in_selection(p)]
    cells: list[list[dict[str, Any]]] = []
    if matrix is not None:
        counts = ov.cell_counts(matrix, on_topic)
        cells = [[{"score": s, "count": counts[i][j],
                   "level": scale.level(s, "container") if s > 0 else "none",
                   "href": href(container_a=matrix.rows[i].id, container_b=matrix.columns[j].id) + "#pairs-heading"}
                  for j, s in enumerate(row)] for i, row in enumerate(matrix.scores)]
    return {
        "matrix": matrix, "cells": cells, "groups": ov.group_by_container(gen, shown, level_a, level_b),
        "count": len(shown), "total": len(listed.pairs), "topics": topics, "strengths": strengths,
        "selection": selection, "topic_label": labels.get(form["topic"], ""),
        "row_hrefs": [href(container_a=r.id, container_b="") + "#pairs-heading" for r in matrix.rows] if matrix else [],
        "column_hrefs": [href(container_a="", container_b=c.id) + "#pairs-heading" for c in matrix.columns]
        if matrix else [],
        "all_href": href(container_a="", container_b="") + "#pairs-heading",
        "unfiltered_href": href(level="", strength="", topic="", min_score="", container_a="", container_b=""),
        "csv_href": "/overlaps" + wording.query_string(a=form["a"], b=form["b"], level=form["level"],
                                                       min_score=form["min_score"], topic=form["topic"], format="csv"),
        "json_href": "/overlaps" + wording.query_string(a=form["a"], b=form["b"], level=form["level"],
                                                        min_score=form["min_score"], topic=form["topic"]),
    }


@router.get("/overlap", name="overlap_page")
def overlap_page(request: Request, gen: GenerationDep, a: str = "", b: str = "", level: str = "",
                 strength: str = "", topic: str = "", min_score: str = "", container_a: str = "",
                 container_b: str = "") -> Response:
    """Two documents side by side: a heat map of their containers whose cells link to the pairs they count, and
    the pairs under their containers, filtered by level, strength and topic (GET parameters, combinable)."""
    from service import overlaps as ov

    form = {"a": a, "b": b, "level": level if level in {c.value for c in LEVEL_CHOICES} else "",
            "strength": strength if strength in STRENGTHS_KEPT else "", "topic": topic.strip(),
            "min_score": min_score.strip(), "container_a": container_a.strip(), "container_b": container_b.strip()}
    errors: list[str] = []
    view = None
    if not gen.analysis.get("overlaps") and "overlaps" not in gen.analysis:
        errors.append("Den aktuelle build har ingen overlapsanalyse. Kør `strategigraf ingest` igen.")
    elif a and b:
        try:
            view = _overlap_view(gen, form, errors)
        except ov.UnknownDocumentError as exc:
            errors.append(f"Ukendt dokument: {exc.doc_id}")
        except (ov.OverlapError, ov.AnalysisMissingError) as exc:
            errors.append(danish_problem(422, "invalid-parameters", str(exc)).detail)
    elif a or b:
        errors.append("Vælg to dokumenter.")
    return render(request, "overlap.html", 422 if errors and (a or b) else 200, nav="overlap", form=form,
                  errors=errors, documents=document_choices(gen), docs=gen.documents, levels=LEVEL_CHOICES,
                  strength_choices=STRENGTH_CHOICES, view=view,
                  pair_counts=document_pair_counts(gen) if not (a and b) else [],
                  muni_names=municipality_names(gen))


# --------------------------------------------------------------------------- compare
def _default_pair(gen: Generation, municipality: str) -> tuple[str, str]:
    """The municipality's earliest and latest documents (follow-up reports left out when possible)."""
    docs = sorted((d for d in gen.documents.values() if d.municipality == municipality), key=lambda d: (d.year, d.id))
    main = [d for d in docs if d.kind != "follow-up-report"] or docs
    if len(main) < 2:
        return (main[0].id, "") if main else ("", "")
    return main[0].id, main[-1].id


@router.get("/sammenlign", name="compare_page")
def compare_page(request: Request, gen: GenerationDep, kommune: str = "", fra: str = "", til: str = "") -> Response:
    """One municipality across years: themes carried over, new and dropped, and follow-up status."""
    from service.compare import CompareError, compare_documents
    from service.overlaps import AnalysisMissingError, UnknownDocumentError

    munis = municipality_choices(gen)
    multi = [m for m in munis if sum(1 for d in gen.documents.values() if d.municipality == m.value) > 1]
    if not kommune and fra in gen.documents:
        kommune = gen.documents[fra].municipality
    if kommune and not fra and not til:
        fra, til = _default_pair(gen, kommune)
    errors: list[str] = []
    result = None
    if fra and til:
        try:
            result = compare_documents(gen, fra, til)
        except UnknownDocumentError as exc:
            errors.append(f"Ukendt dokument: {exc.doc_id}")
        except CompareError:
            errors.append("Vælg to forskellige dokumenter.")
        except AnalysisMissingError:
            errors.append("Den aktuelle build har ingen overlapsanalyse. Kør `strategigraf ingest` igen.")
    groups = [(m, sorted((d for d in gen.documents.values() if d.municipality == m.value),
                         key=lambda d: (d.year, d.id))) for m in munis]
    timeline = groups[[m.value for m in munis].index(kommune)][1] if kommune in {m.value for m in munis} else []
    return render(request, "compare.html", 422 if errors else 200, nav="compare",
                  form={"kommune": kommune, "fra": fra, "til": til}, errors=errors, result=result,
                  municipalities=multi or munis, groups=groups, timeline=timeline, docs=gen.documents,
                  overlap_scale=overlap_scale(gen))


# --------------------------------------------------------------------------- topics
@router.get("/emner", name="topics_page")
def topics_page(request: Request, gen: GenerationDep) -> Response:
    """Every topic with how much of each municipality's strategies covers it."""
    from service.overlaps import AnalysisMissingError
    from service.topics import list_topics

    try:
        topics = list_topics(gen).topics
    except AnalysisMissingError:
        topics = []
    return render(request, "topics.html", nav="topics", topics=topics, munis=municipality_choices(gen),
                  labels={t.id: t.label for t in topics})


@router.get("/emner/{topic_id}", name="topic_page")
def topic_page(topic_id: str, request: Request, gen: GenerationDep) -> Response:
    """Which tracks, bearings and principles of each municipality cover a topic (statements below)."""
    from service.overlaps import AnalysisMissingError
    from service.topics import UnknownTopicError, list_topics, topic_detail

    try:
        detail = topic_detail(gen, topic_id)
        labels = {t.id: t.label for t in list_topics(gen).topics}
    except (UnknownTopicError, AnalysisMissingError):
        return not_found_page(request, f"Der er intet emne »{topic_id}«. Se listen over emner.")
    sections = [{"group": group, "docs": _cover_by_document(gen, group.nodes)} for group in detail.municipalities]
    scale = topic_scale(gen)
    tag_strengths = {n.id: scale.strength(tag) for group in detail.municipalities for n in group.nodes
                     for tag in gen.topics_of(n.id) if tag.get("topic") == detail.topic.id}
    return render(request, "topic.html", nav="topics", detail=detail, topic=detail.topic, sections=sections,
                  tag_strengths=tag_strengths,
                  labels=labels, munis=municipality_choices(gen))


def _cover_by_document(gen: Generation, nodes: list[Any]) -> list[dict[str, Any]]:
    """Tagged nodes per document, each under its closest container (track, bearing, principle …): a tagged
    container shows its confidence, and statements tagged under an untagged container still name it."""
    docs: dict[str, dict[str, dict[str, Any]]] = {}
    for n in nodes:
        if n.type in THEMATIC:
            key, head = n.id, n
        else:
            anc = next((a for a in reversed(n.ancestors) if a.type in THEMATIC), None)
            key, head = (anc.id, anc) if anc is not None else ("", None)
        groups = docs.setdefault(n.document.id, {})
        entry = groups.setdefault(key, {"head": head, "tagged": None, "members": []})
        if n.type in THEMATIC:
            entry["head"], entry["tagged"] = n, n.confidence
        else:
            entry["members"].append(n)
    out = []
    for doc_id in sorted(docs, key=lambda d: (gen.documents[d].year, d)):
        ordered = sorted(docs[doc_id].items(), key=lambda kv: gen.position.get(kv[0], -1))
        out.append({"doc": gen.documents[doc_id], "groups": [g for _, g in ordered]})
    return out

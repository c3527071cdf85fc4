"""Pure functions behind /overlaps and /overlaps/matrix: overlaps between documents from the build's
analysis (analysis.json), as JSON (CSV: service/exports.py), and a coverage matrix rendered as a heat map (PNG/SVG).

How overlaps are computed is documented in ingest/analyse/overlap_detection.py and docs/overlaps.md.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from ingest.analyse.lineage import theme_level
from ingest.analyse.overlap_detection import partner_map
from ingest.records import NodeRecord
from ontology.node_types import OVERLAP_TYPES, THEMATIC, danish_plural
from service.generation import Generation
from service.schemas import AncestorRef, DocumentRef

#: ?level= values and the node type each selects: the types overlaps are found at, in lower case.
LEVELS: dict[str, str] = {t.lower(): t for t in OVERLAP_TYPES} | {"focus-area": "FocusArea", "focus_area": "FocusArea"}
MATRIX_FORMATS = {"json": "application/json", "png": "image/png", "svg": "image/svg+xml"}


class OverlapError(ValueError):
    """A request that cannot be answered as asked (HTTP 422); the message says why."""


class UnknownDocumentError(LookupError):
    """No document with this id in the build (HTTP 404)."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(f"no document with id {doc_id!r}")
        self.doc_id = doc_id


class AnalysisMissingError(RuntimeError):
    """The live build was made without the analyse stage (HTTP 503)."""


# --------------------------------------------------------------------------- models
class NodeRef(BaseModel):
    id: str = Field(description="IRI of the node (as in search results)")
    type: str = Field(description="Ontology class local name, e.g. Statement")
    label: str | None = Field(description="Heading or title, when the node has one")
    text: str = Field(description="The node's own text")
    document: DocumentRef = Field(description="The document the node belongs to")
    ancestors: list[AncestorRef] = Field(description="Ancestors root first (document, track, principle …)")


class TopicRef(BaseModel):
    id: str = Field(description="Topic id (skos:notation), e.g. netvaerk-og-paaroerende")
    label: str = Field(description="Danish label of the topic")


class Explanation(BaseModel):
    overlap: str = Field(description="IRI of the sg:Overlap resource in the graph")
    method: str = Field(description="hybrid-mnn (mutual nearest neighbours), hybrid-threshold (score above the "
                                    "calibrated threshold) or children (containers, from their children's alignments)")
    kind: str = Field(description="alignment (two statements, passages …) or container (tracks, principles …)")
    level: str = Field(description="strong (alignments: score >= 0.7; containers: >= 0.35) or related")
    shared_topics: list[TopicRef] = Field(description="Topics both nodes are tagged with, strongest first")
    shared_terms: list[str] = Field(description="Key words both texts use (stems or compound parts), rarest first")
    embedding_similarity: float | None = Field(description="Cosine of the best-matching sentences (alignments)")
    lexical_overlap: float | None = Field(description="IDF-weighted share of shared terms (alignments), 0-1")
    topic_strength: float | None = Field(description="Strength of the best shared topic (alignments), 0-1")
    matched_a: str | None = Field(description="The sentence of a that matched (alignments)")
    matched_b: str | None = Field(description="The sentence of b that matched (alignments)")
    aligned_children: int = Field(description="Aligned pairs of children behind a container overlap")
    content_similarity: float | None = Field(
        default=None, description="Containers: how alike the two containers' content is as a whole (cosine of "
                                  "their centred mean vectors, rescaled), 0-1; a third of the score")
    member_coverage: float | None = Field(
        default=None, description="Containers: how well each side's statements are matched in the other (mean of "
                                  "both sides), 0-1; a third of the score")
    topic_similarity: float | None = Field(
        default=None, description="Containers: how alike the two containers' topic profiles are (cosine), 0-1; "
                                  "a third of the score")


class OverlapPair(BaseModel):
    a: NodeRef = Field(description="Node of document a (or of the earlier document when a is not given)")
    b: NodeRef = Field(description="Node of document b")
    score: float = Field(description="Overlap score between 0 and 1")
    explanation: Explanation = Field(description="Why the two nodes overlap")


class OverlapsResponse(BaseModel):
    a: str | None = Field(description="Document id a, when given")
    b: str | None = Field(description="Document id b, when given")
    level: str | None = Field(description="Node type the pairs were restricted to, when given")
    min_score: float | None = Field(description="Lowest score returned, when given")
    topic: str | None = Field(default=None, description="Topic id every pair shares, when given")
    count: int = Field(description="Number of pairs")
    pairs: list[OverlapPair] = Field(description="Overlapping pairs, best first")


class MatrixAxis(BaseModel):
    id: str = Field(description="IRI of the container")
    type: str = Field(description="Ontology class local name")
    label: str = Field(description="Danish label used on the heat map")
    text: str = Field(description="The container's own text")


class MatrixResponse(BaseModel):
    a: DocumentRef = Field(description="Document of the rows")
    b: DocumentRef = Field(description="Document of the columns")
    level_a: str = Field(description="Node type of the rows, e.g. Track")
    level_b: str = Field(description="Node type of the columns, e.g. Principle")
    rows: list[MatrixAxis] = Field(description="Containers of a, in document order")
    columns: list[MatrixAxis] = Field(description="Containers of b, in document order")
    scores: list[list[float]] = Field(description="scores[i][j]: container overlap of rows[i] and columns[j], 0-1")
    aligned: list[list[int]] = Field(description="aligned[i][j]: aligned pairs of children behind the score")


# --------------------------------------------------------------------------- helpers
def analysis_of(gen: Generation) -> Mapping[str, Any]:
    if not gen.analysis or "overlaps" not in gen.analysis:
        raise AnalysisMissingError("the live build has no analysis (topics, overlaps): rebuild with "
                                   "`strategigraf ingest`")
    return gen.analysis


def document_ref(gen: Generation, doc_id: str) -> DocumentRef:
    doc = gen.documents[doc_id]
    return DocumentRef(id=doc.id, title=doc.title, municipality=doc.municipality, year=doc.year)


def node_ref(gen: Generation, node: NodeRecord) -> NodeRef:
    return NodeRef(id=node.id, type=node.type, label=node.label, text=node.text,
                   document=document_ref(gen, node.doc),
                   ancestors=[AncestorRef(**a.model_dump()) for a in node.ancestors])


def check_document(gen: Generation, doc_id: str | None) -> None:
    if doc_id is not None and doc_id not in gen.documents:
        raise UnknownDocumentError(doc_id)


def resolve_level(level: str | None) -> str | None:
    if level is None:
        return None
    key = level.strip().lower()
    if key in LEVELS:
        return LEVELS[key]
    if level in LEVELS.values():
        return level
    raise OverlapError(f"unknown level {level!r}; known: {', '.join(sorted(k for k in LEVELS if '-' not in k and '_' not in k))}")


def topic_labels(gen: Generation) -> dict[str, str]:
    return {t["id"]: t["label"] for t in gen.analysis.get("topics", [])}


def check_topic(labels: Mapping[str, str], topic: str | None) -> None:
    """``topic`` is None or a topic id of the build (else OverlapError naming the known ones)."""
    if topic is not None and topic not in labels:
        raise OverlapError(f"unknown topic {topic!r}; known: {', '.join(sorted(labels))}")


def partners_of(gen: Generation) -> dict[int, dict[int, float]]:
    """Every kept alignment of the build as node position → {position: score}."""
    pos = gen.position
    return partner_map((pos[a], pos[b], float(s)) for a, b, s in analysis_of(gen).get("alignments", [])
                       if a in pos and b in pos)


def container_scores_of(gen: Generation) -> dict[tuple[int, int], tuple[float, int]]:
    """The build's container scores as (position, position) → (score, aligned pairs of children), in either
    order (see ingest.analyse.overlap_detection.container_scores)."""
    pos = gen.position
    out: dict[tuple[int, int], tuple[float, int]] = {}
    for row in analysis_of(gen).get("container_scores", []):
        a, b = pos.get(row[0]), pos.get(row[1])
        if a is not None and b is not None:
            out[(a, b)] = out[(b, a)] = (float(row[2]), int(row[6]) if len(row) > 6 else 0)
    return out


# --------------------------------------------------------------------------- /overlaps
def list_overlaps(gen: Generation, a: str | None = None, b: str | None = None, level: str | None = None,
                  min_score: float | None = None, topic: str | None = None) -> OverlapsResponse:
    """Overlaps between documents ``a`` and ``b`` (either or both may be omitted), best first; a pair is at
    ``level`` when either of its nodes has that type, and carries ``topic`` when both its nodes are tagged with
    it (the topic is among its shared topics). Each pair is oriented so ``a`` holds document a's node."""
    check_document(gen, a)
    check_document(gen, b)
    if a is not None and a == b:
        raise OverlapError("a and b must be two different documents")
    node_type = resolve_level(level)
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise OverlapError("min_score must be between 0 and 1")
    labels = topic_labels(gen)
    check_topic(labels, topic)
    pairs: list[OverlapPair] = []
    for o in analysis_of(gen)["overlaps"]:
        na, nb = gen.node(o["a"]), gen.node(o["b"])
        if na is None or nb is None:
            continue
        flip = (a is not None and nb.doc == a) or (a is None and b is not None and na.doc == b)
        if flip:
            na, nb = nb, na
        if a is not None and na.doc != a or b is not None and nb.doc != b:
            continue
        if node_type is not None and node_type not in (na.type, nb.type):
            continue
        if min_score is not None and o["score"] < min_score:
            continue
        if topic is not None and topic not in o.get("shared_topics", ()):
            continue
        pairs.append(OverlapPair(a=node_ref(gen, na), b=node_ref(gen, nb), score=o["score"],
                                 explanation=_explanation(o, labels, flip)))
    pairs.sort(key=lambda p: (-p.score, p.a.id, p.b.id))
    return OverlapsResponse(a=a, b=b, level=node_type, min_score=min_score, topic=topic, count=len(pairs),
                            pairs=pairs)


def _explanation(o: Mapping[str, Any], labels: Mapping[str, str], flip: bool) -> Explanation:
    via_a, via_b = (o.get("via_b"), o.get("via_a")) if flip else (o.get("via_a"), o.get("via_b"))
    return Explanation(
        overlap=o["id"], method=o["method"], kind=o["kind"], level=o["level"],
        shared_topics=[TopicRef(id=t, label=labels.get(t, t)) for t in o.get("shared_topics", [])],
        shared_terms=list(o.get("shared_terms", [])), embedding_similarity=o.get("cosine"),
        lexical_overlap=o.get("lexical"), topic_strength=o.get("topic"), matched_a=via_a, matched_b=via_b,
        aligned_children=int(o.get("aligned_children", 0)), content_similarity=o.get("content"),
        member_coverage=o.get("coverage"), topic_similarity=o.get("topic_profile"),
    )


# --------------------------------------------------------------------------- /overlaps/matrix
def _matrix_level(gen: Generation, doc: str, level: str | None) -> str:
    if level is None:
        found = theme_level(gen.nodes, doc)
        if found is None:
            raise OverlapError(f"document {doc!r} has no containers (tracks, principles, bearings …)")
        return found
    node_type = resolve_level(level)
    assert node_type is not None
    if node_type not in THEMATIC:
        raise OverlapError(f"level {level!r} is not a container level; use one of "
                           f"{', '.join(sorted(t.lower() for t in THEMATIC))}")
    if not any(n.doc == doc and n.type == node_type for n in gen.nodes):
        raise OverlapError(f"document {doc!r} has no {node_type} nodes")
    return node_type


def axis_label(node: NodeRecord) -> str:
    """A short Danish label: "Spor 5: ET STÆRKT SAMARBEJDE …", a principle's lead-in, a bearing's name."""
    text = node.label or node.text
    number = node.attrs.get("number")
    if node.type == "Track" and number:
        return f"Spor {number}: {text}"
    if node.type in ("FocusArea", "Goal") and number:
        return f"{number.rstrip(')')} {text}"
    return text


def coverage_matrix(gen: Generation, a: str, b: str, level_a: str | None = None,
                    level_b: str | None = None) -> MatrixResponse:
    """Container × container overlap scores of two documents (by default each at its theme level)."""
    check_document(gen, a)
    check_document(gen, b)
    if a == b:
        raise OverlapError("a and b must be two different documents")
    la, lb = _matrix_level(gen, a, level_a), _matrix_level(gen, b, level_b)
    pair_scores = container_scores_of(gen)
    rows = [i for i, n in enumerate(gen.nodes) if n.doc == a and n.type == la]
    cols = [j for j, n in enumerate(gen.nodes) if n.doc == b and n.type == lb]
    scores: list[list[float]] = []
    aligned: list[list[int]] = []
    for i in rows:
        srow, arow = [], []
        for j in cols:
            s, n = pair_scores.get((i, j), (0.0, 0))
            srow.append(s)
            arow.append(n)
        scores.append(srow)
        aligned.append(arow)

    def axis(k: int) -> MatrixAxis:
        n = gen.nodes[k]
        return MatrixAxis(id=n.id, type=n.type, label=axis_label(n), text=n.text)

    return MatrixResponse(a=document_ref(gen, a), b=document_ref(gen, b), level_a=la, level_b=lb,
                          rows=[axis(i) for i in rows], columns=[axis(j) for j in cols], scores=scores,
                          aligned=aligned)


def _wrap(text: str, width: int, lines: int = 3) -> str:
    parts = textwrap.wrap(text, width=width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(" ,.;:") + " …"
    return "\n".join(parts)


def _municipality_name(gen: Generation, doc_id: str) -> str:
    return gen.documents[doc_id].municipality_name


def render_heatmap(matrix: MatrixResponse, fmt: str = "png", municipality_names: Sequence[str] | None = None) -> bytes:
    """The matrix as a labelled heat map (Danish), PNG or SVG bytes."""
    if fmt not in ("png", "svg"):
        raise OverlapError(f"unknown image format {fmt!r}; use png or svg")
    import matplotlib
    import numpy as np
    from matplotlib.figure import Figure  # no pyplot: no global state, safe in worker threads

    data = np.array(matrix.scores, dtype=float).reshape(len(matrix.rows), len(matrix.columns))
    n_rows, n_cols = data.shape
    row_labels = [_wrap(r.label, 34, 3) for r in matrix.rows]
    col_labels = [_wrap(c.label, 17, 5) for c in matrix.columns]
    label_lines = max((c.count("\n") + 1 for c in col_labels), default=1)
    cell_w, cell_h = 1.0, 0.62
    width = max(7.5, 3.6 + cell_w * n_cols)
    height = max(4.5, 1.9 + cell_h * n_rows + 0.15 * label_lines)
    fig = Figure(figsize=(width, height), dpi=110)
    ax = fig.add_subplot(111)
    vmax = max(0.5, float(np.ceil((data.max() if data.size else 0.0) * 10) / 10))
    image = ax.imshow(data if data.size else np.zeros((1, 1)), cmap="YlGnBu", vmin=0.0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(n_cols), labels=col_labels, fontsize=7.5, linespacing=1.05)
    ax.set_yticks(range(n_rows), labels=row_labels, fontsize=8, linespacing=1.05)
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(which="major", length=0)
    for i in range(n_rows):
        for j in range(n_cols):
            v = data[i, j]
            if v > 0:
                ax.text(j, i, f"{round(100 * v)}", ha="center", va="center", fontsize=8.5,
                        color="white" if v > 0.55 * vmax else "#1a1a1a")
    names = list(municipality_names or (matrix.a.municipality.capitalize(), matrix.b.municipality.capitalize()))
    ta, tb = danish_plural(matrix.level_a), danish_plural(matrix.level_b)
    ax.set_ylabel(f"{names[0]} {matrix.a.year}: {ta}", fontsize=9)
    ax.set_xlabel(f"{names[1]} {matrix.b.year}: {tb}", fontsize=9)
    title = f"Overlap mellem {matrix.a.title} ({names[0]}) og {matrix.b.title} ({names[1]})"
    fig.suptitle(_wrap(title, int(width * 12), 3), fontsize=10, x=0.01, ha="left")
    bar = fig.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
    bar.set_label("Overlapscore (0–1; tal i felterne: ×100)", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    fig.tight_layout()
    out = io.BytesIO()
    # SVG text stays text (searchable, selectable, small) instead of glyph outlines
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(out, format=fmt, metadata={"Creator": "Strategigraf"} if fmt == "png" else None)
    return out.getvalue()


def heatmap_for(gen: Generation, matrix: MatrixResponse, fmt: str) -> bytes:
    """:func:`render_heatmap` with the municipalities' names from the build."""
    return render_heatmap(matrix, fmt, (_municipality_name(gen, matrix.a.id), _municipality_name(gen, matrix.b.id)))


# --------------------------------------------------------------------------- the overlap page: pairs by container
@dataclass(frozen=True)
class Container:
    """A container a pair's side lies in (a track, principle, bearing …; the node itself when it has none)."""

    id: str
    type: str
    label: str
    """Its Danish label (:func:`axis_label`), as the heat map's row or column names it."""
    parent: str | None
    """The label of the container it lies in (a principle's bearing), when any."""
    parent_type: str | None


@dataclass
class ContainerMatch:
    """A container of document b and the pairs that join it to one container of document a."""

    container: Container
    whole: OverlapPair | None = None
    """The two containers' own overlap, when listed."""
    pairs: list[OverlapPair] = field(default_factory=list)
    """The pairs beneath the two containers (statements, passages, a container with a statement …), best first."""

    @property
    def count(self) -> int:
        return len(self.pairs) + (self.whole is not None)

    @property
    def best(self) -> float:
        return max([p.score for p in self.pairs] + ([self.whole.score] if self.whole else []))


@dataclass
class ContainerGroup:
    """A container of document a with the containers of document b it has pairs with, best first."""

    container: Container
    matches: list[ContainerMatch]

    @property
    def count(self) -> int:
        return sum(m.count for m in self.matches)

    @property
    def best(self) -> float:
        return max(m.best for m in self.matches)


def container_of(side: NodeRef, level: str | None) -> str:
    """The id of the container a pair's side lies in: the node itself or its nearest ancestor of type ``level``
    (the heat map's rows or columns); else its nearest container that sets a theme (a passage under a bearing);
    else the node itself."""
    chain = [(a.id, a.type) for a in side.ancestors] + [(side.id, side.type)]
    for wanted in (lambda t: t == level, lambda t: t in THEMATIC):
        found = next((i for i, t in reversed(chain) if wanted(t)), None)
        if found is not None:
            return found
    return side.id


def pair_containers(pair: OverlapPair, level_a: str | None, level_b: str | None) -> tuple[str, str]:
    """The containers of a pair's two sides (:func:`container_of`)."""
    return container_of(pair.a, level_a), container_of(pair.b, level_b)


def describe_container(gen: Generation, iri: str) -> Container:
    node = gen.node(iri)
    assert node is not None, iri
    parent = next((a for a in reversed(node.ancestors) if a.type in THEMATIC), None)
    return Container(id=node.id, type=node.type, label=axis_label(node), parent=parent.label if parent else None,
                     parent_type=parent.type if parent else None)


def group_by_container(gen: Generation, pairs: Sequence[OverlapPair], level_a: str | None,
                       level_b: str | None) -> list[ContainerGroup]:
    """``pairs`` (of two documents, oriented a → b) under their containers: each container of a once, in document
    order, with the containers of b it has pairs with (best first) and the pairs beneath them (best first). A pair
    of the two containers themselves is the match's ``whole``."""
    by_a: dict[str, dict[str, ContainerMatch]] = {}
    for pair in sorted(pairs, key=lambda p: (-p.score, p.a.id, p.b.id)):
        ca, cb = pair_containers(pair, level_a, level_b)
        match = by_a.setdefault(ca, {}).get(cb)
        if match is None:
            match = by_a[ca][cb] = ContainerMatch(describe_container(gen, cb))
        if (pair.a.id, pair.b.id) == (ca, cb):
            match.whole = pair
        else:
            match.pairs.append(pair)
    position = gen.position
    return [ContainerGroup(describe_container(gen, ca), sorted(matches.values(), key=lambda m: (-m.best,
                                                                                                 position[m.container.id])))
            for ca, matches in sorted(by_a.items(), key=lambda kv: position.get(kv[0], -1))]


def cell_counts(matrix: MatrixResponse, pairs: Sequence[OverlapPair]) -> list[list[int]]:
    """counts[i][j]: how many of ``pairs`` lie in the matrix's row i and column j (:func:`pair_containers`)."""
    rows = {r.id: i for i, r in enumerate(matrix.rows)}
    cols = {c.id: j for j, c in enumerate(matrix.columns)}
    counts = [[0] * len(matrix.columns) for _ in matrix.rows]
    for pair in pairs:
        ca, cb = pair_containers(pair, matrix.level_a, matrix.level_b)
        if ca in rows and cb in cols:
            counts[rows[ca]][cols[cb]] += 1
    return counts


def topic_counts(pairs: Iterable[OverlapPair]) -> list[tuple[TopicRef, int]]:
    """Each topic the pairs share, with how many pairs share it, by label."""
    counts: dict[str, int] = {}
    refs: dict[str, TopicRef] = {}
    for pair in pairs:
        for t in pair.explanation.shared_topics:
            refs.setdefault(t.id, t)
            counts[t.id] = counts.get(t.id, 0) + 1
    return sorted(((refs[k], n) for k, n in counts.items()), key=lambda tn: tn[0].label.lower())

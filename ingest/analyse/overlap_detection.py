"""Overlaps across documents: which statements, principles, goals … of two documents say the same thing.

Alignment units
    Every Statement, Passage, Activity and every container (Track, Bearing, Principle, FocusArea, Goal,
    Vision) whose own text has at least :data:`MIN_HEADING_TERMS` content words. A unit of one
    sentence uses the node's build vector (embedded with its ancestors' headings); a node of several
    sentences (a passage, a long bullet) is split into sentences, each embedded with the same heading
    context, so one sentence of a paragraph can match a one-line bullet elsewhere.
Pair score (0-1)
    ``w_e * e + w_l * l + w_t * t`` over the best-matching sentences of the two nodes, where ``e`` is
    the cosine rescaled from [``cos_low``, ``cos_high``] to [0, 1] (e5 cosines of unrelated Danish
    texts sit around 0.8), ``l`` the IDF-weighted share of the shorter text's terms (stems and compound
    parts, proper names left out) that the other text also uses, and ``t`` the strength of the best
    topic both nodes are tagged with (min of the two confidences).
Candidate pairs
    Not every pair of documents is scored: a FAISS index of per-unit proxy vectors (embedding, hashed
    IDF-weighted terms and topic confidences, :mod:`ingest.analyse.candidates`) gives each unit its
    ``candidates_k`` nearest units in other documents, and the node pairs they make are scored exactly
    (all their unit pairs). On the bundled corpora this finds every pair that scoring all pairs keeps.
Kept pairs
    For each pair of documents, a pair of nodes is kept when it is a mutual nearest neighbour (among the
    candidates) with a score of at least ``mnn_floor`` (method ``hybrid-mnn``) or when its score reaches ``threshold``
    (method ``hybrid-threshold``); the threshold is calibrated on ``shared/eval/dev_overlaps.json``
    (see :func:`calibrate_threshold` and docs/overlaps.md). Every candidate is kept in the analysis
    (``alignments``); the listed overlaps keep at most ``max_partners`` partners per node in any one
    other document and ``max_listed`` in all, best first, so the output stays readable.
Containers
    A container's overlap with a container of another document is computed from its children's
    alignments: for each side, the mean over its units of the best alignment score into the other
    container (0 when none); the container score is the mean of the two sides (:func:`container_score`).
    Container pairs reaching ``container_threshold`` are overlaps of method ``children``.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ingest.analyse.candidates import DEFAULT_K
from ingest.analyse.topic_tagging import METHOD_CHILDREN, Terms, TopicTag, analyse_text
from ingest.embed.base import Embedder
from ingest.embed.cache import EmbeddingCache, embed_passages_cached
from ingest.index.lexical import CompoundSplitter
from ingest.language.sentences import sentences as split_sentences
from ingest.records import NodeRecord
from ontology import ID, SG
from ontology.node_types import TEXT_UNITS, THEMATIC

MIN_HEADING_TERMS = 3
METHOD_MNN = "hybrid-mnn"
METHOD_THRESHOLD = "hybrid-threshold"
METHOD_CONTAINER = "children"
KIND_ALIGNMENT = "alignment"
KIND_CONTAINER = "container"
MAX_SHARED_TERMS = 6
COMMON_SHARE = 0.08
CALIBRATION_GRID = tuple(round(0.40 + 0.01 * step, 2) for step in range(41))


@dataclass(frozen=True)
class OverlapParams:
    """Every knob of the overlap analysis; recorded in the build manifest."""

    threshold: float = 0.55
    """Score at which a pair is kept even when it is not a mutual nearest neighbour (calibrated)."""
    mnn_floor: float = 0.50
    """Lowest score of a kept mutual-nearest-neighbour pair."""
    max_partners: int = 3
    """Most partners a node keeps in any one other document in the listed overlaps."""
    max_listed: int = 12
    """Most listed overlaps of one kind (alignment, container) a node keeps in all, best first: with every
    municipality's documents a statement can match one in hundreds of them, and the graph would grow with
    the square of the corpus. The bundled corpora list at most 8 alignments and 11 container overlaps per
    node, so this changes nothing there."""
    cos_low: float = 0.80
    cos_high: float = 0.95
    w_embedding: float = 0.5
    w_lexical: float = 0.3
    w_topic: float = 0.2
    container_threshold: float = 0.10
    """Container score at which two containers overlap (and a theme counts as carried over)."""
    strong: float = 0.70
    """Alignment score from which an overlap's sg:level is "strong" (else "related")."""
    container_strong: float = 0.40
    """Container score from which a container overlap is "strong" (container scores are coverage means,
    lower than alignment scores by construction)."""
    candidates_k: int = DEFAULT_K
    """Nearest units in other documents each unit takes from the candidate index (ingest.analyse.candidates)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_PARAMS = OverlapParams()


# --------------------------------------------------------------------------- units
@dataclass(frozen=True)
class Unit:
    """A piece of a node that is aligned on its own: the whole node, or one sentence of it."""

    node: int
    """Position of the node in the build's node list."""
    text: str
    context: str | None
    """Text to embed (heading context + sentence) for a sentence unit; None: use the node's vector."""


def is_unit_node(node: NodeRecord) -> bool:
    if node.type in TEXT_UNITS:
        return True
    if node.type in THEMATIC:
        return len(analyse_text(node.text).sequence) >= MIN_HEADING_TERMS
    return False


def alignment_units(nodes: Sequence[NodeRecord]) -> list[Unit]:
    out: list[Unit] = []
    for i, node in enumerate(nodes):
        if not is_unit_node(node):
            continue
        sentences = split_sentences(node.text)
        if len(sentences) <= 1:
            out.append(Unit(node=i, text=node.text, context=None))
            continue
        heads = [a.label for a in node.ancestors[1:] if a.label]
        prefix = " › ".join(heads) + ": " if heads else ""
        out.extend(Unit(node=i, text=s, context=prefix + s) for s in sentences)
    return out


def embed_units(units: Sequence[Unit], node_vectors: np.ndarray, embedder: Embedder,
                cache: EmbeddingCache) -> tuple[np.ndarray, int]:
    """Unit vectors (the node's own vector for whole-node units); returns (vectors, texts computed)."""
    texts = [u.context for u in units if u.context is not None]
    computed = 0
    sentence_vectors = np.zeros((0, node_vectors.shape[1]), dtype=np.float32)
    if texts:
        sentence_vectors, computed = embed_passages_cached(embedder, texts, cache)
    out = np.empty((len(units), node_vectors.shape[1]), dtype=np.float32)
    k = 0
    for row, unit in enumerate(units):
        if unit.context is None:
            out[row] = node_vectors[unit.node]
        else:
            out[row] = sentence_vectors[k]
            k += 1
    return out, computed


# --------------------------------------------------------------------------- pair scores
@dataclass(frozen=True)
class Alignment:
    """A candidate pair of nodes from two documents (positions in the node list), ``a`` in the earlier
    document of the build's document order."""

    a: int
    b: int
    score: float
    cosine: float
    lexical: float
    topic: float
    mutual: bool
    unit_a: int
    unit_b: int


class _TermTable:
    """Term sets of the units with IDF weights over all units (a sparse units × vocabulary matrix)."""

    def __init__(self, terms: Sequence[Terms]) -> None:
        self.terms = terms
        sets = [t.stems | t.parts for t in terms]
        df = Counter(s for ts in sets for s in ts)
        self.df = df
        n = max(1, len(sets))
        self.vocabulary = sorted(df)
        self.vocab = {s: k for k, s in enumerate(self.vocabulary)}
        self.idf = np.array([math.log(n / df[s]) + 1e-6 for s in self.vocabulary], dtype=np.float64)
        indices = np.array([self.vocab[s] for ts in sets for s in sorted(ts)], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum([len(ts) for ts in sets])]).astype(np.int64)
        self.matrix = sp.csr_matrix((np.ones(indices.size), indices, indptr), shape=(len(sets), len(self.vocab)))
        self.weighted = sp.csr_matrix(self.matrix @ sp.diags(self.idf))
        self.mass = np.asarray(self.weighted.sum(axis=1)).ravel()
        self.sets = sets

    def overlap(self, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
        """IDF mass of shared terms over the smaller text's IDF mass (units × units, dense)."""
        shared = (self.weighted[rows_a] @ self.matrix[rows_b].T).toarray()
        smaller = np.minimum.outer(self.mass[rows_a], self.mass[rows_b])
        return np.asarray(np.where(smaller > 0, shared / np.where(smaller > 0, smaller, 1.0), 0.0))

    def pair_overlap(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """:meth:`overlap` of the unit pairs ``(xs[i], ys[i])`` only (one value per pair)."""
        if xs.size == 0:
            return np.zeros(0)
        shared = np.asarray(self.weighted[xs].multiply(self.matrix[ys]).sum(axis=1)).ravel()
        smaller = np.minimum(self.mass[xs], self.mass[ys])
        return np.asarray(np.where(smaller > 0, shared / np.where(smaller > 0, smaller, 1.0), 0.0))

    def shared_terms(self, ua: int, ub: int, limit: int = MAX_SHARED_TERMS) -> list[str]:
        """Words two units share (by stem or as a compound part), rarest first, as written in ``ua``;
        words used in more than :data:`COMMON_SHARE` of all units ("borgeren") explain nothing and are
        left out."""
        ta, tb = self.terms[ua], self.terms[ub]
        common = COMMON_SHARE * len(self.sets)
        shared = [s for s in self.sets[ua] & self.sets[ub] if self.df[s] <= common]
        shared.sort(key=lambda s: (-float(self.idf[self.vocab[s]]), s))
        out: list[str] = []
        for s in shared:
            form = ta.surface.get(s) or ta.part_of.get(s) or tb.surface.get(s) or s
            if form not in out:
                out.append(form)
        return out[:limit]


def node_topic_matrix(nodes: Sequence[NodeRecord], tags: Mapping[str, Mapping[str, TopicTag]]) -> np.ndarray:
    """Nodes × topics: each node's own topic confidences (inherited container tags excluded, 0 when
    untagged); the columns are the topics any node carries, sorted by id."""
    own = [_own_tags(tags, n) for n in nodes]
    topics = sorted({t for o in own for t in o})
    column = {t: k for k, t in enumerate(topics)}
    out = np.zeros((len(nodes), len(topics)))
    for row, o in enumerate(own):
        for t, conf in o.items():
            out[row, column[t]] = conf
    return out


def _own_tags(tags: Mapping[str, Mapping[str, TopicTag]], node: NodeRecord) -> dict[str, float]:
    """The node's own topic evidence (inherited container tags excluded)."""
    return {t: tag.confidence for t, tag in tags.get(node.id, {}).items() if tag.method != METHOD_CHILDREN}


def shared_topics(tags: Mapping[str, Mapping[str, TopicTag]], a: str, b: str) -> list[str]:
    """Topics both nodes are tagged with, strongest (by the weaker side) first."""
    ta, tb = tags.get(a, {}), tags.get(b, {})
    common = set(ta) & set(tb)
    return sorted(common, key=lambda t: (-min(ta[t].confidence, tb[t].confidence), t))


@dataclass
class AlignmentResult:
    """All candidate alignments plus what explains them."""

    units: list[Unit]
    alignments: list[Alignment]
    terms: _TermTable = field(repr=False)
    candidates: dict[str, int] = field(default_factory=dict)
    """How many unit pairs the candidate index proposed, node pairs they make and unit pairs scored."""


@dataclass
class _Layout:
    """Where units and nodes sit: each node's units are a contiguous run of the unit list."""

    unit_node: np.ndarray
    node_doc: np.ndarray
    """Document of every node as its position in the build's document order."""
    start: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, nodes: Sequence[NodeRecord], units: Sequence[Unit]) -> _Layout:
        order = {d: k for k, d in enumerate(dict.fromkeys(n.doc for n in nodes))}
        unit_node = np.array([u.node for u in units], dtype=np.int64)
        if unit_node.size and np.any(np.diff(unit_node) < 0):
            raise ValueError("alignment units must follow the node order (alignment_units makes them so)")
        start = np.zeros(len(nodes), dtype=np.int64)
        count = np.zeros(len(nodes), dtype=np.int64)
        present, first, counts = np.unique(unit_node, return_index=True, return_counts=True)
        start[present], count[present] = first, counts
        return cls(unit_node=unit_node, node_doc=np.array([order[n.doc] for n in nodes], dtype=np.int64),
                   start=start, count=count)


def align(nodes: Sequence[NodeRecord], units: Sequence[Unit], unit_vectors: np.ndarray,
          tags: Mapping[str, Mapping[str, TopicTag]], splitter: CompoundSplitter | None = None,
          params: OverlapParams = DEFAULT_PARAMS) -> AlignmentResult:
    """The candidate alignments: cross-document pairs of unit nodes that are mutual nearest neighbours
    above the floor, or above the threshold.

    Pairs come from the candidate index (:mod:`ingest.analyse.candidates`: each unit's
    ``params.candidates_k`` nearest units in other documents); every candidate node pair is then scored
    exactly over all its unit pairs, and a node's nearest neighbour in a document is its best candidate
    there. This equals scoring every pair of documents whenever the candidates hold every node pair
    scoring at least ``min(threshold, mnn_floor)`` (tested on the bundled corpora)."""
    from ingest.analyse import candidates as cand

    terms = _TermTable([analyse_text(u.text, splitter) for u in units])
    layout = _Layout.of(nodes, units)
    node_topics = node_topic_matrix(nodes, tags)
    if not units:
        return AlignmentResult(units=[], alignments=[], terms=terms)
    lexical = cand.hashed_lexical(terms.matrix, terms.idf, terms.vocabulary)
    proxy = cand.proxy_vectors(unit_vectors, lexical, node_topics[layout.unit_node], w_embedding=params.w_embedding,
                               w_lexical=params.w_lexical, w_topic=params.w_topic, cos_low=params.cos_low,
                               cos_high=params.cos_high)
    near = cand.nearest_in_other_documents(proxy, layout.node_doc[layout.unit_node], params.candidates_k)
    a, b = _node_pairs(near, layout)
    alignments, scored = _align_pairs(a, b, layout, unit_vectors, terms, node_topics, params)
    return AlignmentResult(units=list(units), alignments=alignments, terms=terms,
                           candidates={"unit_pairs": int(near.shape[0]), "node_pairs": int(a.size),
                                       "unit_pairs_scored": scored})


def _node_pairs(unit_pairs: np.ndarray, layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    """Distinct node pairs of cross-document unit pairs, ``a`` in the earlier document (build order)."""
    nx, ny = layout.unit_node[unit_pairs[:, 0]], layout.unit_node[unit_pairs[:, 1]]
    earlier = layout.node_doc[nx] < layout.node_doc[ny]
    a, b = np.where(earlier, nx, ny), np.where(earlier, ny, nx)
    n = np.int64(len(layout.node_doc))
    keys = np.unique(a * n + b)
    return keys // n, keys % n


def _align_pairs(a: np.ndarray, b: np.ndarray, layout: _Layout, unit_vectors: np.ndarray, terms: _TermTable,
                 node_topics: np.ndarray, params: OverlapParams,
                 chunk: int = 20_000) -> tuple[list[Alignment], int]:
    """Score the node pairs ``(a[i], b[i])`` over all their unit pairs, decide mutual nearest neighbours
    among them, keep what passes; alignments ordered by document pair, then ``a``, then ``b``."""
    vectors = np.asarray(unit_vectors, dtype=np.float64)
    score = np.empty(a.size)
    best = np.empty((a.size, 2), dtype=np.int64)
    parts = np.empty((a.size, 3))
    scored = 0
    for lo in range(0, a.size, chunk):
        hi = min(a.size, lo + chunk)
        ca, cb = layout.count[a[lo:hi]], layout.count[b[lo:hi]]
        rep = ca * cb
        pid = np.repeat(np.arange(hi - lo), rep)
        offset = np.arange(int(rep.sum())) - np.repeat(np.cumsum(rep) - rep, rep)
        x = layout.start[a[lo:hi]][pid] + offset // cb[pid]
        y = layout.start[b[lo:hi]][pid] + offset % cb[pid]
        scored += x.size
        cos = np.einsum("ij,ij->i", vectors[x], vectors[y])
        emb = np.clip((cos - params.cos_low) / (params.cos_high - params.cos_low), 0.0, 1.0)
        lex = terms.pair_overlap(x, y)
        top = (np.minimum(node_topics[a[lo:hi]], node_topics[b[lo:hi]]).max(axis=1)
               if node_topics.shape[1] else np.zeros(hi - lo))[pid]
        unit_score = params.w_embedding * emb + params.w_lexical * lex + params.w_topic * top
        # the best unit pair of each node pair; among equals the first in (x, y) order
        order = np.lexsort((y, x, -unit_score, pid))
        first = order[np.r_[True, pid[order][1:] != pid[order][:-1]]]
        score[lo:hi] = unit_score[first]
        best[lo:hi] = np.stack([x[first], y[first]], axis=1)
        parts[lo:hi] = np.stack([cos[first], lex[first], top[first]], axis=1)
    da, db = layout.node_doc[a], layout.node_doc[b]
    mutual = _is_best(a, db, b, score) & _is_best(b, da, a, score)
    keep = np.flatnonzero((score >= params.threshold) | (mutual & (score >= params.mnn_floor)))
    keep = keep[np.lexsort((b[keep], a[keep], db[keep], da[keep]))]
    out = [Alignment(a=int(a[i]), b=int(b[i]), score=round(min(1.0, float(score[i])), 4),
                     cosine=round(float(parts[i, 0]), 4), lexical=round(float(parts[i, 1]), 4),
                     topic=round(float(parts[i, 2]), 4), mutual=bool(mutual[i]), unit_a=int(best[i, 0]),
                     unit_b=int(best[i, 1])) for i in keep]
    return out, scored


def _is_best(node: np.ndarray, other_doc: np.ndarray, partner: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Whether each pair is its node's best in the partner's document (ties: the lowest partner position)."""
    out = np.zeros(node.size, dtype=bool)
    if node.size == 0:
        return out
    group = node * (int(other_doc.max()) + 1) + other_doc
    order = np.lexsort((partner, -score, group))
    out[order[np.r_[True, group[order][1:] != group[order][:-1]]]] = True
    return out


def cap_partners(pairs: Iterable[tuple[int, int, float]], doc_of: Mapping[int, str],
                 max_partners: int, max_listed: int | None = None) -> set[tuple[int, int]]:
    """Keep, best first, a pair while both its nodes have fewer than ``max_partners`` partners in the
    other node's document (and, with ``max_listed``, fewer than ``max_listed`` partners in all)."""
    count: Counter[tuple[int, str]] = Counter()
    total: Counter[int] = Counter()
    limit = max_listed if max_listed is not None else math.inf
    kept: set[tuple[int, int]] = set()
    for a, b, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if count[(a, doc_of[b])] >= max_partners or count[(b, doc_of[a])] >= max_partners:
            continue
        if total[a] >= limit or total[b] >= limit:
            continue
        count[(a, doc_of[b])] += 1
        count[(b, doc_of[a])] += 1
        total[a] += 1
        total[b] += 1
        kept.add((a, b))
    return kept


# --------------------------------------------------------------------------- containers
def container_members(nodes: Sequence[NodeRecord]) -> dict[int, list[int]]:
    """Container position → the unit nodes it holds (itself when it is a unit, and its descendants)."""
    position = {n.id: i for i, n in enumerate(nodes)}
    members: dict[int, list[int]] = {i: [] for i, n in enumerate(nodes) if n.type in THEMATIC}
    for i, node in enumerate(nodes):
        if not is_unit_node(node):
            continue
        if i in members:
            members[i].append(i)
        for anc in node.ancestors[1:]:
            p = position.get(anc.id)
            if p is not None and p in members:
                members[p].append(i)
    return members


def partner_map(pairs: Iterable[tuple[int, int, float]]) -> dict[int, dict[int, float]]:
    """node → {aligned node: score}, both directions."""
    out: dict[int, dict[int, float]] = {}
    for a, b, s in pairs:
        out.setdefault(a, {})[b] = max(s, out.get(a, {}).get(b, 0.0))
        out.setdefault(b, {})[a] = max(s, out.get(b, {}).get(a, 0.0))
    return out


def container_score(members_a: Sequence[int], members_b: Sequence[int],
                    partners: Mapping[int, Mapping[int, float]]) -> tuple[float, int]:
    """Mean of the two sides' coverage (mean best alignment score of a side's units into the other
    container) and the number of aligned unit pairs between them."""
    if not members_a or not members_b:
        return 0.0, 0
    set_a, set_b = set(members_a), set(members_b)
    aligned = sum(1 for x in set_a for y in partners.get(x, {}) if y in set_b)
    if not aligned:
        return 0.0, 0

    def coverage(side: set[int], other: set[int]) -> float:
        return sum(max((s for y, s in partners.get(x, {}).items() if y in other), default=0.0)
                   for x in side) / len(side)

    return round((coverage(set_a, set_b) + coverage(set_b, set_a)) / 2, 4), aligned


# --------------------------------------------------------------------------- overlaps
@dataclass(frozen=True)
class Overlap:
    """One overlap as written to the graph and to analysis.json (``a`` in the earlier document)."""

    id: str
    a: str
    b: str
    score: float
    method: str
    kind: str
    level: str
    shared_topics: tuple[str, ...]
    shared_terms: tuple[str, ...]
    cosine: float | None = None
    lexical: float | None = None
    topic: float | None = None
    via_a: str | None = None
    """The sentence of ``a`` that matched (for alignments)."""
    via_b: str | None = None
    aligned_children: int = 0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["shared_topics"] = list(self.shared_topics)
        d["shared_terms"] = list(self.shared_terms)
        return d


def overlap_iri(a: str, b: str) -> str:
    """Stable IRI of the overlap of two nodes (order-independent)."""
    lo, hi = sorted((a, b))
    digest = hashlib.sha256(f"{lo}\n{hi}".encode()).hexdigest()[:16]
    return str(ID[f"overlap/{digest}"])


def build_overlaps(nodes: Sequence[NodeRecord], result: AlignmentResult,
                   tags: Mapping[str, Mapping[str, TopicTag]],
                   params: OverlapParams = DEFAULT_PARAMS) -> tuple[list[Overlap], list[tuple[int, int, float]]]:
    """The listed overlaps (alignments capped per node, then container overlaps) and the container
    scores of every container pair that has one (a, b, score) — for matrices and lineage."""
    doc_of = {i: n.doc for i, n in enumerate(nodes)}
    by_pair = {(al.a, al.b): al for al in result.alignments}
    explained: dict[tuple[int, int], list[str]] = {}

    def shared_terms_of(ua: int, ub: int) -> list[str]:
        """The unit pair's shared terms, worked out once (a container overlap sums many alignments)."""
        if (ua, ub) not in explained:
            explained[(ua, ub)] = result.terms.shared_terms(ua, ub)
        return explained[(ua, ub)]

    kept = cap_partners(((al.a, al.b, al.score) for al in result.alignments), doc_of, params.max_partners,
                        params.max_listed)
    out: list[Overlap] = []
    for (a, b) in sorted(kept, key=lambda p: (-by_pair[p].score, p)):
        al = by_pair[(a, b)]
        na, nb = nodes[a], nodes[b]
        out.append(Overlap(
            id=overlap_iri(na.id, nb.id), a=na.id, b=nb.id, score=al.score,
            method=METHOD_MNN if al.mutual else METHOD_THRESHOLD, kind=KIND_ALIGNMENT,
            level="strong" if al.score >= params.strong else "related",
            shared_topics=tuple(shared_topics(tags, na.id, nb.id)),
            shared_terms=tuple(shared_terms_of(al.unit_a, al.unit_b)),
            cosine=al.cosine, lexical=al.lexical, topic=al.topic,
            via_a=result.units[al.unit_a].text, via_b=result.units[al.unit_b].text,
        ))
    scores = container_scores(nodes, result.alignments)
    listed = {(o.a, o.b) for o in out}
    container_kept = cap_partners(((a, b, s) for a, b, s in scores if s >= params.container_threshold), doc_of,
                                  params.max_partners, params.max_listed)
    partners = partner_map((al.a, al.b, al.score) for al in result.alignments)
    members = container_members(nodes)
    for a, b, s in sorted(scores, key=lambda t: (-t[2], t[0], t[1])):
        if (a, b) not in container_kept:
            continue
        na, nb = nodes[a], nodes[b]
        if (na.id, nb.id) in listed:
            continue  # already aligned directly; the direct alignment explains it
        in_b = set(members[b])
        aligned_pairs = [(x, y) for x in members[a] for y in partners.get(x, {}) if y in in_b]
        terms: Counter[str] = Counter()
        for x, y in aligned_pairs:
            key = (x, y) if (x, y) in by_pair else (y, x)
            al = by_pair[key]
            terms.update(shared_terms_of(al.unit_a, al.unit_b))
        out.append(Overlap(
            id=overlap_iri(na.id, nb.id), a=na.id, b=nb.id, score=s, method=METHOD_CONTAINER,
            kind=KIND_CONTAINER, level="strong" if s >= params.container_strong else "related",
            shared_topics=tuple(shared_topics(tags, na.id, nb.id)),
            shared_terms=tuple(t for t, _ in terms.most_common(MAX_SHARED_TERMS)),
            aligned_children=len(aligned_pairs),
        ))
    return out, scores


def container_scores(nodes: Sequence[NodeRecord], alignments: Iterable[Alignment]) -> list[tuple[int, int, float]]:
    """Score of every pair of containers of different documents that share at least one alignment
    (:func:`container_score` of each pair, computed for all pairs at once from the alignment edges)."""
    partners = partner_map((al.a, al.b, al.score) for al in alignments)
    members = container_members(nodes)
    edges = [(x, y, s) for x, ys in partners.items() for y, s in ys.items()]
    if not edges or not members:
        return []
    x_of, y_of = np.array([e[0] for e in edges]), np.array([e[1] for e in edges])
    s_of = np.array([e[2] for e in edges], dtype=np.float64)
    # which containers hold each node: a node-sorted incidence list
    pairs = sorted({(m, c) for c, ms in members.items() for m in ms})
    inc_node = np.array([p[0] for p in pairs], dtype=np.int64)
    inc_container = np.array([p[1] for p in pairs], dtype=np.int64)
    start = np.searchsorted(inc_node, np.arange(len(nodes)))
    count = np.searchsorted(inc_node, np.arange(len(nodes)), side="right") - start
    size = np.zeros(len(nodes), dtype=np.float64)
    for c, ms in members.items():
        size[c] = len(set(ms))
    # every (container of x, container of y, x, score) of every directed alignment edge
    nx, ny = count[x_of], count[y_of]
    rep = nx * ny
    edge = np.repeat(np.arange(len(edges)), rep)
    offset = np.arange(int(rep.sum())) - np.repeat(np.cumsum(rep) - rep, rep)
    cx = inc_container[start[x_of][edge] + offset // ny[edge]]
    cy = inc_container[start[y_of][edge] + offset % ny[edge]]
    x, score = x_of[edge], s_of[edge]
    # coverage of cx into cy: the mean over cx's units of their best score into cy
    order = np.lexsort((score, x, cy, cx))
    cx, cy, x, score = cx[order], cy[order], x[order], score[order]
    last = np.r_[(cx[1:] != cx[:-1]) | (cy[1:] != cy[:-1]) | (x[1:] != x[:-1]), True]
    cx, cy, best = cx[last], cy[last], score[last]
    first = np.r_[True, (cx[1:] != cx[:-1]) | (cy[1:] != cy[:-1])]
    starts = np.flatnonzero(first)
    cov_cx, cov_cy = cx[starts], cy[starts]
    coverage = np.add.reduceat(best, starts) / size[cov_cx]
    cover = {(int(a), int(b)): float(v) for a, b, v in zip(cov_cx, cov_cy, coverage, strict=True)}
    doc_order = {d: k for k, d in enumerate(dict.fromkeys(n.doc for n in nodes))}
    out: list[tuple[int, int, float]] = []
    for (ca, cb), forward in sorted(cover.items()):
        if doc_order[nodes[ca].doc] >= doc_order[nodes[cb].doc]:
            continue
        s = round((forward + cover.get((cb, ca), 0.0)) / 2, 4)
        if s > 0:
            out.append((ca, cb, s))
    return out


# --------------------------------------------------------------------------- graph
def overlap_triples(graph: Graph, overlaps: Iterable[Overlap], topic_iris: Mapping[str, str], model: str) -> int:
    """Add one sg:Overlap resource per overlap; returns how many."""
    n = 0
    for o in overlaps:
        iri = URIRef(o.id)
        graph.add((iri, RDF.type, SG.Overlap))
        graph.add((iri, SG.overlapNode, URIRef(o.a)))
        graph.add((iri, SG.overlapNode, URIRef(o.b)))
        graph.add((iri, SG.score, Literal(float(o.score), datatype=XSD.double)))
        graph.add((iri, SG.method, Literal(o.method)))
        graph.add((iri, SG.level, Literal(o.level)))
        if o.kind == KIND_ALIGNMENT:
            graph.add((iri, SG.embeddingModel, Literal(model)))
        for topic in o.shared_topics:
            graph.add((iri, SG.sharedTopic, URIRef(topic_iris[topic])))
        for term in o.shared_terms:
            graph.add((iri, SG.sharedTerm, Literal(term, lang="da")))
        n += 1
    return n


# --------------------------------------------------------------------------- evaluation
def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def nodes_containing(nodes: Sequence[NodeRecord], fragment: str) -> list[str]:
    """IRIs of nodes whose own label + text contains ``fragment`` (the rule of the eval files)."""
    f = _norm(fragment)
    return [n.id for n in nodes if f in _norm(f"{n.label or ''} {n.text}")]


def pair_found(nodes: Sequence[NodeRecord], linked: set[frozenset[str]], a: str, b: str) -> bool:
    """Whether some linked pair joins a node containing fragment ``a`` to one containing ``b``."""
    return any(frozenset((x, y)) in linked for x in nodes_containing(nodes, a) for y in nodes_containing(nodes, b))


def evaluate_pairs(nodes: Sequence[NodeRecord], overlaps: Iterable[Overlap],
                   pairs: Sequence[Mapping[str, str]]) -> list[bool]:
    """For each dev pair {"a": fragment, "b": fragment}: is it found among ``overlaps``?"""
    linked = {frozenset((o.a, o.b)) for o in overlaps}
    return [pair_found(nodes, linked, p["a"], p["b"]) for p in pairs]


def calibrate_threshold(nodes: Sequence[NodeRecord], units: Sequence[Unit], unit_vectors: np.ndarray,
                        tags: Mapping[str, Mapping[str, TopicTag]], pairs: Sequence[Mapping[str, str]],
                        splitter: CompoundSplitter | None = None, params: OverlapParams = DEFAULT_PARAMS,
                        grid: Sequence[float] = CALIBRATION_GRID) -> float | None:
    """The highest threshold of ``grid`` at which every dev pair is still among the listed overlaps
    (mutual nearest neighbours, threshold and the per-node cap all applied); None if none works."""
    from dataclasses import replace

    best: float | None = None
    for thr in sorted(grid):
        p = replace(params, threshold=thr)
        result = align(nodes, units, unit_vectors, tags, splitter, p)
        overlaps, _ = build_overlaps(nodes, result, tags, p)
        if all(evaluate_pairs(nodes, overlaps, pairs)):
            best = thr
    return best

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
    (method ``hybrid-threshold``); the threshold is calibrated on ``tests/data/eval/dev_overlaps.json``
    (see :func:`calibrate_threshold` and docs/overlaps.md). Every kept pair is in the analysis
    (``alignments``).
Containers
    Two containers of different documents that hold at least one kept alignment between them are scored
    from their content (:func:`container_scores`), as the mean of three parts in [0, 1]:

    * ``content``: the cosine of the two containers' centroids (the mean vector of the container and its
      units, minus the mean vector of all units, so that what every strategy says does not count),
      rescaled from [0, ``content_high``];
    * ``coverage``: how well each side's units are matched in the other (each unit's best candidate pair
      score into the other container, rescaled from [``match_low``, ``match_high``]; mean over the
      units, then over the two sides);
    * ``topics``: the cosine of the two containers' topic profiles (the mean own topic confidences of
      the container and its units).

    Two containers about one subject in other words score high on content and topics even when few of
    their statements align one to one. Container pairs reaching ``container_threshold`` are overlaps of
    method ``children``.
Listed overlaps
    One list per node: its alignments with nodes that are not both containers, and its container
    overlaps (a pair of containers is listed as a container overlap only), ranked together by score
    over their kind's strong level; at most ``max_partners`` partners in any one other document and
    ``max_listed`` in all, best first (:func:`cap_partners`).
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
    container_threshold: float = 0.15
    """Container score at which two containers overlap (and a theme counts as carried over)."""
    strong: float = 0.70
    """Alignment score from which an overlap's sg:level is "strong" (else "related")."""
    container_strong: float = 0.35
    """Container score from which a container overlap is "strong"."""
    content_high: float = 0.40
    """Centred centroid cosine that counts as full content similarity (the top 1 % of cross-document
    container pairs on the bundled corpora)."""
    match_low: float = 0.50
    """Pair score above which a unit's best match in the other container counts (the mutual-nearest floor:
    the candidate index holds every pair from there, so coverage from the candidates is exact; below it a
    match is what many unrelated texts share - the median candidate pair scores 0.35)."""
    match_high: float = 0.70
    """Pair score at which a unit's best match counts in full (a strong alignment)."""
    w_content: float = 1 / 3
    w_coverage: float = 1 / 3
    w_topics: float = 1 / 3
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
    scored: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)), repr=False)
    """Every candidate node pair scored exactly, kept or not: rows ``(a, b, score)`` (positions as floats).
    What container scores measure a member's best match with (a member with no candidate in the other
    container has no match there worth counting: its nearest units in that document lie elsewhere)."""


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
        unit_node = np.array([u.node for u in units], dtype=np.int64)
        if unit_node.size and np.any(np.diff(unit_node) < 0):
            raise ValueError("alignment units must follow the node order (alignment_units makes them so)")
        start = np.zeros(len(nodes), dtype=np.int64)
        count = np.zeros(len(nodes), dtype=np.int64)
        present, first, counts = np.unique(unit_node, return_index=True, return_counts=True)
        start[present], count[present] = first, counts
        return cls(unit_node=unit_node, node_doc=node_documents(nodes), start=start, count=count)


def node_documents(nodes: Sequence[NodeRecord]) -> np.ndarray:
    """Document of every node as its position in the build's document order (the order documents first
    appear in the node list)."""
    order = {d: k for k, d in enumerate(dict.fromkeys(n.doc for n in nodes))}
    return np.array([order[n.doc] for n in nodes], dtype=np.int64)


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
    alignments, scored, pair_scores = _align_pairs(a, b, layout, unit_vectors, terms, node_topics, params)
    return AlignmentResult(units=list(units), alignments=alignments, terms=terms,
                           candidates={"unit_pairs": int(near.shape[0]), "node_pairs": int(a.size),
                                       "unit_pairs_scored": scored},
                           scored=np.stack([a, b, pair_scores], axis=1) if a.size else np.zeros((0, 3)))


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
                 chunk: int = 20_000) -> tuple[list[Alignment], int, np.ndarray]:
    """Score the node pairs ``(a[i], b[i])`` over all their unit pairs, decide mutual nearest neighbours
    among them, keep what passes; alignments ordered by document pair, then ``a``, then ``b``. Also
    returns how many unit pairs were scored and every node pair's score."""
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
        cos = _row_dots(vectors, x, y)
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
    return out, scored, np.minimum(score, 1.0)


def _row_dots(vectors: np.ndarray, x: np.ndarray, y: np.ndarray, rows: int = 1024) -> np.ndarray:
    """``vectors[x[i]] · vectors[y[i]]`` for every ``i``, gathering ``rows`` pairs at a time (3 MB per side).

    Gathering all pairs at once made two temporaries of ``len(x)`` full vectors (100 MB for the bundled
    corpora). numpy asks for transparent huge pages on arrays of 4 MB and more, and the first touch of
    fresh huge pages cost 0.2-1.1 s of kernel time in the build (measured with getrusage; 92 huge-page
    faults per build, none after this change) against 0.05 s for the products. Each row's product is the
    same einsum either way (bit for bit)."""
    out = np.empty(x.size)
    for lo in range(0, x.size, rows):
        out[lo:lo + rows] = np.einsum("ij,ij->i", vectors[x[lo:lo + rows]], vectors[y[lo:lo + rows]])
    return out


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


@dataclass(frozen=True)
class ContainerPair:
    """The overlap score of two containers of different documents (``a`` in the earlier document of the
    build's document order), with its parts (see the module docstring)."""

    a: int
    b: int
    score: float
    content: float
    """Cosine of the two centred centroids, rescaled to [0, 1]."""
    coverage: float
    """Mean of the two sides' best-match coverage, 0-1."""
    topics: float
    """Cosine of the two topic profiles, 0-1."""
    aligned: int
    """Kept alignments between the two containers' units."""


class _Membership:
    """Which containers hold each node, as a node-sorted incidence list (for expanding node pairs into the
    container pairs that hold them, all at once)."""

    def __init__(self, n_nodes: int, members: Mapping[int, Sequence[int]]) -> None:
        pairs = sorted({(m, c) for c, ms in members.items() for m in ms})
        self.node = np.array([p[0] for p in pairs], dtype=np.int64)
        self.container = np.array([p[1] for p in pairs], dtype=np.int64)
        self.start = np.searchsorted(self.node, np.arange(n_nodes))
        self.count = np.searchsorted(self.node, np.arange(n_nodes), side="right") - self.start

    def expand(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For node pairs ``(x[i], y[i])``: every (container of x, container of y, i)."""
        nx, ny = self.count[x], self.count[y]
        rep = nx * ny
        edge = np.repeat(np.arange(x.size), rep)
        offset = np.arange(int(rep.sum())) - np.repeat(np.cumsum(rep) - rep, rep)
        cx = self.container[self.start[x][edge] + offset // ny[edge]]
        cy = self.container[self.start[y][edge] + offset % ny[edge]]
        return cx, cy, edge

    def mean_rows(self, values: np.ndarray, containers: np.ndarray) -> np.ndarray:
        """Per container of ``containers``: the mean of ``values`` over its members and itself."""
        rows = {int(c): k for k, c in enumerate(containers)}
        cells = {(rows[c], m) for m, c in zip(self.node.tolist(), self.container.tolist(), strict=True) if c in rows}
        cells |= {(k, c) for c, k in rows.items()}  # the container itself (its own member only when a unit)
        r, col = zip(*sorted(cells), strict=True) if cells else ((), ())
        incidence = sp.csr_matrix((np.ones(len(r)), (r, col)), shape=(len(rows), values.shape[0]))
        sizes = np.asarray(incidence.sum(axis=1)).ravel()
        return np.asarray(incidence @ values) / np.maximum(sizes, 1.0)[:, None]


def container_scores(nodes: Sequence[NodeRecord], result: AlignmentResult, vectors: np.ndarray,
                     tags: Mapping[str, Mapping[str, TopicTag]],
                     params: OverlapParams = DEFAULT_PARAMS) -> list[ContainerPair]:
    """Every pair of containers of different documents that holds at least one kept alignment, scored
    from content, coverage and topics (module docstring), ordered by ``(a, b)``.

    Linear in the alignments and candidate pairs: container pairs come from expanding kept alignments
    into the containers that hold their nodes, coverage from expanding the candidate pairs that count."""
    members = container_members(nodes)
    members = {c: ms for c, ms in members.items() if ms}
    if not members or not result.alignments:
        return []
    n = len(nodes)
    held = _Membership(n, members)
    node_doc = node_documents(nodes)
    # the container pairs: joined by a kept alignment (a in the earlier document, so cx's is earlier)
    al_a = np.array([al.a for al in result.alignments], dtype=np.int64)
    al_b = np.array([al.b for al in result.alignments], dtype=np.int64)
    cx, cy, _ = held.expand(al_a, al_b)
    keys, aligned = np.unique(cx * n + cy, return_counts=True)
    ca, cb = keys // n, keys % n
    # coverage: each unit's best match into the other container, from the candidate pairs that count
    coverage_sum = np.zeros((keys.size, 2))
    scored = result.scored
    counts = scored[:, 2] > params.match_low if scored.size else np.zeros(0, dtype=bool)
    if counts.any():
        sa, sb = scored[counts, 0].astype(np.int64), scored[counts, 1].astype(np.int64)
        strength = np.clip((scored[counts, 2] - params.match_low) / (params.match_high - params.match_low), 0.0, 1.0)
        # orient each candidate pair earlier → later, as the container pairs are
        swap = node_doc[sa] > node_doc[sb]
        sa, sb = np.where(swap, sb, sa), np.where(swap, sa, sb)
        ex, ey, edge = held.expand(sa, sb)
        key = ex * n + ey
        row = np.searchsorted(keys, key)
        found = (row < keys.size) & (keys[np.minimum(row, keys.size - 1)] == key)
        row, edge = row[found], edge[found]
        for side, unit in enumerate((sa[edge], sb[edge])):
            value = strength[edge]
            order = np.lexsort((-value, unit, row))
            first = order[np.r_[True, (row[order][1:] != row[order][:-1]) | (unit[order][1:] != unit[order][:-1])]]
            np.add.at(coverage_sum[:, side], row[first], value[first])
    sizes = {c: len(set(ms)) for c, ms in members.items()}
    coverage = (coverage_sum[:, 0] / np.array([sizes[int(c)] for c in ca])
                + coverage_sum[:, 1] / np.array([sizes[int(c)] for c in cb])) / 2
    # content: centred centroids of the container and its units
    containers = np.unique(np.concatenate([ca, cb]))
    row_of = {int(c): k for k, c in enumerate(containers)}
    unit_rows = np.array(sorted({m for ms in members.values() for m in ms}), dtype=np.int64)
    centre = np.asarray(vectors, dtype=np.float64)[unit_rows].mean(axis=0)
    centroids = held.mean_rows(np.asarray(vectors, dtype=np.float64), containers) - centre
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    ia = np.array([row_of[int(c)] for c in ca])
    ib = np.array([row_of[int(c)] for c in cb])
    content = np.clip(_row_dots(centroids, ia, ib) / params.content_high, 0.0, 1.0)
    # topics: the mean own topic confidences of the container and its units
    profiles = held.mean_rows(node_topic_matrix(nodes, tags), containers)
    norms = np.linalg.norm(profiles, axis=1)
    dot = _row_dots(profiles, ia, ib)
    denominator = norms[ia] * norms[ib]
    topics = np.where(denominator > 0, dot / np.where(denominator > 0, denominator, 1.0), 0.0)
    score = params.w_content * content + params.w_coverage * coverage + params.w_topics * topics
    return [ContainerPair(a=int(ca[k]), b=int(cb[k]), score=round(float(min(1.0, score[k])), 4),
                          content=round(float(content[k]), 4), coverage=round(float(coverage[k]), 4),
                          topics=round(float(topics[k]), 4), aligned=int(aligned[k]))
            for k in range(keys.size)]


def pair_scores(pairs: Iterable[ContainerPair]) -> dict[tuple[int, int], float]:
    """(a, b) and (b, a) → score: a lookup of container scores in either order."""
    out: dict[tuple[int, int], float] = {}
    for p in pairs:
        out[(p.a, p.b)] = out[(p.b, p.a)] = p.score
    return out


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
    content: float | None = None
    """Containers: the content part of the score (:class:`ContainerPair`)."""
    coverage: float | None = None
    """Containers: the coverage part of the score."""
    topic_profile: float | None = None
    """Containers: the topic part of the score."""

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


def build_overlaps(nodes: Sequence[NodeRecord], result: AlignmentResult, tags: Mapping[str, Mapping[str, TopicTag]],
                   vectors: np.ndarray, params: OverlapParams = DEFAULT_PARAMS) -> tuple[list[Overlap], list[ContainerPair]]:
    """The listed overlaps and the scores of every container pair that has one (for matrices and lineage).

    A pair of two containers is listed as a container overlap (its score is the container score); other
    alignments as alignments. Both kinds share one cap per node (:func:`cap_partners`), ranked by score
    over their kind's strong level, so a container lists at most ``max_partners`` partners of either kind
    in any one other document."""
    doc_of = {i: n.doc for i, n in enumerate(nodes)}
    by_pair = {(al.a, al.b): al for al in result.alignments}
    explained: dict[tuple[int, int], list[str]] = {}

    def shared_terms_of(ua: int, ub: int) -> list[str]:
        """The unit pair's shared terms, worked out once (a container overlap sums many alignments)."""
        if (ua, ub) not in explained:
            explained[(ua, ub)] = result.terms.shared_terms(ua, ub)
        return explained[(ua, ub)]

    is_container = [n.type in THEMATIC for n in nodes]
    pairs = container_scores(nodes, result, vectors, tags, params)
    by_container = {(p.a, p.b): p for p in pairs if p.score >= params.container_threshold}
    ranked = [(al.a, al.b, al.score / params.strong) for al in result.alignments
              if not (is_container[al.a] and is_container[al.b])]
    ranked += [(p.a, p.b, p.score / params.container_strong) for p in by_container.values()]
    kept = cap_partners(ranked, doc_of, params.max_partners, params.max_listed)
    partners = partner_map((al.a, al.b, al.score) for al in result.alignments)
    members = container_members(nodes)
    out: list[Overlap] = []
    for a, b in kept:
        na, nb = nodes[a], nodes[b]
        common = tuple(shared_topics(tags, na.id, nb.id))
        if (a, b) in by_container:
            p = by_container[(a, b)]
            in_b = set(members[b])
            terms: Counter[str] = Counter()
            for x in dict.fromkeys(members[a]):
                for y in partners.get(x, {}):
                    if y in in_b:
                        al = by_pair[(x, y)] if (x, y) in by_pair else by_pair[(y, x)]
                        terms.update(shared_terms_of(al.unit_a, al.unit_b))
            out.append(Overlap(
                id=overlap_iri(na.id, nb.id), a=na.id, b=nb.id, score=p.score, method=METHOD_CONTAINER,
                kind=KIND_CONTAINER, level="strong" if p.score >= params.container_strong else "related",
                shared_topics=common, shared_terms=tuple(t for t, _ in terms.most_common(MAX_SHARED_TERMS)),
                aligned_children=p.aligned, content=p.content, coverage=p.coverage, topic_profile=p.topics,
            ))
            continue
        al = by_pair[(a, b)]
        out.append(Overlap(
            id=overlap_iri(na.id, nb.id), a=na.id, b=nb.id, score=al.score,
            method=METHOD_MNN if al.mutual else METHOD_THRESHOLD, kind=KIND_ALIGNMENT,
            level="strong" if al.score >= params.strong else "related", shared_topics=common,
            shared_terms=tuple(shared_terms_of(al.unit_a, al.unit_b)),
            cosine=al.cosine, lexical=al.lexical, topic=al.topic,
            via_a=result.units[al.unit_a].text, via_b=result.units[al.unit_b].text,
        ))
    out.sort(key=lambda o: (o.kind != KIND_ALIGNMENT, -o.score, o.a, o.b))
    return out, pairs


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
                        grid: Sequence[float] = CALIBRATION_GRID, *, node_vectors: np.ndarray) -> float | None:
    """The highest threshold of ``grid`` at which every dev pair is still among the listed overlaps
    (mutual nearest neighbours, threshold and the per-node cap all applied); None if none works."""
    from dataclasses import replace

    best: float | None = None
    for thr in sorted(grid):
        p = replace(params, threshold=thr)
        result = align(nodes, units, unit_vectors, tags, splitter, p)
        overlaps, _ = build_overlaps(nodes, result, tags, node_vectors, p)
        if all(evaluate_pairs(nodes, overlaps, pairs)):
            best = thr
    return best


# --------------------------------------------------------------------------- judged container pairs
JUDGEMENTS = ("strong", "related", "none")
"""The judgements of tests/data/eval/own_overlaps.json: same subject, a shared part, different subjects."""


@dataclass(frozen=True)
class JudgedPair:
    """A pair of containers judged by reading, with what the analysis made of it."""

    a: str
    b: str
    judgement: str
    score: float
    """The pair's container score (0 when the analysis scored none: no kept alignment joins them)."""
    listed: str | None
    """The level (strong, related) of the pair's listed overlap, None when it is not listed."""


def judged_node(nodes: Sequence[NodeRecord], fragment: str, node_type: str, document: str) -> str:
    """The one node of ``node_type`` in ``document`` whose label + text contains ``fragment``."""
    found = nodes_containing([n for n in nodes if n.type == node_type and n.doc == document], fragment)
    if len(found) != 1:
        raise LookupError(f"{len(found)} {node_type} nodes of {document} contain {fragment!r} (want exactly one)")
    return found[0]


def judge_container_pairs(nodes: Sequence[NodeRecord], labels: Sequence[Mapping[str, str]],
                          container_scores: Iterable[Sequence[Any]], overlaps: Iterable[Mapping[str, Any]]) -> list[JudgedPair]:
    """Each labelled pair ({a, a_type, a_document, b, b_type, b_document, judgement}) with its container score
    (rows [a, b, score, …] of analysis.json) and its listed overlap (analysis.json's overlaps)."""
    scores = {frozenset((str(row[0]), str(row[1]))): float(row[2]) for row in container_scores}
    listed = {frozenset((str(o["a"]), str(o["b"]))): str(o["level"]) for o in overlaps}
    out: list[JudgedPair] = []
    for label in labels:
        if label["judgement"] not in JUDGEMENTS:
            raise ValueError(f"judgement {label['judgement']!r} is not one of {', '.join(JUDGEMENTS)}")
        a = judged_node(nodes, label["a"], label["a_type"], label["a_document"])
        b = judged_node(nodes, label["b"], label["b_type"], label["b_document"])
        key = frozenset((a, b))
        out.append(JudgedPair(a=a, b=b, judgement=label["judgement"], score=scores.get(key, 0.0),
                              listed=listed.get(key)))
    return out


def pairwise_auc(higher: Sequence[float], lower: Sequence[float]) -> float:
    """Share of (x, y) pairs, x from ``higher`` and y from ``lower``, ordered x > y (ties count half)."""
    if not higher or not lower:
        return float("nan")
    wins = sum((x > y) + 0.5 * (x == y) for x in higher for y in lower)
    return wins / (len(higher) * len(lower))


def judged_figures(judged: Sequence[JudgedPair]) -> dict[str, Any]:
    """How well container scores follow the judgements: ranking (pairwise AUC between judgements), how many
    same-subject pairs are listed as strong, how many unrelated pairs are listed at all."""
    by = {j: [p for p in judged if p.judgement == j] for j in JUDGEMENTS}
    scores = {j: [p.score for p in ps] for j, ps in by.items()}
    return {
        "pairs": {j: len(ps) for j, ps in by.items()},
        "auc_strong_over_none": round(pairwise_auc(scores["strong"], scores["none"]), 3),
        "auc_strong_over_related": round(pairwise_auc(scores["strong"], scores["related"]), 3),
        "auc_related_over_none": round(pairwise_auc(scores["related"], scores["none"]), 3),
        "median": {j: round(float(np.median(s)), 3) if s else None for j, s in scores.items()},
        "strong_listed_strong": sum(1 for p in by["strong"] if p.listed == "strong"),
        "related_listed": sum(1 for p in by["related"] if p.listed is not None),
        "none_listed": sum(1 for p in by["none"] if p.listed is not None),
        "none_listed_strong": sum(1 for p in by["none"] if p.listed == "strong"),
    }

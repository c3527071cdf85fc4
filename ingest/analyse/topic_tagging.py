"""Topic tagging: every node gets the topics of ontology/topics.ttl it is about, with a confidence.

Two kinds of evidence, combined per (node, topic):

lexical
    The topic's Danish labels (prefLabel, altLabel, hiddenLabel) are analysed like the keyword index
    (stopwords dropped, Danish Snowball stems) and looked for in the node's own label and text. A
    multi-word label matches when its stems occur in order with at most one other word between them;
    a one-word label also matches as a compound part ("netværk" in "netværksinddragelse", using the
    corpus vocabulary's :class:`~ingest.index.lexical.CompoundSplitter`). A whole-word match gives
    :data:`LEXICAL_WORD`, a compound-part match :data:`LEXICAL_PART`.
embedding
    Each topic's label and definition is embedded with the build's embedder (as an e5 query) and
    compared with the node vectors (which carry the ancestors' headings). Raw cosines of e5 are
    crowded (0.78-0.93), and some topics sit close to every text, so each topic's similarities are
    standardised over all nodes (z-score). A node is tagged when its z-score for the topic reaches
    :data:`EMBED_Z` *and* the topic is among the node's :data:`EMBED_TOP` best topics.

The confidence is ``1 - (1 - lexical) * (1 - embedding)``; a tag is kept at :data:`MIN_CONFIDENCE`.
Every node is tagged except the titles of related documents a strategy lists (:data:`~ontology.node_types.REFERENCES`).
A thematic element (:data:`~ontology.node_types.THEMATIC`: vision, track, bearing, principle, focus area, goal) also inherits a topic that at least two of
its direct children - and at least a third of them - carry (method ``children``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ingest.analyse.triples import TripleSink
from ingest.index.lexical import STOPWORDS, CompoundSplitter, stem, word_spans
from ingest.records import NodeRecord
from ontology import SG, TOPICS_FILE, resource_path
from ontology.node_types import REFERENCES, THEMATIC

LEXICAL_WORD = 0.8
LEXICAL_PART = 0.65
EMBED_Z = 2.0
EMBED_TOP = 2
MIN_CONFIDENCE = 0.5
MAX_GAP = 1
CHILD_MIN = 2
CHILD_SHARE = 1 / 3

METHOD_LEXICAL = "lexical"
METHOD_EMBEDDING = "embedding"
METHOD_BOTH = "lexical+embedding"
METHOD_CHILDREN = "children"


@dataclass(frozen=True)
class Topic:
    """One SKOS concept of the topic scheme."""

    iri: str
    id: str
    """The concept's skos:notation, also the last segment of its IRI (e.g. ``netvaerk-og-paaroerende``)."""
    label: str
    label_en: str
    definition: str
    definition_en: str
    cues: tuple[str, ...]
    """Danish labels used as lexical cues (prefLabel, altLabels, hiddenLabels)."""
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def embedding_text(self) -> str:
        """What is embedded for the topic: its Danish label and definition."""
        return f"{self.label}: {self.definition}"


@dataclass(frozen=True)
class TopicTag:
    """A node tagged with a topic; becomes an sg:TopicAssignment and a dcterms:subject triple."""

    node: str
    topic: str
    confidence: float
    method: str
    cues: tuple[str, ...] = ()
    """The labels that matched lexically (empty for embedding-only tags)."""


@lru_cache(maxsize=1)
def topic_scheme_graph() -> Graph:
    """ontology/topics.ttl as a graph (parsed once per process; treat as read-only)."""
    return Graph().parse(resource_path(TOPICS_FILE), format="turtle")


def _lang(graph: Graph, subject: URIRef, prop: URIRef, lang: str) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, prop) if isinstance(o, Literal) and o.language == lang)


def _ids(graph: Graph, subject: URIRef, prop: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o).rsplit("/", 1)[-1] for o in graph.objects(subject, prop)))


def load_topics(graph: Graph | None = None) -> list[Topic]:
    """The concepts of the topic scheme, in the scheme's file order of notation (sorted by id)."""
    g = graph if graph is not None else topic_scheme_graph()
    out: list[Topic] = []
    for concept in sorted(c for c in g.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)):
        notation = g.value(concept, SKOS.notation)
        ident = str(notation) if notation is not None else str(concept).rsplit("/", 1)[-1]
        label = (_lang(g, concept, SKOS.prefLabel, "da") or [ident])[0]
        cues = [label, *_lang(g, concept, SKOS.altLabel, "da"), *_lang(g, concept, SKOS.hiddenLabel, "da")]
        out.append(Topic(
            iri=str(concept), id=ident, label=label,
            label_en=(_lang(g, concept, SKOS.prefLabel, "en") or [label])[0],
            definition=(_lang(g, concept, SKOS.definition, "da") or [""])[0],
            definition_en=(_lang(g, concept, SKOS.definition, "en") or [""])[0],
            cues=tuple(dict.fromkeys(cues)),
            broader=_ids(g, concept, SKOS.broader), narrower=_ids(g, concept, SKOS.narrower),
            related=_ids(g, concept, SKOS.related),
        ))
    return out


# --------------------------------------------------------------------------- lexical evidence
def _keep(word: str) -> bool:
    return len(word) > 1 and word not in STOPWORDS


@dataclass
class Terms:
    """The analysed words of one text: stems in order, compound-part stems, and a surface form per stem."""

    sequence: list[str]
    parts: set[str]
    surface: dict[str, str] = field(default_factory=dict)
    """stem → the shortest word of the text with that stem"""
    part_of: dict[str, str] = field(default_factory=dict)
    """compound-part stem → the word it is a part of"""

    @property
    def stems(self) -> set[str]:
        return set(self.sequence)


_SENTENCE_START = frozenset(".!?:;\"”“'«»(–-•▶*#")


def is_name_word(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` looks like part of a proper name: capitalised, not all
    capitals (headings are), and not the first word of a sentence or bullet ("Center for Handicap og
    Psykiatri" is an organisation, not a statement about psychiatry)."""
    word = text[start:end]
    if not word[:1].isupper() or word.isupper():
        return False
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_START


def analyse_text(text: str, splitter: CompoundSplitter | None = None, *, skip_names: bool = True) -> Terms:
    """Stems of the non-stopwords of ``text`` in order, plus the stems of their compound parts.

    With ``skip_names``, words of proper names (see :func:`is_name_word`) are left out.
    """
    sequence: list[str] = []
    parts: set[str] = set()
    surface: dict[str, str] = {}
    part_of: dict[str, str] = {}
    for start, end, word in word_spans(text):
        if not _keep(word) or (skip_names and is_name_word(text, start, end)):
            continue
        s = stem(word)
        sequence.append(s)
        if s not in surface or len(word) < len(surface[s]):
            surface[s] = word
        if splitter is not None:
            for p in splitter.part_stems(word):
                parts.add(p)
                part_of.setdefault(p, word)
    return Terms(sequence=sequence, parts=parts, surface=surface, part_of=part_of)


def _cue_terms(cue: str) -> tuple[str, ...]:
    return tuple(stem(w) for _, _, w in word_spans(cue) if _keep(w))


def _in_order(sequence: Sequence[str], cue: Sequence[str], max_gap: int = MAX_GAP) -> bool:
    """Whether ``cue`` occurs in ``sequence`` in order, at most ``max_gap`` other terms between its terms."""
    n = len(cue)
    for start, term in enumerate(sequence):
        if term != cue[0]:
            continue
        pos, k = start, 1
        while k < n:
            window = sequence[pos + 1 : pos + 2 + max_gap]
            if cue[k] not in window:
                break
            pos = pos + 1 + window.index(cue[k])
            k += 1
        if k == n:
            return True
    return False


@dataclass(frozen=True)
class CueMatcher:
    """The lexical cues of every topic, analysed once."""

    cues: dict[str, list[tuple[str, tuple[str, ...]]]]
    """topic id → [(cue text, cue stems)]"""

    @classmethod
    def build(cls, topics: Iterable[Topic]) -> CueMatcher:
        out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for t in topics:
            seen: set[tuple[str, ...]] = set()
            for cue in t.cues:
                terms = _cue_terms(cue)
                if terms and terms not in seen:
                    seen.add(terms)
                    out.setdefault(t.id, []).append((cue, terms))
        return cls(out)

    def match(self, terms: Terms) -> dict[str, tuple[float, tuple[str, ...]]]:
        """topic id → (lexical confidence, matched cue texts) for the topics whose cues occur in ``terms``."""
        found: dict[str, tuple[float, tuple[str, ...]]] = {}
        stems = terms.stems
        for topic, cues in self.cues.items():
            best = 0.0
            hit: list[str] = []
            for cue, cue_stems in cues:
                score = 0.0
                if all(s in stems for s in cue_stems) and _in_order(terms.sequence, cue_stems):
                    score = LEXICAL_WORD
                elif len(cue_stems) == 1 and len(cue_stems[0]) >= 4 and cue_stems[0] in terms.parts:
                    score = LEXICAL_PART
                if score:
                    hit.append(cue)
                    best = max(best, score)
            if best:
                found[topic] = (best, tuple(hit))
        return found


def own_text(node: NodeRecord) -> str:
    """A node's own label and text (what lexical evidence looks at)."""
    if node.label and node.label != node.text:
        return f"{node.label}. {node.text}"
    return node.text


# --------------------------------------------------------------------------- embedding evidence
def embedding_confidence(z: np.ndarray) -> np.ndarray:
    """Map a standardised similarity to a confidence: 0.5 at :data:`EMBED_Z`, 0.9 about 1.5 higher."""
    return 1.0 / (1.0 + np.exp(-1.5 * (z - EMBED_Z)))


def topic_z_scores(node_vectors: np.ndarray, topic_vectors: np.ndarray) -> np.ndarray:
    """Cosine of every node to every topic, standardised per topic over the nodes (nodes × topics)."""
    sims = node_vectors @ topic_vectors.T
    mean = sims.mean(axis=0, keepdims=True)
    std = sims.std(axis=0, keepdims=True)
    return np.asarray((sims - mean) / np.where(std > 0, std, 1.0))


# --------------------------------------------------------------------------- tagging
def tag_nodes(nodes: Sequence[NodeRecord], node_vectors: np.ndarray, topics: Sequence[Topic],
              topic_vectors: np.ndarray, splitter: CompoundSplitter | None = None) -> list[TopicTag]:
    """Topic tags of every node, ordered by node then descending confidence.

    Scored in batches: the embedding evidence, the combined confidence and the keep rule are matrices over
    all nodes × topics; only the lexical cue matching reads each node's text on its own."""
    taggable = np.array([n.type not in REFERENCES for n in nodes], dtype=bool)
    rows = np.flatnonzero(taggable)
    ids = [t.id for t in topics]
    emb = embedding_evidence(node_vectors, topic_vectors, rows, len(nodes))
    lex, cues = lexical_evidence(nodes, rows, topics, splitter)
    conf = 1.0 - (1.0 - lex) * (1.0 - emb)
    keep = ((lex > 0) | (emb > 0)) & (conf >= MIN_CONFIDENCE)
    own: dict[str, dict[str, TopicTag]] = {n.id: {} for n in nodes}
    for i, k in zip(*np.nonzero(keep), strict=True):
        has_lex, has_emb = bool(lex[i, k]), bool(emb[i, k])
        method = METHOD_BOTH if has_lex and has_emb else METHOD_LEXICAL if has_lex else METHOD_EMBEDDING
        node = nodes[i]
        own[node.id][ids[k]] = TopicTag(node=node.id, topic=ids[k], confidence=round(float(conf[i, k]), 4),
                                        method=method, cues=cues.get((int(i), int(k)), ()))
    _inherit(nodes, own)
    out: list[TopicTag] = []
    for node in nodes:
        out.extend(sorted(own[node.id].values(), key=lambda t: (-t.confidence, t.topic)))
    return out


def embedding_evidence(node_vectors: np.ndarray, topic_vectors: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """Nodes × topics embedding confidence: a node's z-score for a topic (standardised over the ``rows``
    that are tagged) counts when it reaches :data:`EMBED_Z` and the topic is among its :data:`EMBED_TOP`."""
    out = np.zeros((n, topic_vectors.shape[0]))
    if rows.size == 0 or topic_vectors.shape[0] == 0:
        return out
    z = topic_z_scores(node_vectors[rows], topic_vectors)
    top = np.argsort(-z, axis=1)[:, :EMBED_TOP]
    in_top = np.zeros(z.shape, dtype=bool)
    np.put_along_axis(in_top, top, True, axis=1)
    out[rows] = np.where(in_top & (z >= EMBED_Z), embedding_confidence(z), 0.0)
    return out


def lexical_evidence(nodes: Sequence[NodeRecord], rows: np.ndarray, topics: Sequence[Topic],
                     splitter: CompoundSplitter | None) -> tuple[np.ndarray, dict[tuple[int, int], tuple[str, ...]]]:
    """Nodes × topics lexical confidence, and the cue texts that matched per (node, topic)."""
    matcher = CueMatcher.build(topics)
    column = {t.id: k for k, t in enumerate(topics)}
    out = np.zeros((len(nodes), len(topics)))
    cues: dict[tuple[int, int], tuple[str, ...]] = {}
    for i in rows.tolist():
        for topic, (score, hit) in matcher.match(analyse_text(own_text(nodes[i]), splitter)).items():
            out[i, column[topic]] = score
            cues[(i, column[topic])] = hit
    return out, cues


def _inherit(nodes: Sequence[NodeRecord], tags: dict[str, dict[str, TopicTag]]) -> None:
    """Containers take the topics most of their children share (deepest containers first)."""
    for node in sorted((n for n in nodes if n.type in THEMATIC and n.children),
                       key=lambda n: -len(n.ancestors)):
        children = [tags.get(c, {}) for c in node.children]
        need = max(CHILD_MIN, math.ceil(CHILD_SHARE * len(children)))
        counts: dict[str, list[float]] = {}
        for child in children:
            for topic, tag in child.items():
                counts.setdefault(topic, []).append(tag.confidence)
        for topic, confs in counts.items():
            if len(confs) < need:
                continue
            conf = round(0.9 * sum(confs) / len(confs), 4)
            current = tags[node.id].get(topic)
            if current is None:
                if conf >= MIN_CONFIDENCE:
                    tags[node.id][topic] = TopicTag(node=node.id, topic=topic, confidence=conf, method=METHOD_CHILDREN)
            elif conf > current.confidence:
                tags[node.id][topic] = TopicTag(node=node.id, topic=topic, confidence=conf,
                                                method=f"{current.method}+{METHOD_CHILDREN}", cues=current.cues)


def by_node(tags: Iterable[TopicTag]) -> dict[str, dict[str, TopicTag]]:
    out: dict[str, dict[str, TopicTag]] = {}
    for tag in tags:
        out.setdefault(tag.node, {})[tag.topic] = tag
    return out


def assignment_iri(tag: TopicTag) -> URIRef:
    """IRI of the sg:TopicAssignment of ``tag``: under the node's IRI, named by the topic id."""
    return URIRef(f"{tag.node}/topic/{tag.topic}")


def topic_triples(graph: TripleSink, tags: Iterable[TopicTag], topics: Sequence[Topic], model: str) -> int:
    """Add dcterms:subject and one sg:TopicAssignment per tag to ``graph``; returns the number of tags."""
    iri_of = {t.id: URIRef(t.iri) for t in topics}
    n = 0
    for tag in tags:
        node, topic = URIRef(tag.node), iri_of[tag.topic]
        a = assignment_iri(tag)
        graph.add((node, DCTERMS.subject, topic))
        graph.add((a, RDF.type, SG.TopicAssignment))
        graph.add((a, SG.assignedTo, node))
        graph.add((a, SG.topic, topic))
        graph.add((a, SG.confidence, Literal(float(tag.confidence), datatype=XSD.double)))
        graph.add((a, SG.method, Literal(tag.method)))
        if tag.method != METHOD_CHILDREN:
            graph.add((a, SG.embeddingModel, Literal(model)))
        n += 1
    return n


def tags_payload(tags: Iterable[TopicTag], topics: Sequence[Topic]) -> dict[str, list[dict[str, Any]]]:
    """node IRI → its tags as JSON (for analysis.json and the node pages)."""
    meta = {t.id: t for t in topics}
    out: dict[str, list[dict[str, Any]]] = {}
    for tag in tags:
        t = meta[tag.topic]
        out.setdefault(tag.node, []).append({
            "topic": t.id, "iri": t.iri, "label": t.label, "confidence": tag.confidence, "method": tag.method,
            "cues": list(tag.cues),
        })
    return out


def topics_payload(topics: Sequence[Topic]) -> list[dict[str, Any]]:
    return [{"id": t.id, "iri": t.iri, "label": t.label, "label_en": t.label_en, "definition": t.definition,
             "broader": list(t.broader), "narrower": list(t.narrower), "related": list(t.related)}
            for t in topics]


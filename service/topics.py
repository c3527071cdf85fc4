"""Pure functions behind /topics, /topics/{id} and the search's ``topic=`` filter.

Topic tags come from the build's analysis (analysis.json, see ingest/analyse/topic_tagging.py). A topic is
named by its id (skos:notation, e.g. ``netvaerk-og-paaroerende``), its IRI, or its Danish or English
label (case-insensitive).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from ingest.analyse.topic_tagging import CueMatcher, analyse_text, load_topics
from ontology.node_types import TOPIC_COVER
from service.generation import Generation
from service.overlaps import AnalysisMissingError, NodeRef, node_ref


class UnknownTopicError(LookupError):
    """No topic with this id or label (HTTP 404; a 422 where it is a filter value)."""

    def __init__(self, ident: str, known: Iterable[str]) -> None:
        super().__init__(f"unknown topic {ident!r}; known: {', '.join(sorted(known))}")
        self.ident = ident


class TopicSummary(BaseModel):
    id: str = Field(description="Topic id (skos:notation), e.g. netvaerk-og-paaroerende")
    iri: str = Field(description="IRI of the skos:Concept")
    label: str = Field(description="Danish label")
    label_en: str = Field(description="English label")
    definition: str = Field(description="Danish definition")
    broader: list[str] = Field(description="Ids of broader topics")
    narrower: list[str] = Field(description="Ids of narrower topics")
    node_count: int = Field(description="Nodes tagged with the topic (directly, narrower topics not counted)")
    by_municipality: dict[str, int] = Field(description="Tagged nodes per municipality key")
    by_document: dict[str, int] = Field(description="Tagged nodes per document id")


class TopicsResponse(BaseModel):
    topics: list[TopicSummary] = Field(description="Every topic of the scheme, most-covered first")


class TopicNode(NodeRef):
    confidence: float = Field(description="Confidence of the tag, 0-1")
    method: str = Field(description="lexical, embedding, lexical+embedding or children (inherited)")


class MunicipalityCoverage(BaseModel):
    municipality: str = Field(description="Municipality key, e.g. faxe")
    name: str = Field(description="Municipality name")
    node_count: int = Field(description="Covering nodes listed below")
    by_type: dict[str, int] = Field(description="Covering nodes per node type")
    nodes: list[TopicNode] = Field(description="Tracks, bearings, principles, goals, statements … tagged with the "
                                               "topic, in document order")


class TopicDetail(BaseModel):
    topic: TopicSummary = Field(description="The topic and its counts")
    municipalities: list[MunicipalityCoverage] = Field(description="Covering nodes grouped by municipality")


def _analysis(gen: Generation) -> Mapping[str, Any]:
    if not gen.analysis or "topics" not in gen.analysis:
        raise AnalysisMissingError("the live build has no topic analysis: rebuild with `strategigraf ingest`")
    return gen.analysis


def resolve_topic(gen: Generation, ident: str) -> dict[str, Any]:
    """The topic named by ``ident`` (id, IRI, Danish or English label); ``UnknownTopicError`` if none."""
    topics = _analysis(gen)["topics"]
    key = " ".join(ident.strip().lower().split())
    for t in topics:
        if key in (t["id"], t["iri"].lower(), t["label"].lower(), t.get("label_en", "").lower()):
            return dict(t)
    raise UnknownTopicError(ident, (t["id"] for t in topics))


def with_narrower(gen: Generation, topic_id: str) -> set[str]:
    """The topic and every topic below it."""
    by_id = {t["id"]: t for t in _analysis(gen)["topics"]}
    out, todo = set(), [topic_id]
    while todo:
        t = todo.pop()
        if t in out or t not in by_id:
            continue
        out.add(t)
        todo.extend(by_id[t].get("narrower", []))
    return out


def tagged_positions(gen: Generation, topic_ids: set[str]) -> list[int]:
    """Positions of the nodes tagged with any of ``topic_ids``."""
    by_node = _analysis(gen).get("topics_by_node", {})
    return [gen.position[iri] for iri, tags in by_node.items()
            if iri in gen.position and any(t["topic"] in topic_ids for t in tags)]


def topic_mask(gen: Generation, ident: str) -> np.ndarray:
    """Boolean mask over nodes for the search filter: nodes tagged with the topic (or a narrower one) and
    every descendant of such a node."""
    topic = resolve_topic(gen, ident)
    mask = np.zeros(len(gen.nodes), dtype=bool)
    for pos in tagged_positions(gen, with_narrower(gen, topic["id"])):
        mask[pos] = True
        for d in gen.descendants[pos]:
            mask[d] = True
    return mask


@lru_cache(maxsize=1)
def cue_matcher() -> CueMatcher:
    """The topic scheme's Danish labels as lexical cues, analysed once per process (the scheme is static)."""
    return CueMatcher.build(load_topics())


def query_topics(gen: Generation, query: str) -> dict[str, float]:
    """The topics a query names, by the rule that tags nodes lexically (a topic's Danish prefLabel, altLabel or
    hiddenLabel occurring in the query, also as a compound part), with their narrower topics: topic id →
    weight, the cue's lexical confidence times the share of the query's words the cue accounts for (a topic
    named in passing in a long query weighs little). Empty when the build has no topic analysis."""
    if not gen.analysis or "topics" not in gen.analysis:
        return {}
    terms = analyse_text(query, gen.indexes.lexical.splitter, skip_names=False)
    if not terms.sequence:
        return {}
    matcher = cue_matcher()
    out: dict[str, float] = {}
    for topic, (confidence, cues) in matcher.match(terms).items():
        cue_words = max(len(stems) for cue, stems in matcher.cues[topic] if cue in cues)
        weight = confidence * min(1.0, cue_words / len(terms.sequence))
        for t in with_narrower(gen, topic):
            out[t] = max(out.get(t, 0.0), weight)
    return out


def topic_tags(gen: Generation, topic_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the nodes tagged with ``topic_id`` (directly) and the tags' confidences, cached per
    generation (read-only arrays)."""
    key = ("topic-tags", topic_id)
    cached = gen.mask_cache.get(key)
    if cached is None:
        pairs = sorted((gen.position[iri], float(t["confidence"]))
                       for iri, tags in _analysis(gen).get("topics_by_node", {}).items() if iri in gen.position
                       for t in tags if t["topic"] == topic_id)
        positions = np.array([p for p, _ in pairs], dtype=np.int64)
        confidences = np.array([c for _, c in pairs], dtype=np.float64)
        positions.flags.writeable = confidences.flags.writeable = False
        cached = (positions, confidences)
        gen.mask_cache.put(key, cached)
    return cached


def _summary(gen: Generation, topic: dict[str, Any], counts: dict[str, list[int]]) -> TopicSummary:
    positions = counts.get(topic["id"], [])
    by_muni: dict[str, int] = {}
    by_doc: dict[str, int] = {d: 0 for d in gen.documents}
    for pos in positions:
        doc = gen.documents[gen.nodes[pos].doc]
        by_muni[doc.municipality] = by_muni.get(doc.municipality, 0) + 1
        by_doc[doc.id] += 1
    munis = sorted({d.municipality for d in gen.documents.values()})
    return TopicSummary(id=topic["id"], iri=topic["iri"], label=topic["label"], label_en=topic.get("label_en", ""),
                        definition=topic.get("definition", ""), broader=list(topic.get("broader", [])),
                        narrower=list(topic.get("narrower", [])), node_count=len(positions),
                        by_municipality={m: by_muni.get(m, 0) for m in munis}, by_document=by_doc)


def _counts(gen: Generation) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for iri, tags in _analysis(gen).get("topics_by_node", {}).items():
        pos = gen.position.get(iri)
        if pos is None:
            continue
        for t in tags:
            out.setdefault(t["topic"], []).append(pos)
    return out


def list_topics(gen: Generation) -> TopicsResponse:
    """Every topic with its node counts per municipality and per document, most-covered first."""
    counts = _counts(gen)
    summaries = [_summary(gen, t, counts) for t in _analysis(gen)["topics"]]
    summaries.sort(key=lambda s: (-s.node_count, s.id))
    return TopicsResponse(topics=summaries)


def topic_detail(gen: Generation, ident: str, types: Iterable[str] = TOPIC_COVER) -> TopicDetail:
    """Which tracks, bearings, principles, goals and statements cover the topic, grouped by municipality."""
    topic = resolve_topic(gen, ident)
    wanted = set(types)
    by_node = _analysis(gen).get("topics_by_node", {})
    groups: dict[str, list[TopicNode]] = {}
    for node in gen.nodes:
        if node.type not in wanted:
            continue
        tag = next((t for t in by_node.get(node.id, []) if t["topic"] == topic["id"]), None)
        if tag is None:
            continue
        muni = gen.documents[node.doc].municipality
        groups.setdefault(muni, []).append(TopicNode(**node_ref(gen, node).model_dump(),
                                                     confidence=tag["confidence"], method=tag["method"]))
    names = {d.municipality: d.municipality_name for d in gen.documents.values()}
    municipalities = []
    for muni in sorted(groups, key=lambda m: (-len(groups[m]), m)):
        nodes = groups[muni]
        by_type: dict[str, int] = {}
        for n in nodes:
            by_type[n.type] = by_type.get(n.type, 0) + 1
        municipalities.append(MunicipalityCoverage(municipality=muni, name=names[muni], node_count=len(nodes),
                                                   by_type=by_type, nodes=nodes))
    return TopicDetail(topic=_summary(gen, topic, _counts(gen)), municipalities=municipalities)

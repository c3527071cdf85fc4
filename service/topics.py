"""Pure functions behind /topics, /topics/{id} and the search's ``topic=`` filter.

Topic tags come from the build's analysis (analysis.json, see ingest/analyse/topic_tagging.py). A topic is
named by its id (skos:notation, e.g. ``netvaerk-og-paaroerende``), its IRI, or its Danish or English
label (case-insensitive).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

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


def _analysis(gen: Generation) -> dict[str, Any]:
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
